//! The fuzz corpus in the normal test run: every file of `fuzz/corpus/`
//! (seeds and past findings) through every target, the seeds current, and
//! a short deterministic fuzz run of each target.

use std::time::{Duration, Instant};

use lotse_fuzz::run::{fuzz, try_run, Options};
use lotse_fuzz::{corpus_dir, corpus_root, file_name, read_corpus, target, Outcome, TARGETS};

#[test]
fn every_corpus_file_runs_through_every_target_without_a_panic() {
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(corpus_root()).expect("fuzz/corpus exists") {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(target(&name).is_some(), "fuzz/corpus/{name} is not a target's folder");
        for (path, bytes) in read_corpus(&dir).unwrap() {
            files += 1;
            for t in TARGETS {
                if let Err(message) = try_run(t, &bytes) {
                    failures.push(format!("{} through {}: {message}", path.display(), t.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} panics:\n{}", failures.len(), failures.join("\n"));
    assert!(files > 0, "the corpus is empty");
    eprintln!("{files} corpus files through {} targets in {:?}", TARGETS.len(), started.elapsed());
}

#[test]
fn the_corpus_holds_every_seed() {
    for t in TARGETS {
        let corpus = read_corpus(&corpus_dir(t)).unwrap();
        for seed in (t.seeds)() {
            let name = file_name("seed", &seed);
            assert!(
                corpus.iter().any(|(path, bytes)| path.ends_with(&name) && *bytes == seed),
                "fuzz/corpus/{}/{name} is missing or stale: run `cargo run -p lotse-fuzz -- seed`",
                t.name
            );
        }
    }
}

#[test]
fn every_seed_is_taken_as_what_it_is() {
    // The envelope's seeds are forged or altered blobs: refused, by design.
    for t in TARGETS.iter().filter(|t| t.name != "envelope") {
        for seed in (t.seeds)() {
            match try_run(t, &seed) {
                Ok(Outcome::Accepted(_)) => {}
                other => panic!("{}: a seed was not accepted: {other:?} ({seed:02x?})", t.name),
            }
        }
    }
}

#[test]
fn garbage_gets_a_typed_error() {
    let garbage: [&[u8]; 7] =
        [b"", &[0x00], &[0xff, 0xff], &[0x03, 0xff], &[0x02, 1, 2, 3], &[0x83; 40], b"GET / HTTP/1.1"];
    for name in ["client_frame", "relay_frame", "envelope"] {
        let t = target(name).unwrap();
        for g in garbage {
            assert!(matches!(try_run(t, g), Ok(Outcome::Refused(_))), "{name} took {g:02x?}");
        }
    }
    // No bytes are no changes: applying them changes nothing, rightly.
    let opens = target("device_opens").unwrap();
    for g in &garbage[1..] {
        assert!(matches!(try_run(opens, g), Ok(Outcome::Refused(_))), "a device applied {g:02x?}");
    }
}

/// A few thousand mutations of each target's corpus, the same on every
/// run: new code meets some fuzzing in every test run, not only under
/// `cargo xtask fuzz`.
#[test]
fn a_short_fuzz_run_of_every_target_finds_nothing() {
    for t in TARGETS {
        let runs = if t.max_len > 1024 { 300 } else { 3_000 };
        let options = Options {
            duration: Duration::from_secs(60),
            max_runs: runs,
            seed: 11,
            findings_dir: None,
            current: None,
            slow: Duration::from_secs(5),
        };
        let report = fuzz(t, &corpus_dir(t), &options).unwrap();
        assert!(
            report.findings.is_empty(),
            "{}: {:#?}\n(reproduce: cargo xtask fuzz --target {} --seed 11)",
            t.name,
            report.findings,
            t.name
        );
        eprintln!("{}: {} runs in {:?}, {} labels", t.name, report.runs, report.elapsed, report.labels);
    }
}

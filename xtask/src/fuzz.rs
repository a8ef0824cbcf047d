//! `cargo xtask fuzz`: every decoder a stranger can reach, fuzzed (the
//! targets of `tools/fuzz`), then the relay process under random frames
//! from many connections (`relay/tests/random_frames.rs`), longer than in
//! the normal test run. Findings land in `fuzz/corpus/<target>/`, where
//! every later test run replays them.

use anyhow::{bail, Context, Result};
use std::path::Path;

use crate::util::{cmd, output_of, run, target_dir};

const FUZZ_PACKAGE: &str = "lotse-fuzz";
/// The relay process under random frames: not a decoder, but run here too.
const RELAY: &str = "relay_process";
const TARGETS: [&str; 8] =
    ["client_frame", "relay_frame", "envelope", "statement", "device_opens", "device_session", "relay_session", RELAY];

struct Args {
    targets: Vec<String>,
    seconds: u64,
    libfuzzer: bool,
    seed: Option<String>,
}

fn parse(args: &[String]) -> Result<Args> {
    let mut parsed = Args { targets: vec![], seconds: 60, libfuzzer: false, seed: None };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} takes a value"));
        match flag.as_str() {
            "--target" => {
                let name = value()?;
                if !TARGETS.contains(&name.as_str()) {
                    bail!("no fuzz target {name:?}; the targets: {}", TARGETS.join(" "));
                }
                parsed.targets.push(name.clone());
            }
            "--seconds" => parsed.seconds = value()?.parse().context("--seconds takes a number")?,
            "--seed" => parsed.seed = Some(value()?.clone()),
            "--engine" => {
                parsed.libfuzzer = match value()?.as_str() {
                    "stable" => false,
                    "libfuzzer" => true,
                    other => bail!("--engine is stable or libfuzzer, not {other:?}"),
                }
            }
            other => bail!("unknown flag {other:?} (`cargo xtask help` lists them)"),
        }
    }
    if parsed.targets.is_empty() {
        parsed.targets = TARGETS.iter().map(|t| t.to_string()).collect();
    }
    Ok(parsed)
}

pub(crate) fn command(root: &Path, args: &[String]) -> Result<()> {
    let args = parse(args)?;
    let decoders: Vec<&str> = args.targets.iter().map(String::as_str).filter(|t| *t != RELAY).collect();
    if !decoders.is_empty() {
        if args.libfuzzer {
            libfuzzer(root, &decoders, args.seconds)?;
        } else {
            stable(root, &decoders, args.seconds, args.seed.as_deref())?;
        }
    }
    if args.targets.iter().any(|t| t == RELAY) {
        run(cmd("cargo", ["test", "-p", "lotse-relay", "--test", "random_frames", "--", "--nocapture"])
            .env("LOTSE_RELAY_FUZZ_SECONDS", args.seconds.to_string())
            .current_dir(root))?;
    }
    Ok(())
}

/// The stable loop (`tools/fuzz`), built with overflow checks and panics
/// that unwind (`[profile.fuzz]`).
fn stable(root: &Path, targets: &[&str], seconds: u64, seed: Option<&str>) -> Result<()> {
    run(cmd("cargo", ["build", "--profile", "fuzz", "-p", FUZZ_PACKAGE]).current_dir(root))?;
    let mut fuzz = cmd(target_dir(root).join("fuzz").join(FUZZ_PACKAGE).to_str().context("a UTF-8 path")?, ["run"]);
    fuzz.args(["--seconds", &seconds.to_string()]).current_dir(root);
    for t in targets {
        fuzz.args(["--target", t]);
    }
    if let Some(seed) = seed {
        fuzz.args(["--seed", seed]);
    }
    run(&mut fuzz).context("the fuzz loop found something: see FINDING above, and fuzz/corpus/")
}

/// cargo-fuzz (`fuzz/`): libFuzzer with coverage guidance and
/// AddressSanitizer. Reads the repository's corpus and writes what it
/// learns to a scratch corpus in the target directory; a crash is copied
/// into the repository's corpus.
fn libfuzzer(root: &Path, targets: &[&str], seconds: u64) -> Result<()> {
    if output_of("cargo", &["+nightly", "fuzz", "--version"]).is_none() {
        bail!(
            "the libfuzzer engine needs a nightly toolchain and cargo-fuzz \
             (`rustup toolchain install nightly --profile minimal`, `cargo install cargo-fuzz`); \
             `cargo xtask fuzz` without --engine needs neither"
        );
    }
    let mut failed = Vec::new();
    for t in targets {
        let scratch = target_dir(root).join("fuzz-corpus").join(t);
        let corpus = root.join("fuzz").join("corpus").join(t);
        let artifacts = root.join("fuzz").join("artifacts").join(t);
        std::fs::create_dir_all(&scratch)?;
        let result = run(cmd("cargo", ["+nightly", "fuzz", "run", "-O", t])
            .arg(&scratch)
            .arg(&corpus)
            .args(["--", &format!("-max_total_time={seconds}"), "-rss_limit_mb=2048", "-timeout=10"])
            .current_dir(root));
        for entry in std::fs::read_dir(&artifacts).into_iter().flatten() {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            let kind = name.split('-').next().unwrap_or("crash");
            let bytes = std::fs::read(&path)?;
            let kept = corpus.join(format!("{kind}-libfuzzer-{}", &name[name.len().saturating_sub(16)..]));
            std::fs::write(&kept, bytes)?;
            std::fs::remove_file(&path)?;
            eprintln!("FINDING {t}: {}", kept.display());
        }
        if result.is_err() {
            failed.push(*t);
        }
    }
    if !failed.is_empty() {
        bail!("libFuzzer found something in {}: see fuzz/corpus/", failed.join(", "));
    }
    Ok(())
}

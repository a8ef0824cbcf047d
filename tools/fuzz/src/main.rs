//! `lotse-fuzz`: the stable fuzz loop (`cargo xtask fuzz` builds and runs it).
//!
//! ```text
//! lotse-fuzz run [--target NAME]... [--seconds N] [--seed S]
//! lotse-fuzz seed        write every target's seeds into fuzz/corpus/
//! lotse-fuzz replay NAME FILE...
//! lotse-fuzz list
//! ```
//!
//! `run` fuzzes each target in a child process under a memory limit; if the
//! child dies (an abort, a stack overflow, an allocation past the limit, a
//! hang the watchdog ends), the input it was running is written to the
//! corpus as a finding and a new child goes on with the time left.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use lotse_fuzz::run::{fuzz, Options};
use lotse_fuzz::{corpus_dir, file_name, read_corpus, target, Target, TARGETS};

/// The child's address space: an allocation past it aborts the child.
const MEMORY_LIMIT_KB: u64 = 4 * 1024 * 1024;
/// An input running longer than this ends the child: a hang.
const HANG: Duration = Duration::from_secs(10);
/// An input running longer than this (but ending) is a finding.
const SLOW: Duration = Duration::from_millis(500);
/// The child's exit code after its watchdog found a hang.
const HUNG: i32 = 77;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("child") => child(&args[1..]),
        Some("seed") => seed(),
        Some("replay") => replay(&args[1..]),
        Some("list") => {
            for t in TARGETS {
                println!("{:16} {}", t.name, t.about);
            }
            Ok(true)
        }
        _ => {
            Err("usage: lotse-fuzz run [--target NAME]... [--seconds N] [--seed S] | seed | replay NAME FILE... | list"
                .to_owned())
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("lotse-fuzz: {e}");
            ExitCode::from(2)
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    args.windows(2).filter(|w| w[0] == name).map(|w| w[1].as_str()).collect()
}

fn number(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match flag(args, name).last() {
        Some(v) => v.parse().map_err(|_| format!("{name} takes a number, not {v:?}")),
        None => Ok(default),
    }
}

fn find(name: &str) -> Result<&'static Target, String> {
    target(name).ok_or_else(|| format!("no target {name:?}; `lotse-fuzz list` names them"))
}

/// Fuzzes each target (all by default) for `--seconds` (default 60) each.
fn run(args: &[String]) -> Result<bool, String> {
    let names = flag(args, "--target");
    let targets: Vec<&Target> = if names.is_empty() {
        TARGETS.iter().collect()
    } else {
        names.iter().map(|n| find(n)).collect::<Result<_, _>>()?
    };
    let seconds = number(args, "--seconds", 60)?;
    let mut seed = number(args, "--seed", std::process::id().into())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let scratch = std::env::temp_dir().join(format!("lotse-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let mut clean = true;
    for t in targets {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let (mut runs, mut busy, mut findings) = (0u64, Duration::ZERO, 0usize);
        let current = scratch.join(format!("{}.current", t.name));
        let report = scratch.join(format!("{}.report", t.name));
        while Instant::now() + Duration::from_millis(200) < deadline {
            let left = deadline - Instant::now();
            let _ = std::fs::remove_file(&report);
            // `ulimit -v` caps the child's address space.
            let status = Command::new("sh")
                .arg("-c")
                .arg(format!("ulimit -v {MEMORY_LIMIT_KB}; exec \"$0\" \"$@\""))
                .arg(&exe)
                .args(["child", t.name, &left.as_millis().to_string(), &seed.to_string()])
                .arg(&current)
                .arg(&report)
                .status()
                .map_err(|e| format!("could not start the fuzz child: {e}"))?;
            seed = seed.wrapping_add(1);
            // A child that ends on its own writes its report (its findings
            // are in the corpus already); one that died wrote none.
            if let Ok(text) = std::fs::read_to_string(&report) {
                let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().unwrap_or(0));
                runs += fields.next().unwrap_or(0);
                busy += Duration::from_millis(fields.next().unwrap_or(0));
                findings += fields.next().unwrap_or(0) as usize;
            } else {
                clean = false;
                findings += 1;
                let input = std::fs::read(&current).unwrap_or_default();
                let kind = if status.code() == Some(HUNG) { "hang" } else { "abort" };
                let saved = corpus_dir(t).join(file_name(kind, &input));
                let _ = std::fs::create_dir_all(corpus_dir(t));
                let _ = std::fs::write(&saved, &input);
                eprintln!("FINDING {} {kind} ({status}): {}", t.name, saved.display());
            }
        }
        if findings > 0 {
            clean = false;
        }
        let rate = runs as f64 / busy.as_secs_f64().max(1e-9);
        println!(
            "FUZZ {:16} {runs:>10} runs in {:>5.1} s, {rate:>9.0} runs/s, {findings} findings",
            t.name,
            busy.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(clean)
}

/// `child NAME MILLIS SEED CURRENT REPORT`: one fuzz process; writes
/// `runs millis findings` to REPORT.
fn child(args: &[String]) -> Result<bool, String> {
    let [name, millis, seed, current, report_file] = args else { return Err("child takes five arguments".into()) };
    let t = find(name)?;
    let millis: u64 = millis.parse().map_err(|_| "millis")?;
    let seed: u64 = seed.parse().map_err(|_| "seed")?;
    // The watchdog: the loop counts every input it runs; a count that
    // stands still for `HANG` is a hang.
    std::thread::spawn(|| {
        let (mut last, mut still) = (u64::MAX, Duration::ZERO);
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let now = lotse_fuzz::run::progress();
            still = if now == last { still + Duration::from_millis(250) } else { Duration::ZERO };
            last = now;
            if still > HANG {
                eprintln!("an input ran longer than {} s", HANG.as_secs());
                std::process::exit(HUNG);
            }
        }
    });
    let options = Options {
        duration: Duration::from_millis(millis),
        max_runs: u64::MAX,
        seed,
        findings_dir: Some(corpus_dir(t)),
        current: Some(PathBuf::from(current)),
        slow: SLOW,
    };
    let report = fuzz(t, &corpus_dir(t), &options).map_err(|e| e.to_string())?;
    for f in &report.findings {
        eprintln!(
            "FINDING {} {}: {} ({})",
            t.name,
            f.kind,
            f.message,
            f.file.as_deref().map_or("-".into(), |p| p.display().to_string())
        );
    }
    let line = format!("{} {} {}", report.runs, report.elapsed.as_millis(), report.findings.len());
    std::fs::write(report_file, line).map_err(|e| e.to_string())?;
    Ok(true)
}

/// Writes every target's seeds into its corpus folder (`seed-<hash>`) and
/// removes seeds no target makes any more.
fn seed() -> Result<bool, String> {
    for t in TARGETS {
        let dir = corpus_dir(t);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let seeds: Vec<(String, Vec<u8>)> = (t.seeds)().into_iter().map(|s| (file_name("seed", &s), s)).collect();
        for (path, _) in read_corpus(&dir).map_err(|e| e.to_string())? {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            if name.starts_with("seed-") && !seeds.iter().any(|(n, _)| *n == name) {
                std::fs::remove_file(&path).map_err(|e| e.to_string())?;
            }
        }
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).map_err(|e| e.to_string())?;
        }
        println!("{}: {} seeds", t.name, seeds.len());
    }
    Ok(true)
}

fn replay(args: &[String]) -> Result<bool, String> {
    let (name, files) = args.split_first().ok_or("replay NAME FILE...")?;
    let t = find(name)?;
    let mut clean = true;
    for file in files {
        let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
        let started = Instant::now();
        match lotse_fuzz::run::try_run(t, &bytes) {
            Ok(outcome) => println!("{file}: {outcome:?} in {:?}", started.elapsed()),
            Err(message) => {
                clean = false;
                println!("{file}: PANIC {message}");
            }
        }
    }
    Ok(clean)
}

//! The stable fuzz loop: pick an input from the pool (corpus and seeds),
//! mutate it or make a fresh one, run the target, keep inputs that reach a
//! label not seen before. A panic is a finding: it is cut down to the
//! smallest input that still panics at the same place and written to the
//! corpus as `crash-<hash>`. An input slower than `slow` is written as
//! `slow-<hash>`. What cannot be caught in the process (an abort, a stack
//! overflow, an allocation past the memory limit, a hang) is caught by the
//! parent process (`main.rs`) from the input the loop wrote to `current`
//! before running it.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};

use crate::mutate::{fresh, mutate, Rng};
use crate::{file_name, read_corpus, Target};

#[derive(Debug, Clone)]
pub struct Options {
    pub duration: Duration,
    /// At most this many runs (for a deterministic run in tests).
    pub max_runs: u64,
    pub seed: u64,
    /// Where findings are written (`None`: only reported).
    pub findings_dir: Option<PathBuf>,
    /// Each input is written here before it runs (`None`: not written).
    pub current: Option<PathBuf>,
    /// An input that takes longer is a finding.
    pub slow: Duration,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: &'static str,
    pub message: String,
    pub input: Vec<u8>,
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub target: &'static str,
    pub runs: u64,
    pub elapsed: Duration,
    pub pool: usize,
    pub labels: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn runs_per_second(&self) -> f64 {
        self.runs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Inputs run so far in this process (minimizing included): a watchdog
/// that sees it stand still has found a hang.
static PROGRESS: AtomicU64 = AtomicU64::new(0);

pub fn progress() -> u64 {
    PROGRESS.load(Ordering::Relaxed)
}

thread_local! {
    /// Whether this thread runs an input under [`try_run`], and the place and
    /// message of the panic it caught.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps the panics of inputs quiet (each is reported once, as a finding)
/// and remembers what and where; any other panic is reported as before.
fn install_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                return previous(info);
            }
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let place = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{place}: {message}")));
        }));
    });
}

/// Runs one input; the panic's place and message if it panicked.
pub fn try_run(target: &Target, input: &[u8]) -> Result<crate::Outcome, String> {
    install_hook();
    PROGRESS.fetch_add(1, Ordering::Relaxed);
    CATCHING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    CATCHING.with(|c| c.set(false));
    result.map_err(|_| LAST_PANIC.with(|last| last.borrow_mut().take()).unwrap_or_default())
}

fn place(message: &str) -> &str {
    message.split(": ").next().unwrap_or(message)
}

/// The smallest input (by removing runs of bytes) that still panics at the
/// same place.
fn minimize(target: &Target, input: &[u8], message: &str) -> Vec<u8> {
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len() / 2;
    while chunk > 0 && tries < 4_000 {
        let mut at = 0;
        while at < best.len() && tries < 4_000 {
            let end = (at + chunk).min(best.len());
            let mut candidate = best.clone();
            candidate.drain(at..end);
            tries += 1;
            match try_run(target, &candidate) {
                Err(m) if place(&m) == place(message) => best = candidate,
                _ => at += chunk,
            }
        }
        chunk /= 2;
    }
    best
}

fn save(dir: Option<&Path>, prefix: &str, input: &[u8]) -> Option<PathBuf> {
    let dir = dir?;
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(file_name(prefix, input));
    std::fs::write(&path, input).ok()?;
    Some(path)
}

/// Fuzzes `target` for `options.duration` (or `max_runs`).
pub fn fuzz(target: &'static Target, corpus_dir: &Path, options: &Options) -> std::io::Result<Report> {
    let mut rng = Rng::new(options.seed);
    let mut pool: Vec<Vec<u8>> = read_corpus(corpus_dir)?.into_iter().map(|(_, bytes)| bytes).collect();
    pool.extend((target.seeds)());
    pool.sort();
    pool.dedup();
    let mut labels: BTreeSet<String> = BTreeSet::new();
    let mut findings = Vec::new();
    let mut current = match &options.current {
        Some(path) => Some(std::fs::File::create(path)?),
        None => None,
    };
    let started = Instant::now();
    let mut runs = 0;
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut next = 0;
    while runs < options.max_runs && started.elapsed() < options.duration {
        // The pool first, as it is; then mutations and fresh inputs.
        let input = if next < pool.len() {
            next += 1;
            pool[next - 1].clone()
        } else if rng.below(10) == 0 {
            fresh(&mut rng, target.name, target.max_len)
        } else {
            let mut input = pool[rng.below(pool.len())].clone();
            mutate(&mut rng, &mut input, &pool, target.max_len);
            input
        };
        if let Some(file) = current.as_mut() {
            use std::io::{Seek, Write};
            file.set_len(0)?;
            file.rewind()?;
            file.write_all(&input)?;
        }
        runs += 1;
        let t = Instant::now();
        let result = try_run(target, &input);
        let took = t.elapsed();
        match result {
            Ok(outcome) => {
                if took > options.slow {
                    let message = format!("took {} ms", took.as_millis());
                    if seen.insert(format!("slow:{}", outcome.label())) {
                        let file = save(options.findings_dir.as_deref(), "slow", &input);
                        findings.push(Finding { kind: "slow", message, input: input.clone(), file });
                    }
                }
                if labels.insert(outcome.label().to_owned()) && next >= pool.len() {
                    pool.push(input);
                    next = pool.len();
                }
            }
            Err(message) => {
                if seen.insert(place(&message).to_owned()) {
                    let small = minimize(target, &input, &message);
                    let file = save(options.findings_dir.as_deref(), "crash", &small);
                    findings.push(Finding { kind: "crash", message, input: small, file });
                }
            }
        }
    }
    Ok(Report {
        target: target.name,
        runs,
        elapsed: started.elapsed(),
        pool: pool.len(),
        labels: labels.len(),
        findings,
    })
}

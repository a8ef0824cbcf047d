//! `cargo xtask bench`: the figures the foundation issue, the notebook
//! issue, the relay issue, the report issue and issue 8 (memory, a
//! coordinator joining, Lighthouse) ask for, as a table.
//!
//! Every source prints its figures as lines
//! `BENCH<TAB>figure<TAB>value<TAB>target` (target `-` if none); this collects
//! them from the size script, the relay's `cargo bench`, the relay load
//! generator (`tools/relay-load`) and the browser bench.

use crate::util::{cmd, run_capture, target_dir, Steps};
use crate::{build_app, build_load_generator, build_relay, dist_dir, e2e_env, setup, RELAY_PACKAGE};
use anyhow::{bail, Result};
use std::ffi::OsStr;
use std::path::Path;

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Figure {
    pub name: String,
    pub value: String,
    pub target: String,
    /// The figure before the change that a source compares against (`-`).
    pub before: String,
}

pub(crate) fn parse_figures(lines: &[String]) -> Vec<Figure> {
    lines
        .iter()
        .filter_map(|line| {
            let mut parts = line.trim_end().split('\t');
            if parts.next()? != "BENCH" {
                return None;
            }
            let name = parts.next()?.to_owned();
            let value = parts.next()?.to_owned();
            let target = parts.next().unwrap_or("-").to_owned();
            let before = parts.next().unwrap_or("-").to_owned();
            Some(Figure { name, value, target, before })
        })
        .collect()
}

/// The relay bench's own lines, `<what>  <n> pushes in <t> s = <rate> pushes/s  (…)`,
/// when it prints no BENCH lines.
pub(crate) fn parse_relay_rates(lines: &[String]) -> Vec<Figure> {
    lines
        .iter()
        .filter(|line| line.contains("pushes/s"))
        .filter_map(|line| {
            let (head, rate) = line.split_once(" = ")?;
            let (what, _) = head.split_once(" pushes in ")?;
            let (what, _count) = what.trim_end().rsplit_once(char::is_whitespace)?;
            Some(Figure {
                name: format!("relay: {}", what.trim()),
                value: rate.split_whitespace().collect::<Vec<_>>().join(" "),
                target: "-".into(),
                before: "-".into(),
            })
        })
        .collect()
}

/// `cargo xtask bench [relay-load FLAGS…]`.
pub(crate) fn command(root: &Path, args: &[String]) -> Result<()> {
    match args.split_first() {
        None => run(root),
        Some((what, flags)) if what == "relay-load" => {
            let mut steps = Steps::new();
            let mut figures = Vec::new();
            let result = steps.step("relay: devices over WebSockets, swept upward; 32 connections pushing", || {
                build_relay(root)?;
                figures.extend(relay_load(root, flags)?);
                Ok(())
            });
            steps.summary();
            print_table(&figures);
            result
        }
        Some((other, _)) => bail!("`cargo xtask bench` runs everything, or `bench relay-load [FLAGS]`; not `{other}`"),
    }
}

/// Runs the load generator against the release relay (built already) and
/// returns its figures. `flags` go to it as they are.
fn relay_load(root: &Path, flags: &[String]) -> Result<Vec<Figure>> {
    let generator = build_load_generator(root)?;
    let relay = crate::relay_binary(root);
    // The relays' databases on the target directory's disk, like a real one.
    let data = target_dir(root).join("relay-load");
    let mut command = cmd(generator.to_string_lossy().as_ref(), [OsStr::new("--relay"), relay.as_os_str()]);
    command.arg("--data-dir").arg(&data).args(flags).current_dir(root);
    Ok(parse_figures(&run_capture(&mut command)?))
}

pub(crate) fn run(root: &Path) -> Result<()> {
    let mut steps = Steps::new();
    let mut figures = Vec::new();
    let result = (|| {
        steps.step("set-up", || setup::run_all(root))?;
        steps.step("release build: the app and the relay", || {
            build_app(root)?;
            build_relay(root).map(|_| ())
        })?;
        steps.step("transfer size of the build", || {
            let dist = dist_dir(root);
            let mut command = cmd("node", [OsStr::new("bench/size.mjs"), dist.as_os_str()]);
            e2e_env(root, &mut command);
            figures.extend(parse_figures(&run_capture(&mut command)?));
            Ok(())
        })?;
        steps.step("relay: durable pushes per second (cargo bench)", || {
            let lines = run_capture(cmd("cargo", ["bench", "-p", RELAY_PACKAGE]).current_dir(root))?;
            let mut found = parse_figures(&lines);
            if found.is_empty() {
                found = parse_relay_rates(&lines);
            }
            if found.is_empty() {
                figures.push(Figure {
                    name: "relay (no BENCH lines; see its output above)".into(),
                    value: "?".into(),
                    target: "-".into(),
                    before: "-".into(),
                });
            }
            figures.extend(found);
            Ok(())
        })?;
        steps.step("the desk on the bench data: conflicts, duplicates, review (cargo bench)", || {
            let lines =
                run_capture(cmd("cargo", ["bench", "-p", "lotse-model", "--bench", "notebook"]).current_dir(root))?;
            figures.extend(parse_figures(&lines));
            Ok(())
        })?;
        steps.step("relay: devices over WebSockets, swept upward; 32 connections pushing", || {
            figures.extend(relay_load(root, &[])?);
            Ok(())
        })?;
        steps.step("the same with two relays on one PostgreSQL database", || {
            figures.extend(relay_load(root, &["--postgres".into(), "2".into()])?);
            Ok(())
        })?;
        // The browser bench's parts, each a run of its own (a failing part
        // names itself in the summary).
        const BROWSER: &[(&str, &str)] = &[
            ("contacts", "browser: 1,000 contacts offline at 4x CPU, save latency"),
            // `#/demo?size=bench`: 5,000 contacts, 20,000 consultations, 500 events.
            ("notebook", "browser: bench demo offline at 4x CPU: Today, lists, filters"),
            ("mentor", "browser: a mentor's community offline at 4x CPU: Today"),
            ("report", "browser: the year's report on the bench demo at 4x CPU: computed, and an export counted again"),
            ("taps", "browser: the three quick actions of a meeting, counted in taps"),
            ("pin", "browser: the app lock's Argon2id derivation"),
            ("memory", "browser: the page's memory with the bench demo, opened offline"),
            ("join", "browser: a second coordinator joins the bench demo through the relay"),
            ("lighthouse", "browser: Lighthouse, mobile, first visit"),
        ];
        for (part, what) in BROWSER {
            steps.step(what, || {
                if *part == "lighthouse" {
                    setup::bench_packages(root)?;
                }
                let mut command = cmd("node", ["bench/browser.mjs", part]);
                e2e_env(root, &mut command);
                figures.extend(parse_figures(&run_capture(&mut command)?));
                Ok(())
            })?;
        }
        Ok(())
    })();
    steps.summary();
    print_table(&figures);
    result
}

fn print_table(figures: &[Figure]) {
    let width = figures.iter().map(|f| f.name.len()).max().unwrap_or(6).max(6);
    let value_width = figures.iter().map(|f| f.value.chars().count()).max().unwrap_or(5).max(5);
    let before_width = figures.iter().map(|f| f.before.chars().count()).max().unwrap_or(6).max(6);
    println!("\n{:<width$}  {:<value_width$}  {:<before_width$}  target", "figure", "value", "before");
    println!("{}", "-".repeat(width + value_width + before_width + 14));
    for f in figures {
        println!("{:<width$}  {:<value_width$}  {:<before_width$}  {}", f.name, f.value, f.before, f.target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_relay_benchs_own_lines() {
        let lines = vec![
            "pushes of 1024-byte sealed bundles".to_string(),
            "store alone, one commit per push                       2000 pushes in    1.50 s =     1333 pushes/s".into(),
            "WebSocket + SQLite, 32 in flight                       2000 pushes in    2.00 s =     1000 pushes/s  (ack latency p50 1.00 ms, p99 2.00 ms)".into(),
        ];
        let figures = parse_relay_rates(&lines);
        assert_eq!(figures.len(), 2);
        assert_eq!(figures[0].name, "relay: store alone, one commit per push");
        assert_eq!(figures[0].value, "1333 pushes/s");
        assert_eq!(figures[1].name, "relay: WebSocket + SQLite, 32 in flight");
        assert_eq!(figures[1].value, "1000 pushes/s (ack latency p50 1.00 ms, p99 2.00 ms)");
    }

    #[test]
    fn reads_bench_lines_and_ignores_everything_else() {
        let lines: Vec<String> = [
            "Compiling lotse-relay",
            "BENCH\twasm gzip\t412.0 KB\t<= 500 KB",
            "BENCH\tpushes/s\t1800",
            "BENCH\tToday usable\t3660 ms\t<= 1000 ms\t13.8 s",
            "BENCHMARK results",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            parse_figures(&lines),
            vec![
                Figure {
                    name: "wasm gzip".into(),
                    value: "412.0 KB".into(),
                    target: "<= 500 KB".into(),
                    before: "-".into()
                },
                Figure { name: "pushes/s".into(), value: "1800".into(), target: "-".into(), before: "-".into() },
                Figure {
                    name: "Today usable".into(),
                    value: "3660 ms".into(),
                    target: "<= 1000 ms".into(),
                    before: "13.8 s".into()
                },
            ]
        );
    }
}

//! What Linux says about a process and the machine: CPU time from
//! `/proc/<pid>/stat` and `/proc/stat`, peak memory from `/proc/<pid>/status`.

use std::process::Command;

use anyhow::{Context as _, Result};

/// User plus system CPU time of a process, in clock ticks.
pub(crate) fn cpu_ticks(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/stat");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    parse_stat(&text).with_context(|| format!("{path} has no utime and stime"))
}

/// The process's name (field 2) is in parentheses and may hold spaces, so
/// fields are counted after the last `)`: state is field 3, utime 14, stime 15.
fn parse_stat(text: &str) -> Option<u64> {
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// User plus system CPU time of every process named `name` (its `comm`),
/// in clock ticks: e.g. all of PostgreSQL's.
pub(crate) fn named_ticks(name: &str) -> u64 {
    let Ok(procs) = std::fs::read_dir("/proc") else { return 0 };
    procs
        .flatten()
        .filter(|p| std::fs::read_to_string(p.path().join("comm")).is_ok_and(|c| c.trim_end() == name))
        .filter_map(|p| parse_stat(&std::fs::read_to_string(p.path().join("stat")).ok()?))
        .sum()
}

/// User plus system CPU time of the thread of `pid` named `name` (its
/// `comm`, cut to 15 bytes by Linux), in clock ticks; `None` if there is none.
pub(crate) fn thread_ticks(pid: u32, name: &str) -> Option<u64> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).ok()?;
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim_end() == name {
            return parse_stat(&std::fs::read_to_string(task.path().join("stat")).ok()?);
        }
    }
    None
}

/// The peak resident set size of a process (`VmHWM`), in KiB.
pub(crate) fn peak_rss_kib(pid: u32) -> Result<u64> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    status_kib(&text, "VmHWM:").with_context(|| format!("{path} has no VmHWM"))
}

fn status_kib(text: &str, field: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(field))?;
    line[field.len()..].split_whitespace().next()?.parse().ok()
}

/// The whole machine's busy time (all CPUs, everything but idle and
/// iowait) and its total, in clock ticks, from the first line of /proc/stat.
pub(crate) fn machine_ticks() -> Result<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/stat").context("reading /proc/stat")?;
    parse_machine(&text).context("/proc/stat has no cpu line")
}

fn parse_machine(text: &str) -> Option<(u64, u64)> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let values: Vec<u64> = line.split_whitespace().skip(1).map(|v| v.parse().ok()).collect::<Option<_>>()?;
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total: u64 = values.iter().take(8).sum();
    let idle = values.get(3)? + values.get(4).copied().unwrap_or(0);
    Some((total - idle, total))
}

/// Clock ticks per second (`USER_HZ`); 100 on every common Linux.
pub(crate) fn ticks_per_second() -> u64 {
    let out = Command::new("getconf").arg("CLK_TCK").output().ok();
    out.and_then(|o| String::from_utf8(o.stdout).ok()).and_then(|s| s.trim().parse().ok()).unwrap_or(100)
}

/// This process's soft limit on open files (each device is a socket at
/// both ends), if Linux says.
pub(crate) fn open_files_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utime_and_stime_are_found_after_a_name_with_spaces_and_parentheses() {
        let stat = "4242 (lotse (relay) x) S 1 4242 4242 0 -1 4194560 1353 0 0 0 731 269 0 0 20 0 3 0 55 1 2";
        assert_eq!(parse_stat(stat), Some(731 + 269));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn the_peak_resident_size_is_read_in_kib() {
        let status = "Name:\tlotse-relay\nVmPeak:\t  900000 kB\nVmHWM:\t  428123 kB\nVmRSS:\t  400000 kB\n";
        assert_eq!(status_kib(status, "VmHWM:"), Some(428_123));
        assert_eq!(status_kib(status, "VmSwap:"), None);
    }

    #[test]
    fn machine_busy_time_leaves_out_idle_and_iowait() {
        let stat = "cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\n";
        assert_eq!(parse_machine(stat), Some((100 + 5 + 50 + 3 + 2 + 1, 1181)));
    }

    #[test]
    fn this_process_and_a_named_thread_of_it_can_be_measured() {
        let me = std::process::id();
        assert!(peak_rss_kib(me).unwrap() > 0);
        cpu_ticks(me).unwrap();
        assert!(machine_ticks().unwrap().1 > 0);
        let (started, stop) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let thread = std::thread::Builder::new()
            .name("relay-load-probe".into())
            .spawn(move || {
                started.0.send(()).unwrap();
                let _ = stop.1.recv();
            })
            .unwrap();
        started.1.recv().unwrap();
        assert!(thread_ticks(me, "relay-load-prob").is_some(), "found by its name as Linux cuts it");
        assert!(thread_ticks(me, "no such thread").is_none());
        stop.0.send(()).unwrap();
        thread.join().unwrap();
    }
}

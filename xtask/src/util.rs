//! Running commands, finding paths.

use anyhow::{bail, Context, Result};
use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The repository root (xtask lives one level below it).
pub(crate) fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask has a parent directory").to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` or `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// Where `setup` installs tools that come from npm (binaryen's wasm-opt).
pub(crate) fn tools_dir(root: &Path) -> PathBuf {
    target_dir(root).join("tools")
}

/// Puts the tools `setup` installs first on this process's PATH, so every
/// command xtask starts (Trunk above all) finds them: npm's binaryen before
/// any system one, and cargo's bin directory even when a fresh shell lacks it.
pub(crate) fn prepend_tool_paths(root: &Path) {
    let cargo_bin = match std::env::var_os("CARGO_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home).join("bin"),
        _ => home_dir().join(".cargo").join("bin"),
    };
    let mut paths = vec![tools_dir(root).join("node_modules").join(".bin"), cargo_bin];
    if let Some(existing) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&existing));
    }
    let joined = std::env::join_paths(paths).expect("PATH entries contain no separator");
    std::env::set_var("PATH", joined);
}

fn home_dir() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"))
}

/// A command with its program and arguments, shown before it runs.
pub(crate) fn cmd<I, S>(program: &str, args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(program);
    command.args(args);
    command
}

fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = command.get_current_dir() {
        line.push_str(&format!("   (in {})", dir.display()));
    }
    line
}

/// Runs a command with inherited stdio; fails if it fails.
pub(crate) fn run(command: &mut Command) -> Result<()> {
    let line = describe(command);
    eprintln!("$ {line}");
    let status = command.status().with_context(|| format!("could not start `{line}` (is it installed?)"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Runs a command, passing its stdout through line by line and returning it too.
pub(crate) fn run_capture(command: &mut Command) -> Result<Vec<String>> {
    let line = describe(command);
    eprintln!("$ {line}");
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}` (is it installed?)"))?;
    let stdout = child.stdout.take().expect("stdout was piped");
    let mut lines = Vec::new();
    for out in BufReader::new(stdout).lines() {
        let out = out.context("reading the command's output")?;
        println!("{out}");
        lines.push(out);
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(lines)
}

/// The trimmed stdout of a command if it ran and succeeded; `None` if it is
/// missing or failed.
pub(crate) fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A timed step of a longer command; prints a heading and, at the end, the time it took.
pub(crate) struct Steps {
    done: Vec<(String, f64)>,
}

impl Steps {
    pub(crate) fn new() -> Self {
        Self { done: Vec::new() }
    }

    pub(crate) fn step(&mut self, name: &str, work: impl FnOnce() -> Result<()>) -> Result<()> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        let result = work().with_context(|| format!("step failed: {name}"));
        self.done.push((name.to_owned(), start.elapsed().as_secs_f64()));
        result
    }

    pub(crate) fn summary(&self) {
        eprintln!("\n{:<62} {:>8}", "step", "seconds");
        for (name, secs) in &self.done {
            eprintln!("{name:<62} {secs:>8.1}");
        }
    }
}

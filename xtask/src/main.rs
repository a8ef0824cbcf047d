//! `cargo xtask <command>`: set-up, build, run, test and bench Lotse.
//!
//! Everything a fresh Debian machine with rustup, cargo, node and npm needs is
//! installed by `setup`, which every other command runs first.

mod bench;
mod fuzz;
mod postbuild;
mod setup;
mod sha256;
mod split;
mod util;

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use util::{cmd, run, target_dir, Steps};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup        install what is missing (wasm target, Trunk, wasm-bindgen-cli,
               npm's binaryen, Chromium + ChromeDriver, sqlite3, PostgreSQL for the
               relay's tests, the e2e npm packages)
  build        setup, then the release build of the app into dist/ (Trunk,
               then the page split into modules fetched on first use)
  run          build, then the relay serving the app and sync on
               http://127.0.0.1:8080 with its data in ./data
  test         every check and test: fmt, clippy, native tests, browser tests,
               the release build and the end-to-end tests
  bench        the figures: transfer size, relay pushes per second, the relay
               under load (below), time to a usable list of 1,000 contacts
               offline at 4x CPU throttling, save-to-durable latency, the
               bench demo (lists, report), the page's memory, a second
               coordinator joining, Lighthouse (installs e2e/bench's packages)
  bench relay-load [FLAGS]
               only the relay under load: devices over real WebSockets to a
               release relay, swept upward until fan-out p99 reaches 100 ms;
               durable pushes/s from 32 connections, each keeping 16 pushes
               unacknowledged as a device sends its outbox (about 6 minutes; a quick
               run: --window 10 --devices 256,1024; two relays on one
               PostgreSQL database: --postgres 2; all flags: --help)
  soak [--minutes N] [FLAGS]
               devices syncing through a release relay that is killed with
               SIGKILL and restarted at random (seeded) moments on the same
               SQLite file, their connections cut at random; then every
               acknowledged bundle must be in the relay's store and on every
               device of its document, in order (exits 1 naming what is
               missing; replay a run with --seed S; default 1 minute; all
               flags: --help)
  fuzz [--target NAME]... [--seconds N] [--engine stable|libfuzzer] [--seed S]
               fuzz every decoder a stranger reaches for N seconds each
               (default 60), then the relay process under random frames from
               32 connections for N seconds; findings are written to
               fuzz/corpus/<target>/ (replayed by every test run). Targets:
               client_frame relay_frame envelope statement device_opens
               device_session relay_session relay_process. The stable engine
               needs nothing;
               libfuzzer (coverage-guided) needs a nightly toolchain and
               `cargo install cargo-fuzz`
  screenshots  build, then only the screenshot tests (every page in German,
               Arabic and Russian, LOTSE_SHOT_LANGS to change), and the last
               run's screenshots beside these in e2e/screenshots-compare/
               (run it before and after a change)
  postbuild    [DIR] Trunk's post_build hook (Trunk.toml): public/, inline
               scripts out of the HTML, sw.js; DIR defaults to
               $TRUNK_STAGING_DIR, else dist/
  split-page   [DIR] the page of a Trunk build in DIR (default dist/) replaced
               by its split build, then postbuild again
  icons        render public/icons/*.png from public/icons/icon.svg (needs setup)
";

pub const RELAY_PACKAGE: &str = "lotse-relay";
/// The relay's load generator (`tools/relay-load`).
pub const LOAD_PACKAGE: &str = "lotse-relay-load";
pub const APP_PACKAGE: &str = "lotse";

fn main() {
    if let Err(err) = real_main() {
        eprintln!("\nerror: {err:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let root = util::repo_root();
    util::prepend_tool_paths(&root);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("setup") => setup::run_all(&root),
        Some("build") => {
            setup::run_all(&root)?;
            build_app(&root)
        }
        Some("postbuild") => postbuild_command(&root, rest),
        Some("split-page") => {
            let dist = rest.first().map_or_else(|| dist_dir(&root), PathBuf::from);
            split_page(&root, &dist)
        }
        Some("run") => run_command(&root, rest),
        Some("test") => test_command(&root),
        Some("bench") => bench::command(&root, rest),
        Some("fuzz") => fuzz::command(&root, rest),
        Some("soak") => soak_command(&root, rest),
        Some("screenshots") => screenshots_command(&root),
        Some("icons") => run(cmd("node", ["tools/icons.mjs"]).current_dir(root.join("e2e"))),
        Some("help" | "-h" | "--help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

pub fn dist_dir(root: &Path) -> PathBuf {
    root.join("dist")
}

/// `trunk build --release --offline` into dist/ (Trunk runs `postbuild` as
/// its hook), then the page replaced by its split build.
pub fn build_app(root: &Path) -> Result<()> {
    run(cmd("trunk", ["build", "--release", "--offline"]).current_dir(root))?;
    split_page(root, &dist_dir(root))?;
    postbuild::check(&dist_dir(root))?;
    eprintln!("built the app into {}", dist_dir(root).display());
    Ok(())
}

pub fn build_relay(root: &Path) -> Result<PathBuf> {
    run(cmd("cargo", ["build", "--release", "-p", RELAY_PACKAGE]).current_dir(root))?;
    Ok(relay_binary(root))
}

pub fn relay_binary(root: &Path) -> PathBuf {
    target_dir(root).join("release").join(RELAY_PACKAGE)
}

/// The load generator, built on its own: built together with the relay,
/// cargo would compile the relay's `lotse-sync` with the client half.
pub fn build_load_generator(root: &Path) -> Result<PathBuf> {
    run(cmd("cargo", ["build", "--release", "-p", LOAD_PACKAGE]).current_dir(root))?;
    Ok(target_dir(root).join("release").join("relay-load"))
}

/// `cargo xtask soak [FLAGS]`: the release relay under `relay-load soak`;
/// `flags` go to it as they are.
fn soak_command(root: &Path, flags: &[String]) -> Result<()> {
    let relay = build_relay(root)?;
    let generator = build_load_generator(root)?;
    // The relay's database on the target directory's disk, like a real one.
    let data = target_dir(root).join("soak");
    let mut command = cmd(generator.to_string_lossy().as_ref(), ["soak"]);
    command.arg("--relay").arg(relay).arg("--data-dir").arg(data).args(flags).current_dir(root);
    run(&mut command)
}

/// The page of the Trunk build in `dist` split, then sw.js and the
/// precompressed copies written again for the new files.
fn split_page(root: &Path, dist: &Path) -> Result<()> {
    split::split_page(root, dist)?;
    postbuild::run(root, dist, "/")
}

fn postbuild_command(root: &Path, args: &[String]) -> Result<()> {
    let out = match args.first() {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("TRUNK_STAGING_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => dist_dir(root),
        },
    };
    let mut public_url = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".to_owned());
    if !public_url.ends_with('/') {
        public_url.push('/');
    }
    postbuild::run(root, &out, &public_url)
}

fn run_command(root: &Path, args: &[String]) -> Result<()> {
    let mut demo = false;
    for arg in args {
        match arg.as_str() {
            "--demo" => demo = true,
            other => bail!("`cargo xtask run` takes no argument `{other}`"),
        }
    }
    setup::run_all(root)?;
    build_app(root)?;
    if demo {
        // Demo data is made in the browser (the keys stay on the device):
        // the page at #/demo fills an empty install.
        eprintln!("\nLotse runs on http://127.0.0.1:8080 — open http://127.0.0.1:8080/#/demo in a fresh browser profile for the demo data (Ctrl-C stops it)\n");
    } else {
        eprintln!("\nLotse runs on http://127.0.0.1:8080 (Ctrl-C stops it)\n");
    }
    let mut relay = cmd(
        "cargo",
        [
            "run",
            "--release",
            "-p",
            RELAY_PACKAGE,
            "--",
            "--listen",
            "127.0.0.1:8080",
            "--data-dir",
            "./data",
            "--app-dir",
            "./dist",
        ],
    );
    relay.current_dir(root);
    // Become the relay (cargo execs it in turn), so a signal to this process
    // reaches the relay and leaves no orphan behind.
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        Err(relay.exec()).context("could not start `cargo run -p lotse-relay`")
    }
    #[cfg(not(unix))]
    run(&mut relay)
}

fn test_command(root: &Path) -> Result<()> {
    let mut steps = Steps::new();
    let failed = all_tests(root, &mut steps);
    steps.summary();
    compare_screenshots(root);
    if !failed.is_empty() {
        bail!("{} step(s) failed: {}", failed.len(), failed.join("; "));
    }
    eprintln!("\nall tests passed");
    Ok(())
}

/// Runs every step, going on after a failure so one run shows them all (the
/// end-to-end tests only run on a successful build); returns the failures.
fn all_tests(root: &Path, steps: &mut Steps) -> Vec<String> {
    let cargo = |args: &[&str]| {
        let mut command = cmd("cargo", args);
        command.current_dir(root);
        command
    };
    let mut failed = Vec::new();
    let mut note = |name: &str, result: Result<()>| match result {
        Ok(()) => true,
        Err(err) => {
            eprintln!("\nFAILED: {name}: {err:#}");
            failed.push(name.to_owned());
            false
        }
    };
    if !note("set-up", steps.step("set-up", || setup::run_all(root))) {
        return failed;
    }
    let checks: Vec<(&str, Vec<&str>)> = vec![
        ("cargo fmt --all --check", vec!["fmt", "--all", "--check"]),
        (
            "clippy: native members",
            vec!["clippy", "--workspace", "--exclude", APP_PACKAGE, "--all-targets", "--", "-D", "warnings"],
        ),
        (
            "clippy: the app (wasm32)",
            vec!["clippy", "-p", APP_PACKAGE, "--target", setup::WASM_TARGET, "--all-targets", "--", "-D", "warnings"],
        ),
        (
            "tests: native (model, sync, relay, xtask, the fuzz corpus)",
            vec!["test", "--workspace", "--exclude", APP_PACKAGE],
        ),
    ];
    for (name, args) in checks {
        note(name, steps.step(name, || run(&mut cargo(&args))));
    }
    let name = "tests: browser (wasm-bindgen-test, headless Chromium)";
    note(
        name,
        steps.step(name, || {
            run(cargo(&["test", "-p", APP_PACKAGE, "--target", setup::WASM_TARGET])
                .env("CHROMEDRIVER", setup::CHROMEDRIVER))
        }),
    );
    let name = "release build: the app (Trunk) and the relay";
    let built = note(
        name,
        steps.step(name, || {
            build_app(root)?;
            build_relay(root).map(|_| ())
        }),
    );
    let name = "tests: end to end (real relay, headless Chromium)";
    if built {
        keep_last_screenshots(root);
        note(name, steps.step(name, || run_e2e(root, &[])));
    } else {
        eprintln!("\nskipped: {name} (no release build)");
        failed.push(format!("{name} (skipped)"));
    }
    failed
}

/// `cargo xtask screenshots`: the screenshot tests alone, then the last
/// run's screenshots beside these.
fn screenshots_command(root: &Path) -> Result<()> {
    setup::run_all(root)?;
    build_app(root)?;
    build_relay(root)?;
    keep_last_screenshots(root);
    let mut command = cmd("node", ["--test", "--test-concurrency=1", "tests/04-screenshots.test.mjs"]);
    command.arg("tests/09-pages-screenshots.test.mjs");
    e2e_env(root, &mut command);
    if std::env::var_os("LOTSE_SHOT_LANGS").is_none() {
        command.env("LOTSE_SHOT_LANGS", "de,ar,ru");
    }
    let result = run(&mut command);
    compare_screenshots(root);
    result
}

fn screenshot_dirs(root: &Path) -> [PathBuf; 3] {
    let e2e = root.join("e2e");
    [e2e.join("screenshots"), e2e.join("screenshots-before"), e2e.join("screenshots-compare")]
}

/// The last run's screenshots become "before" for this run's.
fn keep_last_screenshots(root: &Path) {
    let [now, before, _] = screenshot_dirs(root);
    if !now.is_dir() {
        return;
    }
    let moved = std::fs::remove_dir_all(&before)
        .or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
        .and_then(|()| std::fs::rename(&now, &before));
    if let Err(err) = moved {
        eprintln!("could not keep the last screenshots in {}: {err}", before.display());
    }
}

/// Prints where the screenshots are and, if an earlier run left some, the
/// folder with both side by side. Never fails the run: it is for a person.
fn compare_screenshots(root: &Path) {
    let [now, before, out] = screenshot_dirs(root);
    if !now.is_dir() {
        return;
    }
    eprintln!("\nscreenshots (412x915): {}", now.display());
    if !before.is_dir() {
        eprintln!("no earlier screenshots in {} to compare with", before.display());
        return;
    }
    let mut command = cmd("node", ["tools/side-by-side.mjs", "--before"]);
    command.arg(&before).arg("--after").arg(&now).arg("--out").arg(&out).current_dir(root.join("e2e"));
    if let Err(err) = run(&mut command) {
        eprintln!("could not put the screenshots side by side: {err:#}");
    }
}

/// The e2e test files, in a fixed order.
fn e2e_test_files(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("e2e").join("tests");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .map(|name| format!("tests/{name}"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no e2e tests in {}", dir.display());
    }
    Ok(files)
}

/// Environment for the e2e scripts: where the relay binary and the build are.
pub fn e2e_env(root: &Path, command: &mut std::process::Command) {
    command
        .current_dir(root.join("e2e"))
        .env("LOTSE_RELAY_BIN", relay_binary(root))
        .env("LOTSE_APP_DIR", dist_dir(root))
        .env("LOTSE_SCREENSHOTS", root.join("e2e").join("screenshots"))
        .env("LOTSE_CHROMIUM", setup::CHROMIUM);
}

fn run_e2e(root: &Path, extra: &[&str]) -> Result<()> {
    let mut command = cmd("node", ["--test", "--test-concurrency=1"]);
    command.args(extra).args(e2e_test_files(root)?);
    e2e_env(root, &mut command);
    run(&mut command)
}

//! `cargo xtask setup`: installs what is missing, pinned; fast when all is there.
//!
//! Only crates.io, npm and Debian are reachable (../shared/TOOLCHAIN.md): every
//! tool comes from one of them, never from a download of a prebuilt binary.

use crate::sha256;
use crate::util::{cmd, output_of, run, tools_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::Path;

pub(crate) const TRUNK_VERSION: &str = "0.21.14";
/// The major version of npm's binaryen (in xtask/tools/package.json). Never
/// Debian's binaryen 108: its wasm-opt silently breaks the app.
pub(crate) const BINARYEN_MAJOR: &str = "132";
pub(crate) const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub(crate) fn run_all(root: &Path) -> Result<()> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen(root)?;
    wasm_split(root)?;
    binaryen(root)?;
    chromium()?;
    sqlite3()?;
    postgresql()?;
    libreoffice()?;
    e2e_packages(root)?;
    Ok(())
}

fn wasm_target() -> Result<()> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        eprintln!("ok   {WASM_TARGET} target");
        return Ok(());
    }
    run(&mut cmd("rustup", ["target", "add", WASM_TARGET]))
}

fn trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    let found = output_of("trunk", &["--version"]);
    if found.as_deref() == Some(want.as_str()) {
        eprintln!("ok   {want}");
        return Ok(());
    }
    eprintln!(
        "installing {want} (found: {}); the first time this takes ~15 minutes",
        found.as_deref().unwrap_or("none")
    );
    let mut install = cmd("cargo", ["install", "--locked", "trunk", "--version", TRUNK_VERSION]);
    if found.is_some() {
        install.arg("--force");
    }
    run(&mut install)
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub(crate) fn locked_wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    parse_locked_version(&lock, "wasm-bindgen")
        .context("Cargo.lock has no wasm-bindgen package; is the app a workspace member?")
}

fn parse_locked_version(lock: &str, package: &str) -> Option<String> {
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            let version = lines.next()?.trim();
            return version.strip_prefix("version = \"").and_then(|v| v.strip_suffix('"')).map(str::to_owned);
        }
    }
    None
}

fn wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_wasm_bindgen_version(root)?;
    let cli = output_of("wasm-bindgen", &["--version"]);
    let runner = output_of("wasm-bindgen-test-runner", &["--version"]);
    let cli_ok = cli.as_deref() == Some(format!("wasm-bindgen {version}").as_str());
    let runner_ok = runner.as_deref().is_some_and(|out| out.split_whitespace().nth(1) == Some(version.as_str()));
    if cli_ok && runner_ok {
        eprintln!("ok   wasm-bindgen-cli {version}");
        return Ok(());
    }
    eprintln!("installing wasm-bindgen-cli {version} (found: {}); ~4 minutes", cli.as_deref().unwrap_or("none"));
    // Without --locked: its lock file pins a webpki-roots that crates.io no
    // longer has (../shared/TOOLCHAIN.md).
    let mut install = cmd("cargo", ["install", "wasm-bindgen-cli", "--version", version.as_str()]);
    if cli.is_some() || runner.is_some() {
        install.arg("--force");
    }
    run(&mut install)
}

/// The wasm-split CLI (crates.io's `wasm_split_cli_support`), into the tools
/// directory: `cargo xtask build` splits the page with it (xtask/src/split.rs).
fn wasm_split(root: &Path) -> Result<()> {
    let version = crate::split::WASM_SPLIT_VERSION;
    let cli = crate::split::wasm_split_cli(root);
    let stamp = cli.with_file_name(".lotse-version");
    if cli.is_file() && fs::read_to_string(&stamp).ok().as_deref() == Some(version) {
        eprintln!("ok   wasm-split-cli {version}");
        return Ok(());
    }
    eprintln!("installing wasm-split-cli {version}; ~3 minutes");
    let dest = tools_dir(root).join("wasm-split");
    run(cmd(
        "cargo",
        [
            "install",
            "--locked",
            "--force",
            "wasm_split_cli_support",
            "--version",
            version,
            "--features",
            "build-binary",
        ],
    )
    .arg("--root")
    .arg(&dest))?;
    fs::write(stamp, version)?;
    Ok(())
}

/// Installs an npm package set (package.json + package-lock.json in `source`)
/// into `dest` with `npm ci`, unless a stamp says that exact lock is installed.
fn npm_ci(source: &Path, dest: &Path, what: &str) -> Result<()> {
    let lock = fs::read(source.join("package-lock.json"))
        .with_context(|| format!("reading {}/package-lock.json", source.display()))?;
    let manifest =
        fs::read(source.join("package.json")).with_context(|| format!("reading {}/package.json", source.display()))?;
    let stamp_value = sha256::hex_digest(&[manifest.as_slice(), lock.as_slice()].concat());
    let stamp = dest.join("node_modules").join(".lotse-installed");
    if fs::read_to_string(&stamp).ok().as_deref() == Some(stamp_value.as_str()) {
        eprintln!("ok   {what}");
        return Ok(());
    }
    if source != dest {
        fs::create_dir_all(dest)?;
        fs::write(dest.join("package.json"), &manifest)?;
        fs::write(dest.join("package-lock.json"), &lock)?;
    }
    run(cmd("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(dest)
        // playwright-core never downloads a browser; this makes sure nothing does.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    fs::write(&stamp, stamp_value)?;
    Ok(())
}

fn binaryen(root: &Path) -> Result<()> {
    let dest = tools_dir(root);
    npm_ci(&root.join("xtask").join("tools"), &dest, "npm binaryen")?;
    let wasm_opt = dest.join("node_modules").join(".bin").join("wasm-opt");
    let version = output_of(wasm_opt.to_str().context("non-UTF-8 path")?, &["--version"])
        .context("npm's wasm-opt does not run")?;
    // "wasm-opt version 132 (version_132)"
    if version.split_whitespace().nth(2) != Some(BINARYEN_MAJOR) {
        bail!("{} reports `{version}`, expected version {BINARYEN_MAJOR}", wasm_opt.display());
    }
    // PATH has the tools dir first (util::prepend_tool_paths), so this is the
    // wasm-opt Trunk finds; Trunk.toml pins version_132 as a second guard.
    let on_path = output_of("wasm-opt", &["--version"]).unwrap_or_default();
    if on_path != version {
        bail!("the wasm-opt first on PATH is `{on_path}`, not npm's binaryen {BINARYEN_MAJOR}");
    }
    eprintln!("ok   wasm-opt {BINARYEN_MAJOR} (npm binaryen)");
    Ok(())
}

fn chromium() -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        let browser = output_of(CHROMIUM, &["--version"]).unwrap_or_default();
        let driver = output_of(CHROMEDRIVER, &["--version"]).unwrap_or_default();
        let major = |s: &str| {
            s.split_whitespace()
                .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
                .and_then(|v| v.split('.').next())
                .map(str::to_owned)
        };
        if major(&browser) != major(&driver) {
            eprintln!("warning: `{browser}` and `{driver}` differ; wasm tests may not start");
        }
        eprintln!("ok   {browser}");
        return Ok(());
    }
    eprintln!("installing Debian's chromium and chromium-driver");
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "chromium", "chromium-driver"]))?;
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        bail!("apt-get installed chromium, but {CHROMIUM} or {CHROMEDRIVER} is still missing");
    }
    Ok(())
}

/// The `sqlite3` shell: an end-to-end test reads the relay's database with it
/// (which key sealed each bundle).
fn sqlite3() -> Result<()> {
    if let Some(version) = output_of("sqlite3", &["--version"]) {
        eprintln!("ok   sqlite3 {}", version.split_whitespace().next().unwrap_or_default());
        return Ok(());
    }
    eprintln!("installing Debian's sqlite3");
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "sqlite3"]))
}

/// `apt-get` with `args`, through sudo unless we are root.
fn apt(args: &[&str]) -> std::process::Command {
    let root_user = output_of("id", &["-u"]).as_deref() == Some("0");
    let mut command = if root_user {
        cmd("apt-get", args)
    } else {
        let mut sudo = cmd("sudo", ["-E", "apt-get"]);
        sudo.args(args);
        sudo
    };
    command.env("DEBIAN_FRONTEND", "noninteractive");
    command
}

/// Whether Debian's PostgreSQL server binaries are here.
fn has_postgresql() -> bool {
    fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().join("bin").join("initdb").is_file())
}

/// Debian's PostgreSQL: the relay's tests start a throwaway cluster of it
/// (relay/tests/common/pg.rs); nothing runs it otherwise.
fn postgresql() -> Result<()> {
    if has_postgresql() {
        eprintln!("ok   postgresql (for the relay's PostgreSQL tests)");
        return Ok(());
    }
    eprintln!("installing Debian's postgresql (the relay's PostgreSQL tests start a throwaway cluster)");
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "postgresql"]))?;
    if !has_postgresql() {
        bail!("apt-get installed postgresql, but no /usr/lib/postgresql/*/bin/initdb is there");
    }
    Ok(())
}

/// Debian's LibreOffice Calc without a display: a test converts the report's
/// CSV and XLSX exports with `soffice --headless`, as a funder's office would
/// open them (crates/xlsx/tests/libreoffice.rs).
fn libreoffice() -> Result<()> {
    if let Some(version) = output_of("soffice", &["--version"]) {
        eprintln!("ok   {}", version.lines().next().unwrap_or_default());
        return Ok(());
    }
    eprintln!("installing Debian's libreoffice-calc-nogui (the exports' LibreOffice test)");
    run(&mut apt(&["update"]))?;
    run(&mut apt(&["install", "-y", "--no-install-recommends", "libreoffice-calc-nogui"]))?;
    if output_of("soffice", &["--version"]).is_none() {
        bail!("apt-get installed libreoffice-calc-nogui, but `soffice --version` does not run");
    }
    Ok(())
}

fn e2e_packages(root: &Path) -> Result<()> {
    let e2e = root.join("e2e");
    npm_ci(&e2e, &e2e, "e2e npm packages (playwright-core)")
}

/// The browser bench's own packages (Lighthouse), for `cargo xtask bench`
/// only: the tests and CI never install them.
pub(crate) fn bench_packages(root: &Path) -> Result<()> {
    let bench = root.join("e2e").join("bench");
    npm_ci(&bench, &bench, "bench npm packages (Lighthouse)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_locked_version_of_a_package_and_not_of_its_namesakes() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-backend"
version = "0.2.1"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(parse_locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(parse_locked_version(lock, "trunk"), None);
    }

    #[test]
    fn the_workspace_lock_pins_a_wasm_bindgen() {
        let version = locked_wasm_bindgen_version(&crate::util::repo_root()).unwrap();
        assert!(version.starts_with("0.2."), "{version}");
    }
}

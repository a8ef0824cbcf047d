//! `cargo xtask build`'s second step: the page split into modules.
//!
//! Trunk builds the page (the `lotse` binary) as one module; its Rust
//! pipeline has no step between cargo and wasm-bindgen, where a split must
//! run. So after Trunk, xtask builds the page again with the `split` feature
//! (the split points in src/app.rs) and relocations, and then:
//!
//! 1. cuts it at its split points (wasm-split, [`WASM_SPLIT_VERSION`]): a
//!    main module, one module per split point and chunks they share, and
//!    `__wasm_split.js`, which fetches a module on its first call;
//! 2. binds the main module with wasm-bindgen, keeping the linker's exports
//!    the split modules import;
//! 3. optimises every module with wasm-opt;
//! 4. puts them all in `split-<hash>/` (the hash of the linked page: the
//!    names inside are wasm-split's own, so the directory carries the
//!    version), in place of Trunk's page files, and points index.html's
//!    start script and preload links (with their integrity) at them.
//!
//! `postbuild` then runs again: sw.js precaches the split modules with the
//! rest, so an offline start opens every page.

use crate::setup::WASM_TARGET;
use crate::sha256::{self, Sha256};
use crate::util::{cmd, run, target_dir, tools_dir};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// wasm_split_cli_support 0.2.4 is the first that knows wasm-bindgen
/// 0.2.128's `__wbindgen_describe_generic_import`; with 0.2.2 a split page
/// dies with `function signature mismatch` in `wbg_cast`.
pub(crate) const WASM_SPLIT_VERSION: &str = "0.2.4";

/// The page's binary.
const PAGE: &str = "lotse";

pub(crate) fn wasm_split_cli(root: &Path) -> PathBuf {
    tools_dir(root).join("wasm-split").join("bin").join("wasm-split-cli")
}

/// Replaces the single-module page of the Trunk build in `dist` by a split one.
pub(crate) fn split_page(root: &Path, dist: &Path) -> Result<()> {
    run(cmd(
        "cargo",
        [
            "rustc",
            "--release",
            "--target",
            WASM_TARGET,
            "--bin",
            PAGE,
            "--features",
            "split",
            "--",
            // wasm-split follows the linker's relocations to find what each
            // split point needs.
            "-C",
            "link-args=--emit-relocs",
        ],
    )
    .current_dir(root))?;
    let linked = target_dir(root).join(WASM_TARGET).join("release").join(format!("{PAGE}.wasm"));
    let bytes = fs::read(&linked).with_context(|| format!("reading {}", linked.display()))?;
    let id = sha256::hex_digest(&bytes)[..16].to_owned();

    let work = target_dir(root).join("wasm-split");
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    let (cut, bound) = (work.join("cut"), work.join("bound"));
    fs::create_dir_all(&cut)?;
    run(cmd(path_str(&wasm_split_cli(root))?, ["--target", "web"]).arg(&linked).arg(&cut))?;
    run(cmd(
        "wasm-bindgen",
        ["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name", "main"],
    )
    .arg("--out-dir")
    .arg(&bound)
    .arg(cut.join("main.wasm")))?;

    let dir_name = format!("split-{id}");
    for entry in fs::read_dir(dist)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("split-") && entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        }
    }
    let out = dist.join(&dir_name);
    fs::create_dir_all(&out)?;
    fs::copy(bound.join("main.js"), out.join("main.js"))?;
    fs::copy(cut.join("__wasm_split.js"), out.join("__wasm_split.js"))?;
    wasm_opt(&bound.join("main_bg.wasm"), &out.join("main_bg.wasm"))?;
    let mut modules = 1;
    for entry in fs::read_dir(&cut)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        if name.ends_with(".wasm") && name != "main.wasm" {
            wasm_opt(&path, &out.join(&name))?;
            modules += 1;
        }
    }
    if modules == 1 {
        bail!("wasm-split found no split point in the page: is the `split` feature's split points gone?");
    }

    let html_path = dist.join("index.html");
    let html = fs::read_to_string(&html_path)?;
    let (html, trunk_files) = point_at_split_page(&html, &dir_name, dist)?;
    for file in trunk_files {
        for suffix in ["", ".br", ".gz"] {
            let path = dist.join(format!("{file}{suffix}"));
            if path.exists() {
                fs::remove_file(path)?;
            }
        }
    }
    fs::write(&html_path, html)?;
    eprintln!("split-page: the page is {modules} modules in {dir_name}/");
    Ok(())
}

fn wasm_opt(input: &Path, output: &Path) -> Result<()> {
    run(cmd("wasm-opt", ["-Oz"]).arg(input).arg("-o").arg(output))
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().context("non-UTF-8 path")
}

/// Rewrites Trunk's index.html for the split page: its start script (already
/// moved to `init-<hash>.js` by postbuild) and the preload links of its
/// `.js` and `_bg.wasm`. Returns the new HTML and Trunk's page files, now
/// unused, to delete.
fn point_at_split_page(html: &str, dir_name: &str, dist: &Path) -> Result<(String, Vec<String>)> {
    let js = format!("{dir_name}/main.js");
    let wasm = format!("{dir_name}/main_bg.wasm");
    let script = format!(
        "import init, * as bindings from '/{js}';\n\
         const wasm = await init({{ module_or_path: '/{wasm}' }});\n\
         window.wasmBindings = bindings;\n\
         dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {{detail: {{wasm}}}}));\n"
    );
    let script_name = format!("init-{}.js", &sha256::hex_digest(script.as_bytes())[..16]);
    fs::write(dist.join(&script_name), &script)?;
    // Its own file, before the start script: it imports nothing, so it runs
    // without waiting for the page module's JS (a dynamic import in the
    // start script did the same but made a returning start about 35 ms
    // slower).
    let early = early_messages(&set_up_texts(dist, &languages_of(dist)?)?);
    let early_name = format!("early-{}.js", &sha256::hex_digest(early.as_bytes())[..16]);
    fs::write(dist.join(&early_name), &early)?;

    let mut out = String::with_capacity(html.len());
    let mut old = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('>').map(|i| start + i + 1).context("unterminated tag in index.html")?;
        let tag = &rest[start..end];
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|i| &tag[i + key.len()..]).and_then(|v| v.split('"').next())
        };
        let href = attr("href").or_else(|| attr("src")).map(|h| h.trim_start_matches('/')).unwrap_or("");
        if tag.starts_with("<script") && is_trunk_init(href) {
            old.push(href.to_owned());
            // Module scripts run in document order: the early one first.
            out.push_str(&format!(
                "<script type=\"module\" src=\"/{early_name}\"></script>\n<script type=\"module\" src=\"/{script_name}\">"
            ));
        } else if tag.starts_with("<link") && is_trunk_page(href, ".js") {
            old.push(href.to_owned());
            out.push_str(&format!(
                "<link rel=\"modulepreload\" href=\"/{js}\" crossorigin=\"anonymous\" integrity=\"{}\">",
                integrity(&dist.join(&js))?
            ));
        } else if tag.starts_with("<link") && is_trunk_page(href, "_bg.wasm") {
            old.push(href.to_owned());
            out.push_str(&format!(
                "<link rel=\"preload\" href=\"/{wasm}\" crossorigin=\"anonymous\" integrity=\"{}\" as=\"fetch\" type=\"application/wasm\">",
                integrity(&dist.join(&wasm))?
            ));
        } else {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if old.len() != 3 {
        bail!("index.html does not have Trunk's page (start script, .js and .wasm preloads): found {old:?}");
    }
    Ok((out, old))
}

/// The languages the build wrote messages for (`i18n/<code>.ftl`), sorted.
fn languages_of(dist: &Path) -> Result<Vec<String>> {
    let mut codes = vec![];
    for entry in fs::read_dir(dist.join("i18n")).context("reading dist/i18n")? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if let Some(code) = name.strip_suffix(".ftl") {
            codes.push(code.to_owned());
        }
    }
    codes.sort();
    if codes.is_empty() {
        bail!("dist/i18n holds no messages");
    }
    Ok(codes)
}

/// Each language's title and intro of the set-up page, from the messages
/// the build wrote (`code`, `setup-title`, `setup-intro`): the build fails
/// if one is missing, so the splash cannot drift from the page.
fn set_up_texts(dist: &Path, codes: &[String]) -> Result<Vec<[String; 3]>> {
    codes
        .iter()
        .map(|code| {
            let path = dist.join("i18n").join(format!("{code}.ftl"));
            let ftl = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            let say = |key: &str| {
                ftl.lines()
                    .find_map(|l| l.strip_prefix(key)?.trim_start().strip_prefix('=').map(|v| v.trim().to_owned()))
                    .filter(|v| !v.is_empty())
                    .with_context(|| format!("{} has no {key}", path.display()))
            };
            Ok([code.clone(), say("setup-title")?, say("setup-intro")?])
        })
        .collect()
}

/// `s` as a JS string literal.
fn js_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\u003c"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `early-<hash>.js`, run before the start script: the messages of the
/// language the app will pick (`app::initial_lang`: the one chosen on this
/// device, else the browser's first that Lotse speaks, else German) fetched
/// while the wasm downloads and compiles, not after it. The app takes the fetch if it is of
/// the language it picked (`i18n::load`), else fetches its own.
///
/// On a first visit (no device yet, not a join link or the demo) the splash
/// turns into the top of the set-up page at once, its title and intro in
/// that language (`texts`, written in here so they wait for nothing), where
/// the app will draw them: on a slow line the newcomer reads what Lotse is
/// while the wasm is still on its way, and nothing moves when the app takes
/// over (`pages/setup.rs` draws the same, a language picker's row above).
fn early_messages(texts: &[[String; 3]]) -> String {
    let codes = texts.iter().map(|[c, ..]| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    let set_up = texts
        .iter()
        .map(|[c, title, intro]| format!("  {c}: [{}, {}],\n", js_string(title), js_string(intro)))
        .collect::<String>();
    r#"{
const codes = [__CODES__];
const primary = (c) => String(c ?? '').split(/[-_]/)[0].toLowerCase();
let chosen = null;
try { chosen = JSON.parse(localStorage.getItem('lotse.lang')); } catch {}
const lang = [chosen, ...(navigator.languages ?? []), navigator.language].map(primary).find((c) => codes.includes(c)) ?? 'de';
const url = `./i18n/${lang}.ftl`;
window.lotseMessages = { url, text: fetch(url).then((r) => (r.ok ? r.text() : null)).catch(() => null) };
const setUp = {
__SET_UP__};
let device = 'unknown';
try { device = localStorage.getItem('lotse.device'); } catch {}
const main = document.querySelector('#splash main');
if (device === null && main && !/^#(join=|\/?demo\b)/.test(location.hash)) {
  const [title, intro] = setUp[lang];
  const el = (tag, className, content) => {
    const e = document.createElement(tag);
    e.className = className;
    if (typeof content === 'string') e.textContent = content;
    else if (content) e.append(...content);
    return e;
  };
  // The picker's row, kept empty: the app draws the picker there.
  const picker = el('div', 'field language-picker', [el('label', '', '\u00a0'), el('select', '')]);
  picker.setAttribute('aria-hidden', 'true');
  picker.style.visibility = 'hidden';
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
  // A new main in place of the header and the old one: nothing painted
  // moves (a layout shift), it is replaced.
  const page = el('main', 'app-main setup', [picker, el('h1', 'page-title', title), el('p', 'intro', intro), el('p', 'loading', '…')]);
  main.parentElement.replaceChildren(page);
}
}
"#
    .replace("__CODES__", &codes)
    .replace("__SET_UP__", &set_up)
}

/// `init-<16 hex>.js`: the start script postbuild moved out of index.html.
fn is_trunk_init(name: &str) -> bool {
    name.strip_prefix("init-").and_then(|s| s.strip_suffix(".js")).is_some_and(is_hash)
}

/// `lotse-<16 hex><suffix>`: Trunk's content-hashed page files.
fn is_trunk_page(name: &str, suffix: &str) -> bool {
    name.strip_prefix("lotse-").and_then(|s| s.strip_suffix(suffix)).is_some_and(is_hash)
}

fn is_hash(s: &str) -> bool {
    s.len() >= 8 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A Subresource Integrity value (`sha256-<base64>`) of a file.
fn integrity(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut hash = Sha256::new();
    hash.update(&bytes);
    Ok(format!("sha256-{}", base64(&hash.finish())))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_examples() {
        for (input, want) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn only_trunks_hashed_page_files_are_replaced() {
        assert!(is_trunk_page("lotse-9c33ef1965406d9e.js", ".js"));
        assert!(is_trunk_page("lotse-9c33ef1965406d9e_bg.wasm", "_bg.wasm"));
        // The workers' files start with `lotse-` and a hex letter too.
        assert!(!is_trunk_page("lotse-engine_loader.js", ".js"));
        assert!(!is_trunk_page("lotse-engine.js", ".js"));
        assert!(is_trunk_init("init-54108d5135441643.js"));
    }

    #[test]
    fn the_early_messages_name_every_language_and_fall_back_to_german() {
        let texts = [["ar", "عنوان", "مقدمة"], ["de", "Titel", "Einführung \"hier\" </script>"], ["ru", "Т", "В"]]
            .map(|t| t.map(str::to_owned));
        let script = early_messages(&texts);
        assert!(script.contains("const codes = ['ar', 'de', 'ru'];"), "{script}");
        assert!(script.contains("?? 'de';"), "{script}");
        assert!(script.contains("localStorage.getItem('lotse.lang')"), "{script}");
        assert!(script.contains(r#"  ar: ["عنوان", "مقدمة"],"#), "{script}");
        // Quotes escaped, and no `</script>` that could end a script.
        assert!(script.contains(r#"  de: ["Titel", "Einführung \"hier\" \u003c/script>"],"#), "{script}");
    }

    #[test]
    fn the_set_up_texts_come_from_the_messages_and_none_may_be_missing() {
        let dist = std::env::temp_dir().join(format!("lotse-split-test-{}", std::process::id()));
        fs::create_dir_all(dist.join("i18n")).unwrap();
        fs::write(dist.join("i18n/de.ftl"), "app-name = Lotse\nsetup-title = Einrichten\nsetup-intro = Hallo =)\n")
            .unwrap();
        fs::write(dist.join("i18n/en.ftl"), "setup-title = Set up\n").unwrap();
        let texts = set_up_texts(&dist, &["de".into()]).unwrap();
        assert_eq!(texts, vec![["de", "Einrichten", "Hallo =)"].map(str::to_owned)]);
        let missing = set_up_texts(&dist, &["en".into()]).unwrap_err();
        assert!(format!("{missing:#}").contains("setup-intro"), "{missing:#}");
        fs::remove_dir_all(&dist).unwrap();
    }
}

//! `cargo xtask postbuild [DIR]`: what Trunk leaves undone, run as Trunk's
//! `post_build` hook (Trunk.toml) on its staging directory, so it holds for
//! every Trunk build, not only those xtask starts.
//!
//! 1. Copies `public/` (manifest, icons) to the root of the output, and
//!    writes each language's messages as one file, `i18n/<code>.ftl`: the
//!    page fetches its language's only (`src/i18n.rs`).
//! 2. Moves every inline `<script>` of the HTML into a file named by its
//!    content hash: the relay's Content-Security-Policy allows no inline script.
//! 3. Writes `sw.js` from the template `public/sw.js`, with the exact list of
//!    files of this build (those it precaches, and those it keeps once a page
//!    fetched them: [`ON_DEMAND`]) and a cache version that is the hash of
//!    them all.

use crate::sha256::{self, Sha256};
use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

pub(crate) const SW_TEMPLATE_VERSION: &str = "\"__LOTSE_VERSION__\"";
pub(crate) const SW_TEMPLATE_PRECACHE: &str = "[\"__LOTSE_PRECACHE__\"]";
pub(crate) const SW_TEMPLATE_ON_DEMAND: &str = "[\"__LOTSE_ON_DEMAND__\"]";

/// Files (by the start of their name) the service worker does not precache
/// but keeps once fetched: the XLSX writer's worker, which only a
/// coordinator's export loads (`src/xlsx`); a mentor's phone never
/// downloads its fifth of a megabyte.
pub(crate) const ON_DEMAND: &[&str] = &["lotse-xlsx-writer"];

/// Files that must be in every build, relative to its root.
pub(crate) const REQUIRED: &[&str] = &[
    "index.html",
    "manifest.webmanifest",
    "sw.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
];

pub(crate) fn run(root: &Path, out: &Path, public_url: &str) -> Result<()> {
    if !out.join("index.html").is_file() {
        bail!("{} has no index.html: is it a Trunk build?", out.display());
    }
    let public = root.join("public");
    copy_public(&public, out)?;
    let languages = write_translations(&root.join("src/i18n"), &out.join("i18n"))?;
    eprintln!("postbuild: wrote the messages of {languages} languages to i18n/");
    for html in html_files(out)? {
        let text = fs::read_to_string(&html)?;
        let (rewritten, scripts) = externalize_inline_scripts(&text, public_url)?;
        for script in &scripts {
            fs::write(out.join(&script.file_name), &script.content)?;
            eprintln!(
                "postbuild: moved an inline script of {} to {}",
                html.file_name().unwrap_or_default().to_string_lossy(),
                script.file_name
            );
        }
        if !scripts.is_empty() {
            fs::write(&html, rewritten)?;
        }
    }
    let template = fs::read_to_string(public.join("sw.js")).context("reading public/sw.js")?;
    let files = build_files(out)?;
    let (version, sw) = render_service_worker(&template, &files, public_url, out)?;
    fs::write(out.join("sw.js"), sw)?;
    let on_demand = files.iter().filter(|f| is_on_demand(f)).count();
    eprintln!(
        "postbuild: sw.js precaches {} files and keeps {on_demand} once fetched, cache lotse-{version}",
        files.len() - on_demand
    );
    check(out)?;
    let (raw, br) = precompress(out)?;
    eprintln!("postbuild: precompressed {} KB to {} KB of brotli", raw / 1024, br / 1024);
    Ok(())
}

/// Whether `rel` is a precompressed copy, not a file of the build.
fn is_precompressed(rel: &str) -> bool {
    rel.ends_with(".br") || rel.ends_with(".gz")
}

/// Writes `<file>.br` (brotli quality 11) and `<file>.gz` (gzip level 9)
/// beside every file that compresses, so the relay serves the smallest
/// bytes without compressing per request (its on-the-fly compression uses
/// a fast, weaker level). Returns the raw and brotli byte counts.
///
/// Not `sw.js`: it is small, and the browser checks it for updates on its
/// own; a copy that lagged behind the file would hide a new version.
pub(crate) fn precompress(out: &Path) -> Result<(usize, usize)> {
    use std::io::Write;
    let (mut raw, mut small) = (0, 0);
    for (rel, path) in walk(out)? {
        let compressible =
            [".wasm", ".js", ".css", ".html", ".json", ".webmanifest", ".svg", ".ftl"].iter().any(|e| rel.ends_with(e));
        if !compressible || is_precompressed(&rel) || rel == "sw.js" {
            continue;
        }
        let bytes = fs::read(&path)?;
        let mut br = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
            w.write_all(&bytes)?;
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        let gz = gz.finish()?;
        raw += bytes.len();
        small += br.len();
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        fs::write(path.with_file_name(format!("{name}.br")), &br)?;
        fs::write(path.with_file_name(format!("{name}.gz")), &gz)?;
    }
    Ok((raw, small))
}

/// Checks a finished build: every required file there, no inline script left.
pub(crate) fn check(out: &Path) -> Result<()> {
    for file in REQUIRED {
        if !out.join(file).is_file() {
            bail!("the build in {} lacks {file}", out.display());
        }
    }
    for html in html_files(out)? {
        let text = fs::read_to_string(&html)?;
        let (_, scripts) = externalize_inline_scripts(&text, "/")?;
        if !scripts.is_empty() {
            bail!("{} still has an inline script, which the relay's CSP blocks", html.display());
        }
        if !text.contains("rel=\"manifest\"") && !text.contains("rel=manifest") {
            eprintln!(
                "warning: {} does not link /manifest.webmanifest (<link rel=\"manifest\" href=\"/manifest.webmanifest\">); the app is not installable without it",
                html.display()
            );
        }
    }
    if out.join("public").exists() {
        eprintln!(
            "warning: {}/public exists: xtask copies public/ to the root already, index.html needs no copy-dir for it",
            out.display()
        );
    }
    Ok(())
}

fn copy_public(public: &Path, out: &Path) -> Result<()> {
    for (rel, path) in walk(public)? {
        if rel == "sw.js" {
            continue; // the template; the real one is rendered below
        }
        let dest = out.join(&rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(&path, &dest).with_context(|| format!("copying public/{rel}"))?;
    }
    Ok(())
}

/// Writes `<code>.ftl` into `out` for every `<code>.ftl` at the top of `src`
/// (the core messages), followed by that language's file of every area
/// folder beside it, in the folders' order. Returns how many languages.
pub(crate) fn write_translations(src: &Path, out: &Path) -> Result<usize> {
    let mut languages = Vec::new();
    let mut areas = Vec::new();
    for entry in fs::read_dir(src).with_context(|| format!("reading {}", src.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            areas.push(path);
        } else if let Some(code) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".ftl")) {
            languages.push(code.to_owned());
        }
    }
    languages.sort();
    areas.sort();
    fs::create_dir_all(out)?;
    for code in &languages {
        let mut text = fs::read_to_string(src.join(format!("{code}.ftl")))?;
        for area in &areas {
            let file = area.join(format!("{code}.ftl"));
            let part = fs::read_to_string(&file).with_context(|| format!("{} lacks {code}.ftl", area.display()))?;
            text.push('\n');
            text.push_str(&part);
        }
        fs::write(out.join(format!("{code}.ftl")), text)?;
    }
    Ok(languages.len())
}

fn html_files(out: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(out)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "html") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Every file under `dir`, as (path relative to it with `/`, full path),
/// sorted; hidden entries (Trunk's `.stage`) are skipped.
fn walk(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    fn visit(dir: &Path, prefix: &str, files: &mut Vec<(String, PathBuf)>) -> Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let kind = entry.file_type()?;
            if kind.is_dir() {
                visit(&entry.path(), &format!("{rel}/"), files)?;
            } else if kind.is_file() {
                files.push((rel, entry.path()));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    visit(dir, "", &mut files)?;
    files.sort();
    Ok(files)
}

/// Whether the service worker fetches `rel` only when a page asks for it.
pub(crate) fn is_on_demand(rel: &str) -> bool {
    ON_DEMAND.iter().any(|prefix| rel.starts_with(prefix))
}

/// The files the service worker caches: all of the build but `sw.js`.
pub(crate) fn build_files(out: &Path) -> Result<Vec<String>> {
    Ok(walk(out)?.into_iter().map(|(rel, _)| rel).filter(|rel| rel != "sw.js" && !is_precompressed(rel)).collect())
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ExternalScript {
    pub file_name: String,
    pub content: String,
}

/// Replaces each inline JavaScript `<script>` by `<script src=…>` and returns
/// the new HTML with the scripts to write. Data blocks (JSON) stay; an
/// inline import map is an error (it cannot move to a file).
pub(crate) fn externalize_inline_scripts(html: &str, public_url: &str) -> Result<(String, Vec<ExternalScript>)> {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut scripts = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find("<script") {
        let start = pos + found;
        let after_name = start + "<script".len();
        let next = lower[after_name..].chars().next();
        if !matches!(next, Some(c) if c == '>' || c == '/' || c.is_ascii_whitespace()) {
            out.push_str(&html[pos..after_name]);
            pos = after_name;
            continue;
        }
        let tag_end =
            find_tag_end(html, after_name).with_context(|| format!("unterminated <script> tag at byte {start}"))?;
        let attrs = parse_attributes(&html[after_name..tag_end]);
        let body_start = tag_end + 1;
        let body_end = lower[body_start..]
            .find("</script")
            .map(|i| body_start + i)
            .with_context(|| format!("<script> at byte {start} is never closed"))?;
        let close_end = lower[body_end..].find('>').map(|i| body_end + i + 1).context("unterminated </script> tag")?;
        let body = &html[body_start..body_end];
        let has_src = attrs.iter().any(|(name, _)| name == "src");
        let kind = attrs
            .iter()
            .find(|(name, _)| name == "type")
            .and_then(|(_, value)| value.clone())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let is_js = matches!(kind.as_str(), "" | "module" | "text/javascript" | "application/javascript");
        out.push_str(&html[pos..start]);
        if has_src || body.trim().is_empty() || !(is_js || kind == "importmap") {
            out.push_str(&html[start..close_end]);
        } else if kind == "importmap" {
            bail!("an inline import map cannot be moved to a file; the CSP would block it");
        } else {
            let hash = sha256::hex_digest(body.as_bytes());
            let file_name = format!("init-{}.js", &hash[..16]);
            out.push_str("<script");
            for (name, value) in &attrs {
                if name == "nonce" || name == "integrity" {
                    continue;
                }
                out.push(' ');
                out.push_str(name);
                if let Some(value) = value {
                    out.push_str(&format!("=\"{}\"", value.replace('"', "&quot;")));
                }
            }
            out.push_str(&format!(" src=\"{public_url}{file_name}\"></script>"));
            scripts.push(ExternalScript { file_name, content: body.to_owned() });
        }
        pos = close_end;
    }
    out.push_str(&html[pos..]);
    Ok((out, scripts))
}

/// The index of the `>` that ends a tag whose attributes start at `from`,
/// skipping quoted attribute values.
fn find_tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Attributes of a tag as (lowercase name, value); a trailing `/` is dropped.
fn parse_attributes(text: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
            i += 1;
        }
        let name_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' && chars[i] != '/' {
            i += 1;
        }
        if i == name_start {
            break;
        }
        let name: String = chars[name_start..i].iter().collect();
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let mut value = None;
        if i < chars.len() && chars[i] == '=' {
            i += 1;
            while i < chars.len() && chars[i].is_whitespace() {
                i += 1;
            }
            if i < chars.len() && (chars[i] == '"' || chars[i] == '\'') {
                let quote = chars[i];
                i += 1;
                let start = i;
                while i < chars.len() && chars[i] != quote {
                    i += 1;
                }
                value = Some(chars[start..i].iter().collect());
                i += 1;
            } else {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                value = Some(chars[start..i].iter().collect());
            }
        }
        attrs.push((name.to_ascii_lowercase(), value));
    }
    attrs
}

/// Fills the template with the precache list (`files` but those
/// [`is_on_demand`]), the on-demand list and the cache version (the hash of
/// the template and of every file's path and content, on-demand ones too:
/// their names carry no hash, so a changed one must change the version).
/// Returns the version and the service worker's source.
pub(crate) fn render_service_worker(
    template: &str,
    files: &[String],
    public_url: &str,
    out: &Path,
) -> Result<(String, String)> {
    for placeholder in [SW_TEMPLATE_VERSION, SW_TEMPLATE_PRECACHE, SW_TEMPLATE_ON_DEMAND] {
        let count = template.matches(placeholder).count();
        if count != 1 {
            bail!("public/sw.js must contain {placeholder} exactly once (found {count})");
        }
    }
    let mut version = Sha256::new();
    version.update(template.as_bytes());
    let (mut urls, mut on_demand) = (Vec::new(), Vec::new());
    for rel in files {
        if !rel.chars().all(|c| c.is_ascii_alphanumeric() || "-_./~".contains(c)) {
            bail!("build file name `{rel}` needs URL escaping; rename it");
        }
        let content = fs::read(out.join(rel)).with_context(|| format!("reading {rel}"))?;
        version.update(rel.as_bytes());
        version.update(&[0]);
        version.update(&Sha256::digest(&content));
        let url = format!("\"{public_url}{rel}\"");
        if is_on_demand(rel) {
            on_demand.push(url);
        } else {
            urls.push(url);
        }
    }
    let version = sha256::to_hex(&version.finish())[..16].to_owned();
    let list = |urls: &[String]| format!("[\n  {},\n]", urls.join(",\n  "));
    let sw = template
        .replace(SW_TEMPLATE_VERSION, &format!("\"{version}\""))
        .replace(SW_TEMPLATE_PRECACHE, &list(&urls))
        .replace(SW_TEMPLATE_ON_DEMAND, &list(&on_demand));
    Ok((version, sw))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_OUTPUT: &str = r#"<!DOCTYPE html><html><head>
<link rel="modulepreload" href="/lotse-1a2b.js" crossorigin="anonymous" integrity="sha384-abc">
<link rel="preload" href="/lotse-1a2b_bg.wasm" crossorigin="anonymous" integrity="sha384-def" as="fetch" type="application/wasm"></head>
<body>
<script type="application/json" id="data">{"a":1}</script>
<script type="module" nonce="{{__TRUNK NONCE__}}">
import init from '/lotse-1a2b.js';
const wasm = await init({ module_or_path: '/lotse-1a2b_bg.wasm' });

dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
</script><script src="/x.js"></script></body></html>"#;

    #[test]
    fn trunks_inline_loader_moves_to_a_file_named_by_its_hash() {
        let (html, scripts) = externalize_inline_scripts(TRUNK_OUTPUT, "/").unwrap();
        assert_eq!(scripts.len(), 1);
        let script = &scripts[0];
        assert!(script.content.contains("import init from '/lotse-1a2b.js'"));
        let expected_name = format!("init-{}.js", &sha256::hex_digest(script.content.as_bytes())[..16]);
        assert_eq!(script.file_name, expected_name);
        assert!(html.contains(&format!("<script type=\"module\" src=\"/{expected_name}\"></script>")));
        assert!(!html.contains("import init"), "{html}");
        assert!(!html.contains("nonce"), "{html}");
        // The JSON data block and the external script are left as they were.
        assert!(html.contains(r#"<script type="application/json" id="data">{"a":1}</script>"#));
        assert!(html.contains(r#"<script src="/x.js"></script>"#));
        // A second run finds nothing left to move.
        let (again, none) = externalize_inline_scripts(&html, "/").unwrap();
        assert!(none.is_empty());
        assert_eq!(again, html);
    }

    #[test]
    fn a_classic_inline_script_keeps_its_place_and_uses_the_public_url() {
        let (html, scripts) = externalize_inline_scripts("<p>a</p><SCRIPT>alert(1)</SCRIPT><p>b</p>", "/app/").unwrap();
        assert_eq!(scripts.len(), 1);
        assert_eq!(html, format!("<p>a</p><script src=\"/app/{}\"></script><p>b</p>", scripts[0].file_name));
    }

    #[test]
    fn an_inline_import_map_is_refused() {
        let err = externalize_inline_scripts(r#"<script type="importmap">{}</script>"#, "/");
        assert!(err.is_err());
    }

    #[test]
    fn the_service_worker_lists_every_file_but_itself_the_xlsx_writer_on_demand_and_its_version_follows_their_content()
    {
        let dir = std::env::temp_dir().join(format!("lotse-xtask-sw-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("icons")).unwrap();
        fs::write(dir.join("index.html"), "<html></html>").unwrap();
        fs::write(dir.join("app-1.js"), "js").unwrap();
        fs::write(dir.join("lotse-xlsx-writer_bg.wasm"), "wasm").unwrap();
        fs::write(dir.join("icons/icon-192.png"), "png").unwrap();
        fs::write(dir.join("sw.js"), "old").unwrap();
        fs::create_dir_all(dir.join(".stage")).unwrap();
        fs::write(dir.join(".stage/tmp"), "x").unwrap();
        let template = "const VERSION = \"__LOTSE_VERSION__\";\nconst PRECACHE = [\"__LOTSE_PRECACHE__\"];\nconst ON_DEMAND = [\"__LOTSE_ON_DEMAND__\"];\n";

        let files = build_files(&dir).unwrap();
        assert_eq!(files, ["app-1.js", "icons/icon-192.png", "index.html", "lotse-xlsx-writer_bg.wasm"]);
        let (v1, sw) = render_service_worker(template, &files, "/", &dir).unwrap();
        assert_eq!(v1.len(), 16);
        assert!(sw.contains(&format!("const VERSION = \"{v1}\";")));
        assert!(
            sw.contains("PRECACHE = [\n  \"/app-1.js\",\n  \"/icons/icon-192.png\",\n  \"/index.html\",\n];"),
            "{sw}"
        );
        assert!(sw.contains("ON_DEMAND = [\n  \"/lotse-xlsx-writer_bg.wasm\",\n];"), "{sw}");
        assert!(!sw.contains("__LOTSE"));

        let (same, _) = render_service_worker(template, &files, "/", &dir).unwrap();
        assert_eq!(same, v1, "the version is deterministic");
        fs::write(dir.join("app-1.js"), "js changed").unwrap();
        let (v2, _) = render_service_worker(template, &files, "/", &dir).unwrap();
        assert_ne!(v2, v1, "a changed file changes the version");
        fs::write(dir.join("lotse-xlsx-writer_bg.wasm"), "wasm changed").unwrap();
        let (v3, _) = render_service_worker(template, &files, "/", &dir).unwrap();
        assert_ne!(v3, v2, "so does a changed file fetched on demand");

        assert!(render_service_worker("no placeholders", &files, "/", &dir).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn every_text_file_gets_brotli_and_gzip_copies_that_decompress_to_it_and_are_never_precached() {
        use std::io::Read;
        let dir = std::env::temp_dir().join(format!("lotse-xtask-br-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("icons")).unwrap();
        let js = "const lotse = 'Elternmentor*innen';\n".repeat(200);
        fs::write(dir.join("app-1.js"), &js).unwrap();
        fs::write(dir.join("icons/icon-192.png"), "png").unwrap();
        fs::write(dir.join("sw.js"), "const VERSION = \"1\";").unwrap();
        let (raw, br) = precompress(&dir).unwrap();
        assert_eq!(raw, js.len(), "only the compressible file counts");
        assert!(br < raw / 10, "repetitive text shrinks: {br} of {raw}");
        let mut back = Vec::new();
        brotli::Decompressor::new(fs::File::open(dir.join("app-1.js.br")).unwrap(), 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, js.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(fs::File::open(dir.join("app-1.js.gz")).unwrap())
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, js);
        assert!(!dir.join("icons/icon-192.png.br").exists(), "a PNG is left as it is");
        assert!(
            !dir.join("sw.js.br").exists() && !dir.join("sw.js.gz").exists(),
            "the service worker is served as it is"
        );
        assert_eq!(build_files(&dir).unwrap(), ["app-1.js", "icons/icon-192.png"], "copies are not precached");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn each_language_is_one_file_of_its_core_messages_and_every_areas() {
        let src = crate::util::repo_root().join("src/i18n");
        let out = std::env::temp_dir().join(format!("lotse-xtask-i18n-{}", std::process::id()));
        let _ = fs::remove_dir_all(&out);
        assert_eq!(write_translations(&src, &out).unwrap(), 5);
        for code in ["de", "en", "tr", "ar", "ru"] {
            let text = fs::read_to_string(out.join(format!("{code}.ftl"))).unwrap();
            let core = fs::read_to_string(src.join(format!("{code}.ftl"))).unwrap();
            assert!(text.starts_with(&core), "{code}: the core messages first");
            for area in ["records", "today", "report", "import", "access"] {
                let part = fs::read_to_string(src.join(area).join(format!("{code}.ftl"))).unwrap();
                assert!(text.contains(&part), "{code}: the {area} messages");
            }
        }
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn the_committed_template_has_each_placeholder_once() {
        let template = fs::read_to_string(crate::util::repo_root().join("public/sw.js")).unwrap();
        assert_eq!(template.matches(SW_TEMPLATE_VERSION).count(), 1);
        assert_eq!(template.matches(SW_TEMPLATE_PRECACHE).count(), 1);
        assert_eq!(template.matches(SW_TEMPLATE_ON_DEMAND).count(), 1);
    }
}

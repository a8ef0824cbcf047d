//! The relay serves the built app: cache headers that fit Trunk's hashed
//! names, a CSP without 'unsafe-inline', compression, and index.html for
//! the app's own paths. Driven through `router` without a socket.

use std::path::Path;

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, StatusCode};
use axum::response::Response;
use lotse_relay::{actor, router, AppState};
use lotse_sync::relay::{MemoryStore, RelayConfig};
use tower::ServiceExt;

const INDEX: &str = "<!doctype html><title>Lotse</title><script type=module src=/lotse-0123456789abcdef.js></script>";
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// A fake `dist/` as Trunk leaves it.
fn app_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let js = "export function start() { console.log('lotse'); }\n".repeat(200);
    for (name, contents) in [
        ("index.html", INDEX.as_bytes()),
        ("sw.js", b"self.addEventListener('fetch', () => {});".as_slice()),
        ("manifest.webmanifest", br#"{"name":"Lotse"}"#.as_slice()),
        ("lotse-0123456789abcdef.js", js.as_bytes()),
        ("lotse-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0".as_slice()),
        ("style-89abcdef01234567.css", b"body { margin: 0 }".as_slice()),
        ("icon-192.png", b"\x89PNG".as_slice()),
    ] {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    dir
}

async fn get(app: &Path, path: &str, accept_encoding: Option<&str>) -> Response {
    let (relay, _actor) =
        actor::spawn(MemoryStore::default(), RelayConfig::default(), std::time::Duration::from_secs(600)).unwrap();
    let (_stop, shutdown) = tokio::sync::watch::channel(false);
    let app = router(AppState { relay, app_dir: app.into(), shutdown });
    let mut request = Request::get(path);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    app.oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
}

fn header(response: &Response, name: header::HeaderName) -> &str {
    response.headers().get(&name).unwrap_or_else(|| panic!("no {name}")).to_str().unwrap()
}

fn assert_security_headers(response: &Response, path: &str) {
    assert_eq!(header(response, header::CONTENT_SECURITY_POLICY), CSP, "{path}");
    assert!(!CSP.contains("unsafe-inline"));
    assert_eq!(header(response, header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{path}");
    assert_eq!(header(response, header::REFERRER_POLICY), "no-referrer", "{path}");
}

#[tokio::test]
async fn the_app_shell_is_revalidated_and_hashed_assets_are_cached_for_a_year() {
    let dir = app_dir();
    for (path, cache) in [
        ("/", "no-cache"),
        ("/index.html", "no-cache"),
        ("/sw.js", "no-cache"),
        ("/manifest.webmanifest", "no-cache"),
        ("/icon-192.png", "no-cache"),
        ("/lotse-0123456789abcdef.js", "public, max-age=31536000, immutable"),
        ("/lotse-0123456789abcdef_bg.wasm", "public, max-age=31536000, immutable"),
        ("/style-89abcdef01234567.css", "public, max-age=31536000, immutable"),
    ] {
        let response = get(dir.path(), path, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, header::CACHE_CONTROL), cache, "{path}");
        assert_security_headers(&response, path);
    }
    let wasm = get(dir.path(), "/lotse-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(header(&wasm, header::CONTENT_TYPE), "application/wasm", "browsers stream-compile only this type");
}

#[tokio::test]
async fn a_navigation_to_a_page_of_the_app_gets_index_html() {
    let dir = app_dir();
    let response = get(dir.path(), "/contacts/42", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(header(&response, header::CACHE_CONTROL), "no-cache");
    assert_security_headers(&response, "/contacts/42");
    let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
    assert_eq!(body, INDEX.as_bytes());
}

#[tokio::test]
async fn a_missing_file_is_not_found_rather_than_the_app() {
    let dir = app_dir();
    for path in ["/lotse-ffffffffffffffff.js", "/missing.css", "/contacts/photo.png"] {
        let response = get(dir.path(), path, None).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.headers().get(header::CACHE_CONTROL).is_none(), "a 404 must not be cached for a year: {path}");
        assert_security_headers(&response, path);
    }
}

#[tokio::test]
async fn scripts_are_compressed_with_brotli_or_gzip() {
    let dir = app_dir();
    let plain_len = std::fs::metadata(dir.path().join("lotse-0123456789abcdef.js")).unwrap().len() as usize;
    for encoding in ["br", "gzip"] {
        let response = get(dir.path(), "/lotse-0123456789abcdef.js", Some(encoding)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, header::CONTENT_ENCODING), encoding);
        assert_eq!(header(&response, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        assert!(body.len() < plain_len / 4, "{encoding}: {} of {plain_len} bytes", body.len());
    }
    let response = get(dir.path(), "/lotse-0123456789abcdef.js", None).await;
    assert!(response.headers().get(header::CONTENT_ENCODING).is_none(), "no encoding unless asked for");
}

#[tokio::test]
async fn a_precompressed_file_is_sent_as_it_is() {
    let dir = app_dir();
    // Stand-ins for what a build compressed at the highest quality.
    std::fs::write(dir.path().join("lotse-0123456789abcdef_bg.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dir.path().join("lotse-0123456789abcdef_bg.wasm.gz"), b"gzip bytes").unwrap();
    for (accept, encoding, bytes) in [("br, gzip", "br", &b"brotli bytes"[..]), ("gzip", "gzip", b"gzip bytes")] {
        let response = get(dir.path(), "/lotse-0123456789abcdef_bg.wasm", Some(accept)).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, header::CONTENT_ENCODING), encoding);
        assert_eq!(header(&response, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(header(&response, header::VARY), "accept-encoding");
        assert_eq!(header(&response, header::CACHE_CONTROL), "public, max-age=31536000, immutable");
        assert_eq!(to_bytes(response.into_body(), 1 << 20).await.unwrap(), bytes);
    }
}

//! Serving the built app: files from the app directory, cache headers that
//! suit Trunk's hashed names, a fallback to `index.html` for navigations,
//! and the security headers every response carries.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// No inline script or style; wasm may be compiled; everything from this
/// origin (`connect-src 'self'` includes same-origin `ws:`/`wss:` in CSP 3).
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// Files whose name carries a content hash never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html, sw.js, the manifest, icons) is revalidated
/// on every use, so a new build is seen at once.
pub const REVALIDATE: &str = "no-cache";

/// The Cache-Control value for a successful response to `path`.
pub fn cache_control(path: &str) -> &'static str {
    if is_hashed_asset(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// `lotse-0123456789abcdef.js`, `lotse-0123456789abcdef_bg.wasm`,
/// `style-0123456789abcdef.css`: Trunk's hashed output. And every module
/// of the split page, `split-0123456789abcdef/split_lotse_desk.wasm`:
/// the names inside are the splitter's own, the folder carries the hash of
/// the page they were cut from (`cargo xtask build`).
pub fn is_hashed_asset(path: &str) -> bool {
    let mut segments = path.rsplit('/');
    let name = segments.next().unwrap_or(path);
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    if !matches!(ext, "wasm" | "js" | "css") {
        return false;
    }
    let hashed = |s: &str| s.len() >= 8 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if segments.next().and_then(|folder| folder.strip_prefix("split-")).is_some_and(hashed) {
        return true;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hashed(hash))
}

/// A path with no extension in its last segment is a page of the app
/// (`/contacts/42`), not a missing file.
pub fn is_navigation(path: &str) -> bool {
    !path.rsplit('/').next().unwrap_or(path).contains('.')
}

/// The static part of the router: files of `app_dir` with their cache
/// headers, compressed (or precompressed), and `index.html` for navigations that match no file.
pub fn app_files(app_dir: &Path) -> Router {
    let index: Arc<Path> = app_dir.join("index.html").into();
    let navigation = move |req: Request| {
        let index = index.clone();
        async move {
            let is_page = matches!(*req.method(), Method::GET | Method::HEAD) && is_navigation(req.uri().path());
            if !is_page {
                return StatusCode::NOT_FOUND.into_response();
            }
            match ServeFile::new(&*index).oneshot(req).await {
                Ok(response) => response.map(Body::new),
                Err(e) => match e {},
            }
        }
    };
    Router::new()
        // A build may ship `x.wasm.br` / `x.wasm.gz` made at the highest
        // quality; they are sent as they are. Anything else is compressed
        // on the fly.
        .fallback_service(
            ServeDir::new(app_dir).precompressed_br().precompressed_gzip().fallback(navigation.into_service()),
        )
        .layer(middleware::from_fn(cache_headers))
        .layer(CompressionLayer::new())
}

/// Sets Cache-Control on successful static responses.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let value = cache_control(req.uri().path());
    let mut response = next.run(req).await;
    let status = response.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}

/// The headers every response carries, the WebSocket upgrade included.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_output_is_immutable_and_the_shell_is_revalidated() {
        for hashed in [
            "/lotse-0123456789abcdef.js",
            "/lotse-0123456789abcdef_bg.wasm",
            "/style-89abcdef01234567.css",
            "/a/b/app-deadbeef.js",
            "/split-0123456789abcdef/main_bg.wasm",
            "/split-0123456789abcdef/__wasm_split.js",
            "/split-0123456789abcdef/split_lotse_desk.wasm",
        ] {
            assert_eq!(cache_control(hashed), IMMUTABLE, "{hashed}");
        }
        for shell in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/icon-192.png",
            "/service-worker.js",
            "/lotse-abc.js",
            "/contacts/42",
            // A folder that only looks like the split page's.
            "/split-xyz/main.js",
            "/split-/main.js",
            "/splits-0123456789abcdef/main.js",
            "/split-0123456789abcdef/notes.txt",
        ] {
            assert_eq!(cache_control(shell), REVALIDATE, "{shell}");
        }
    }

    #[test]
    fn a_path_without_extension_is_a_navigation() {
        assert!(is_navigation("/"));
        assert!(is_navigation("/contacts/42"));
        assert!(is_navigation("/v1.2/contacts"));
        assert!(!is_navigation("/missing.js"));
        assert!(!is_navigation("/favicon.ico"));
    }
}

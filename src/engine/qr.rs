//! The invitation's QR code, drawn in the engine worker: the encoder is
//! linked into the engine's binary, not the page's.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The smallest side of the drawing, in CSS pixels (the page may draw it
/// larger): about 3 px a module for a join link, enough for a phone's camera
/// to read it off another phone's screen.
const MIN_SIDE: u32 = 264;

/// `text` as an SVG document: dark modules on white, with the four-module
/// quiet zone around them; `None` if it does not fit a QR code. Medium
/// error correction: a join link stays at a size a camera reads at arm's
/// length, and a smudged screen still scans.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let drawn = code
        .render::<svg::Color<'_>>()
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .min_dimensions(MIN_SIDE, MIN_SIDE)
        .build();
    // Put into the page's markup, so without the XML declaration.
    let start = drawn.find("<svg")?;
    Some(drawn[start..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_join_link_becomes_one_svg_of_black_modules_on_white_with_its_quiet_zone() {
        let link = format!("https://lotse.example/#join={}", "A".repeat(180));
        let drawn = svg(&link).expect("a join link fits a QR code");
        assert!(drawn.starts_with("<svg") && drawn.ends_with("</svg>"), "{drawn}");
        assert!(drawn.contains(r##"fill="#ffffff""##) && drawn.contains(r##"fill="#000000""##));
        // The first dark module starts after the quiet zone (4 modules).
        let path = drawn.split(" d=\"").nth(1).expect("the modules' path");
        let x: u32 = path.trim_start_matches('M').split(' ').next().unwrap().parse().unwrap();
        assert!(x > 0, "the modules start inside the quiet zone: {path:.40}");
        let width: u32 = drawn.split("width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
        assert!(width >= MIN_SIDE, "{width}");
    }

    #[wasm_bindgen_test]
    fn text_too_long_for_any_qr_code_is_refused() {
        assert_eq!(svg(&"x".repeat(5_000)), None);
    }
}

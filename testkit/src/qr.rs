//! QR codes read back to text, as a phone would: the receipt tests check that what the paper
//! carries opens the ticket page. Callers pass their own 1-bit picture as a function, so the
//! kit needs no image type of any app.

/// Every QR code rqrr finds in a `width` × `height` picture, decoded; `is_black(x, y)` says
/// which pixels are ink.
pub fn decode(width: u32, height: u32, is_black: impl Fn(u32, u32) -> bool) -> Vec<String> {
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| {
            if is_black(x as u32, y as u32) { 0 } else { 255 }
        });
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

//! A text as SMS parts: GSM 03.38 (7-bit, `data_coding` 0) when every character is in the
//! default alphabet or its extension table, else UCS-2 (UTF-16BE, `data_coding` 8: Arabic).
//! One part holds 160 septets or 70 UCS-2 units; a longer text is split into parts of 153
//! septets or 67 units, each behind a concatenation header (UDH, IEI 0 with an 8-bit
//! reference: `05 00 03 ref total n`). A part never ends inside an escape sequence
//! (extension characters take two septets) or a surrogate pair. GSM text is sent unpacked,
//! one septet per octet, as SMPP carries it.

/// The GSM 03.38 default alphabet, by septet.
const GSM_BASIC: [char; 128] = [
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å', 'Δ', '_',
    'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', '\u{1b}', 'Æ', 'æ', 'ß', 'É', ' ', '!', '"', '#',
    '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/', '0', '1', '2', '3', '4', '5', '6',
    '7', '8', '9', ':', ';', '<', '=', '>', '?', '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I',
    'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö',
    'Ñ', 'Ü', '§', '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/// The extension table: escape (0x1B) then this septet.
const GSM_EXT: [(char, u8); 10] = [
    ('\u{c}', 0x0A),
    ('^', 0x14),
    ('{', 0x28),
    ('}', 0x29),
    ('\\', 0x2F),
    ('[', 0x3C),
    ('~', 0x3D),
    (']', 0x3E),
    ('|', 0x40),
    ('€', 0x65),
];

pub const DATA_CODING_GSM: u8 = 0;
pub const DATA_CODING_UCS2: u8 = 8;
/// `esm_class` with the UDH indicator set.
pub const ESM_UDHI: u8 = 0x40;
/// The most parts one message may take (a bound on what one row can cost).
pub const MAX_PARTS: usize = 8;

/// One `submit_sm`'s payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub data_coding: u8,
    /// With the UDH in front when `udh` is set.
    pub short_message: Vec<u8>,
    pub udh: bool,
}

fn gsm_septets(c: char) -> Option<Vec<u8>> {
    if c == '\u{1b}' {
        return None;
    }
    if let Some(i) = GSM_BASIC.iter().position(|&g| g == c) {
        return Some(vec![i as u8]);
    }
    GSM_EXT
        .iter()
        .find(|(g, _)| *g == c)
        .map(|(_, s)| vec![0x1B, *s])
}

/// True when the whole text can go as GSM 7-bit.
pub fn is_gsm(text: &str) -> bool {
    text.chars().all(|c| gsm_septets(c).is_some())
}

/// Decodes unpacked GSM septets (what the test peer and the inbound path receive).
pub fn decode_gsm(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut esc = false;
    for &b in bytes {
        let b = b & 0x7F;
        if esc {
            esc = false;
            match GSM_EXT.iter().find(|(_, s)| *s == b) {
                Some((c, _)) => out.push(*c),
                None => out.push(' '),
            }
        } else if b == 0x1B {
            esc = true;
        } else {
            out.push(GSM_BASIC[b as usize]);
        }
    }
    out
}

/// Decodes UTF-16BE (an odd last byte is dropped; lone surrogates become U+FFFD).
pub fn decode_ucs2(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_be_bytes([p[0], p[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// An incoming message's text by its `data_coding` (0, 1 and 3 read as GSM/Latin, 8 UCS-2).
pub fn decode(data_coding: u8, bytes: &[u8]) -> String {
    match data_coding {
        DATA_CODING_UCS2 => decode_ucs2(bytes),
        3 => bytes.iter().map(|&b| b as char).collect(),
        1 => String::from_utf8_lossy(bytes).into_owned(),
        _ => decode_gsm(bytes),
    }
}

/// Splits a text into its parts; `reference` is the 8-bit concatenation reference (used
/// only when there is more than one part). Longer than `MAX_PARTS` parts: cut there.
pub fn split(text: &str, reference: u8) -> Vec<Part> {
    let (coding, units, single, multi): (u8, Vec<Vec<u8>>, usize, usize) = if is_gsm(text) {
        let units = text.chars().filter_map(gsm_septets).collect();
        (DATA_CODING_GSM, units, 160, 153)
    } else {
        // One unit per char: a surrogate pair stays together (it counts 2 of the part's room).
        let units = text
            .chars()
            .map(|c| {
                let mut buf = [0u16; 2];
                c.encode_utf16(&mut buf)
                    .iter()
                    .flat_map(|u| u.to_be_bytes())
                    .collect()
            })
            .collect();
        (DATA_CODING_UCS2, units, 140, 134)
    };
    // Room is counted in septets (GSM) or bytes (UCS-2: 70 units = 140 bytes, 67 = 134).
    let total: usize = units.iter().map(Vec::len).sum();
    if total <= single {
        return vec![Part {
            data_coding: coding,
            short_message: units.concat(),
            udh: false,
        }];
    }
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    for u in units {
        if chunks.last().is_some_and(|c| c.len() + u.len() > multi) {
            if chunks.len() == MAX_PARTS {
                break;
            }
            chunks.push(Vec::new());
        }
        chunks.last_mut().expect("one chunk").extend(u);
    }
    let n = chunks.len() as u8;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let mut sm = vec![0x05, 0x00, 0x03, reference, n, i as u8 + 1];
            sm.extend(body);
            Part {
                data_coding: coding,
                short_message: sm,
                udh: true,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(p: &Part) -> &[u8] {
        if p.udh {
            &p.short_message[6..]
        } else {
            &p.short_message
        }
    }

    #[test]
    fn latin_fits_160_septets_and_then_splits_by_153() {
        let t = "a".repeat(160);
        let parts = split(&t, 7);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].data_coding, DATA_CODING_GSM);
        assert_eq!(parts[0].short_message.len(), 160);
        let t = "b".repeat(161);
        let parts = split(&t, 7);
        assert_eq!(parts.len(), 2);
        assert_eq!(body(&parts[0]).len(), 153);
        assert_eq!(&parts[1].short_message[..6], &[5, 0, 3, 7, 2, 2]);
        let back: String = parts.iter().map(|p| decode_gsm(body(p))).collect();
        assert_eq!(back, t);
    }

    #[test]
    fn an_escape_sequence_is_never_cut() {
        // 152 plain septets then '€' (two): the euro must move whole to the second part.
        let t = format!("{}€{}", "x".repeat(152), "y".repeat(10));
        let parts = split(&t, 1);
        assert_eq!(parts.len(), 2);
        assert_eq!(body(&parts[0]).len(), 152);
        assert_eq!(&body(&parts[1])[..2], &[0x1B, 0x65]);
        let back: String = parts.iter().map(|p| decode_gsm(body(p))).collect();
        assert_eq!(back, t);
    }

    #[test]
    fn arabic_is_ucs2_70_then_67_per_part() {
        let t: String = "م".repeat(70);
        let parts = split(&t, 9);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].data_coding, DATA_CODING_UCS2);
        assert_eq!(decode_ucs2(&parts[0].short_message), t);
        let t: String = "ب".repeat(71);
        let parts = split(&t, 9);
        assert_eq!(parts.len(), 2);
        assert_eq!(body(&parts[0]).len(), 134);
        assert_eq!(body(&parts[1]).len(), 8);
        assert_eq!(&parts[0].short_message[..6], &[5, 0, 3, 9, 2, 1]);
        let back: String = parts.iter().map(|p| decode_ucs2(body(p))).collect();
        assert_eq!(back, t);
    }

    #[test]
    fn a_surrogate_pair_stays_in_one_part() {
        // 66 + 2 units would overflow a 67-unit part: the pair moves whole to the next.
        let t = format!("{}😀{}", "ع".repeat(66), "ع".repeat(5));
        let parts = split(&t, 3);
        assert_eq!(parts.len(), 2);
        assert_eq!(body(&parts[0]).len(), 132);
        assert_eq!(decode_ucs2(body(&parts[1])), format!("😀{}", "ع".repeat(5)));
    }

    #[test]
    fn mixed_latin_and_arabic_is_ucs2_and_digits_read_back() {
        let t = "Ticket A012 — التذكرة";
        assert!(!is_gsm(t));
        assert_eq!(decode(8, &split(t, 0)[0].short_message), t);
        assert!(is_gsm("Counter 3: A-012 {ok}"));
    }

    #[test]
    fn very_long_text_is_cut_at_the_part_limit() {
        let t: String = "ق".repeat(67 * 20);
        assert_eq!(split(&t, 0).len(), MAX_PARTS);
    }
}

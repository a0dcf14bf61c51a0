//! Arabic-Indic digits (٠١٢…) for Arabic texts; ticket labels keep theirs as printed.

/// Every ASCII digit of `s` as its Arabic-Indic digit.
pub fn arabic_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('٠' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_digits_change() {
        assert_eq!(super::arabic_digits("10:05 A-3"), "١٠:٠٥ A-٣");
    }
}

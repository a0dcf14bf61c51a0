//! Arabic-Indic digits (٠١٢…) for Arabic texts; ticket labels keep theirs as printed.
//! The rule itself is `hall_core::i18n::arabic_digits`, shared with the server's texts.

pub use hall_core::i18n::arabic_digits;

#[cfg(test)]
mod tests {
    #[test]
    fn only_digits_change() {
        assert_eq!(super::arabic_digits("10:05 A-3"), "١٠:٠٥ A-٣");
    }
}

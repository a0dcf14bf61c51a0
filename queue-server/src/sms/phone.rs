//! A citizen's phone number: an Egyptian mobile number, written any usual way (`010 1234 5678`,
//! `+20 10 1234 5678`, `00201012345678`, Arabic-Indic digits), kept in one form: the
//! international digits without `+` (`201012345678`), which is what SMPP's `destination_addr`
//! carries with TON international.
//!
//! Numbers never enter the event log, a view, the uplink or a log line: `Phone`'s `Debug`
//! and `Display` show only the last two digits.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

/// Why a number was refused (the kiosk and page show it from `web.ftl`/`kiosk.ftl`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("a phone number has only digits, spaces, dashes and a leading +")]
    NotDigits,
    #[error("an Egyptian mobile number is 11 digits starting 010, 011, 012 or 015")]
    NotMobile,
}

impl Phone {
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let mut digits = String::with_capacity(16);
        for (i, c) in input.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '٠'..='٩' => digits.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
                '۰'..='۹' => digits.push(char::from(b'0' + (c as u32 - '۰' as u32) as u8)),
                ' ' | '-' | '(' | ')' | '\u{a0}' => {}
                '+' if i == 0 => {}
                _ => return Err(PhoneError::NotDigits),
            }
            if digits.len() > 16 {
                return Err(PhoneError::NotMobile);
            }
        }
        let national = if let Some(rest) = digits.strip_prefix("0020") {
            format!("0{rest}")
        } else if let Some(rest) = digits.strip_prefix("20").filter(|r| r.len() == 10) {
            format!("0{rest}")
        } else {
            digits
        };
        let b = national.as_bytes();
        if b.len() != 11
            || !national.starts_with("01")
            || !matches!(b[2], b'0' | b'1' | b'2' | b'5')
        {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(format!("20{}", &national[1..])))
    }

    /// Already in the stored form (from the database or an SMSC's `source_addr`); the same
    /// checks as `parse`.
    pub fn from_stored(s: &str) -> Option<Phone> {
        Phone::parse(s).ok()
    }

    /// The international digits (`201012345678`): for the transport and the store only.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// What a person may be shown: `•••• 78`.
    pub fn masked(&self) -> String {
        format!("•••• {}", &self.0[self.0.len() - 2..])
    }

    /// The key an opted-out number is kept under (SHA-256 of the digits): STOP must outlive
    /// the number itself. A pseudonym, not a secret: Egyptian mobile numbers are few enough to
    /// try them all; it keeps the number out of plain sight, nothing more (docs/messages.md).
    pub fn opt_out_key(&self) -> Vec<u8> {
        use sha2::Digest;
        sha2::Sha256::digest(format!("tabour-sms-stop:{}", self.0).as_bytes()).to_vec()
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_ways_of_writing_a_number_give_one_form() {
        for s in [
            "01012345678",
            "010 1234 5678",
            "+20 10 1234-5678",
            "00201012345678",
            "201012345678",
            "٠١٠١٢٣٤٥٦٧٨",
        ] {
            assert_eq!(Phone::parse(s).unwrap().digits(), "201012345678", "{s}");
        }
        assert_eq!(
            Phone::parse("01512345678").unwrap().digits(),
            "201512345678"
        );
    }

    #[test]
    fn landlines_short_numbers_and_letters_are_refused() {
        assert_eq!(Phone::parse("0223456789"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("01312345678"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("0101234567"), Err(PhoneError::NotMobile));
        assert_eq!(
            Phone::parse("010123456789999999"),
            Err(PhoneError::NotMobile)
        );
        assert_eq!(Phone::parse("010abc45678"), Err(PhoneError::NotDigits));
        assert_eq!(Phone::parse(""), Err(PhoneError::NotMobile));
    }

    #[test]
    fn debug_and_display_never_show_the_number() {
        let p = Phone::parse("01012345678").unwrap();
        assert!(!format!("{p:?} {p}").contains("1234"));
        assert_eq!(p.masked(), "•••• 78");
    }
}

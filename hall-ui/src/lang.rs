//! The languages a center speaks: Arabic (right to left) and English.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    Ar,
    En,
}

impl Lang {
    /// The code of its Fluent files and of `Names` (`ar`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }

    /// Read right to left: rows and text alignment mirror.
    pub fn rtl(self) -> bool {
        self == Lang::Ar
    }

    /// `ar` or `en`, as given on a command line.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for l in [Lang::Ar, Lang::En] {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::parse(" en "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert!(Lang::Ar.rtl() && !Lang::En.rtl());
    }
}

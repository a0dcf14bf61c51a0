//! The sample network's register: Egypt's 27 governorates and 342 sites (281 fixed centers,
//! 19 governorate offices, 42 vans), sample data, not an official list. The sites named in
//! `leaves` run their own leaf (the real centers and van of `scripts/run-network.sh`).

use crate::sites::{Governorate, Register, Site, SiteKind};
use hall_core::Names;

pub const GOVERNORATES: [(&str, &str, &str); 27] = [
    ("cai", "القاهرة", "Cairo"),
    ("giz", "الجيزة", "Giza"),
    ("alx", "الإسكندرية", "Alexandria"),
    ("qlb", "القليوبية", "Qalyubia"),
    ("shr", "الشرقية", "Sharqia"),
    ("dak", "الدقهلية", "Dakahlia"),
    ("ghr", "الغربية", "Gharbia"),
    ("mnf", "المنوفية", "Monufia"),
    ("bhr", "البحيرة", "Beheira"),
    ("kfs", "كفر الشيخ", "Kafr El Sheikh"),
    ("dmt", "دمياط", "Damietta"),
    ("pts", "بورسعيد", "Port Said"),
    ("ism", "الإسماعيلية", "Ismailia"),
    ("suz", "السويس", "Suez"),
    ("fym", "الفيوم", "Faiyum"),
    ("bns", "بني سويف", "Beni Suef"),
    ("mny", "المنيا", "Minya"),
    ("ast", "أسيوط", "Asyut"),
    ("shg", "سوهاج", "Sohag"),
    ("qna", "قنا", "Qena"),
    ("lxr", "الأقصر", "Luxor"),
    ("asn", "أسوان", "Aswan"),
    ("rsa", "البحر الأحمر", "Red Sea"),
    ("wad", "الوادي الجديد", "New Valley"),
    ("mth", "مطروح", "Matrouh"),
    ("nsn", "شمال سيناء", "North Sinai"),
    ("ssn", "جنوب سيناء", "South Sinai"),
];

/// Centers per governorate, roughly by population (sums to 281).
const CENTERS: [usize; 27] = [
    35, 28, 21, 14, 18, 16, 12, 10, 13, 9, 6, 4, 5, 4, 9, 8, 12, 11, 12, 9, 4, 6, 3, 3, 3, 3, 3,
];

/// A center's number in its Arabic name, by the one rule (`hall_core::format`).
fn arabic_digits(n: usize) -> String {
    hall_core::format::Style::new("ar", hall_core::Digits::Arabic, chrono_tz::UTC).number(n)
}

/// The whole country; `leaves` are the codes of the sites with a leaf of their own.
pub fn register(leaves: &[&str]) -> Register {
    let mut sites = Vec::new();
    for (i, (code, ar, en)) in GOVERNORATES.iter().enumerate() {
        for n in 1..=CENTERS[i] {
            sites.push(Site {
                code: format!("{code}-{n:02}"),
                governorate: code.to_string(),
                kind: SiteKind::Center,
                name: Names {
                    ar: format!("مركز خدمات {ar} {}", arabic_digits(n)),
                    en: format!("{en} service center {n}"),
                },
                opens: "08:00".into(),
                closes: "16:00".into(),
                leaf: false,
            });
        }
        // 19 governorate offices: the governorates with most centers.
        if i < 19 {
            sites.push(Site {
                code: format!("{code}-office"),
                governorate: code.to_string(),
                kind: SiteKind::Office,
                name: Names {
                    ar: format!("مكتب محافظة {ar}"),
                    en: format!("{en} governorate office"),
                },
                opens: "08:00".into(),
                closes: "16:00".into(),
                leaf: false,
            });
        }
    }
    for v in 0..42 {
        let (code, ar, en) = GOVERNORATES[v % 27];
        sites.push(Site {
            code: format!("van-{code}-{}", v / 27 + 1),
            governorate: code.to_string(),
            kind: SiteKind::Van,
            name: Names {
                ar: format!("السيارة المتنقلة {} — {ar}", arabic_digits(v / 27 + 1)),
                en: format!("Mobile van {} — {en}", v / 27 + 1),
            },
            opens: "09:00".into(),
            closes: "15:00".into(),
            leaf: false,
        });
    }
    for s in &mut sites {
        s.leaf = leaves.contains(&s.code.as_str());
    }
    Register {
        governorates: GOVERNORATES
            .iter()
            .map(|(code, ar, en)| Governorate {
                code: code.to_string(),
                name: Names {
                    ar: ar.to_string(),
                    en: en.to_string(),
                },
            })
            .collect(),
        sites,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_has_342_sites_of_the_three_kinds() {
        let r = register(&["cai-01"]);
        let n = |k: SiteKind| r.sites.iter().filter(|s| s.kind == k).count();
        assert_eq!(
            (n(SiteKind::Center), n(SiteKind::Office), n(SiteKind::Van)),
            (281, 19, 42)
        );
        assert_eq!(r.sites.iter().filter(|s| s.leaf).count(), 1);
        let text = toml::to_string(&r).unwrap();
        assert_eq!(
            Register::parse(&text).unwrap(),
            r,
            "the register reads back"
        );
    }
}

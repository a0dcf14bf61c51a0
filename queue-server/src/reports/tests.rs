//! The exports checked by hand (CSV lines, an XLSX zip) and local day boundaries.

use super::*;
use hall_core::Names;
use hall_core::i18n::Translator;
use hall_core::kpi::{Report, ReportGrouping, ReportRow};

fn row(key: &str, tickets: u32, wait: Option<f64>) -> ReportRow {
    ReportRow {
        key: key.into(),
        name: None,
        tickets,
        transferred: 0,
        served: tickets,
        no_shows: 0,
        cancelled: 0,
        wait_mean_secs: wait,
        wait_p90_secs: wait,
        service_mean_secs: None,
        service_p90_secs: None,
        requests: 0,
        ratings: 0,
        rating_mean: None,
    }
}

fn report() -> Report {
    Report {
        from: "2026-11-01".parse().unwrap(),
        to: "2026-11-22".parse().unwrap(),
        total: row("", 3, Some(150.0)),
        by_day: vec![],
        by_hour: vec![],
        by_service: vec![row("CIT-BIRTH", 2, Some(90.0)), row("CIT-TAX", 1, None)],
        by_counter: vec![],
        by_clerk: vec![],
        closing: vec![hall_core::kpi::DayClosing {
            day: "2026-11-22".parse().unwrap(),
            last_seq: 41,
            last_admin: 3,
            hash: "ab".repeat(32),
            provisional: false,
        }],
        requests: vec![],
    }
}

#[test]
fn csv_has_translated_headers_names_minutes_and_a_total() {
    let mut names = NameBook::default();
    names.services.insert(
        "CIT-BIRTH".into(),
        Names::new("استخراج شهادة ميلاد", "Birth certificate, copy"),
    );
    let en = csv(&report(), ReportGrouping::Service, "en", &names);
    let lines: Vec<&str> = en.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("Service,Name,Tickets,Served,No-shows"));
    assert_eq!(
        lines[1],
        "CIT-BIRTH,\"Birth certificate, copy\",2,2,0,0,0,1.5,1.5,,,0,0,"
    );
    assert_eq!(lines[2], "CIT-TAX,CIT-TAX,1,1,0,0,0,,,,,0,0,");
    assert_eq!(lines[3], "Total,,3,3,0,0,0,2.5,2.5,,,0,0,");
    assert_eq!(
        lines[4],
        format!("Closing hash 2026-11-22,{}", "ab".repeat(32)),
        "the day's closing hash is on the report"
    );
    let mut today = report();
    today.closing[0].provisional = true;
    let en = csv(&today, ReportGrouping::Service, "en", &names);
    assert!(
        en.contains("Closing hash so far 2026-11-22 (provisional: the day is not over),"),
        "today's is not labelled final: {en}"
    );
    let ar = csv(&today, ReportGrouping::Service, "ar", &names);
    assert!(ar.contains("بصمة الإغلاق حتى الآن"), "{ar}");
    let ar = csv(&report(), ReportGrouping::Service, "ar", &names);
    assert!(ar.contains("الخدمة,الاسم,التذاكر"));
    assert!(ar.contains("استخراج شهادة ميلاد"));
    assert_eq!(
        file_name(&report(), Some(ReportGrouping::Service), "csv"),
        "tabour-report-service-2026-11-01_2026-11-22.csv"
    );
}

#[test]
fn xlsx_is_a_zip_workbook() {
    let bytes = xlsx(
        &report(),
        "ar",
        &NameBook::default(),
        chrono_tz::Africa::Cairo,
    )
    .unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn every_audit_kind_has_a_name_in_both_languages() {
    for lang in ["ar", "en"] {
        let tr = Translator::manager(lang);
        for kind in audit_kinds() {
            assert!(
                tr.has(&format!("audit-kind-{kind}")),
                "{lang}: audit-kind-{kind}"
            );
        }
    }
}

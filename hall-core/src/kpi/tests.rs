//! The figures checked by hand: the clerk tally against the full fold, percentiles, and a
//! morning of tickets with its means and p90.

mod fold {
    use crate::kpi::*;
    use crate::{Ticket, TicketId};

    fn env(seq: u64, secs: i64, event: Event) -> Envelope {
        Envelope {
            seq,
            at: chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap(),
            actor: "test".into(),
            event,
        }
    }

    fn issued(id: u64, secs: i64) -> Event {
        let at = chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
        Event::TicketIssued {
            ticket: Box::new(Ticket {
                id: TicketId(id),
                service: "S".into(),
                number: id as u32,
                label: format!("A-{id:03}"),
                day: at.date_naive(),
                priority: Priority::Normal,
                state: TicketState::Waiting,
                issued_at: at,
                enqueued_at: at,
                front: false,
                assigned_counter: None,
                counter: None,
                first_called_at: None,
                called_at: None,
                serving_at: None,
                recalls: 0,
                transfers: 0,
                token: String::new(),
                issuer: "kiosk:k".into(),
                idempotency_key: None,
            }),
        }
    }

    #[test]
    fn the_clerk_tally_agrees_with_the_full_fold() {
        let t = TicketId;
        let events = vec![
            env(
                1,
                0,
                Event::CounterOpened {
                    counter: 1,
                    clerk: "mona".into(),
                },
            ),
            env(
                2,
                0,
                Event::CounterOpened {
                    counter: 2,
                    clerk: "ali".into(),
                },
            ),
            env(3, 1, issued(1, 1)),
            env(4, 2, issued(2, 2)),
            env(5, 3, issued(3, 3)),
            env(
                6,
                10,
                Event::TicketCalled {
                    ticket: t(1),
                    counter: 1,
                    out_of_order_reason: None,
                },
            ),
            env(
                7,
                40,
                Event::ServiceStarted {
                    ticket: t(1),
                    counter: 1,
                },
            ),
            env(
                8,
                100,
                Event::TicketFinished {
                    ticket: t(1),
                    counter: 1,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            env(
                9,
                110,
                Event::TicketCalled {
                    ticket: t(2),
                    counter: 2,
                    out_of_order_reason: None,
                },
            ),
            env(
                10,
                130,
                Event::TicketNoShow {
                    ticket: t(2),
                    counter: 2,
                },
            ),
            env(
                11,
                140,
                Event::TicketCalled {
                    ticket: t(3),
                    counter: 1,
                    out_of_order_reason: None,
                },
            ),
            env(
                12,
                150,
                Event::TicketParked {
                    ticket: t(3),
                    counter: 1,
                    note: String::new(),
                },
            ),
            env(
                13,
                200,
                Event::TicketReturned {
                    ticket: t(3),
                    counter: 1,
                },
            ),
            env(
                14,
                230,
                Event::TicketFinished {
                    ticket: t(3),
                    counter: 1,
                    outcome: Outcome::Referred,
                    reference: None,
                },
            ),
        ];
        let full = Kpis::from_events(&events);
        let mut tally = ClerkTally::new([]);
        for e in &events {
            tally.fold(e);
        }
        for s in full.summary(GroupBy::Clerk) {
            let mine = tally.of(&s.key);
            assert_eq!(mine.served, s.served, "{}", s.key);
            assert_eq!(mine.no_shows, s.no_shows, "{}", s.key);
            assert_eq!(mine.service_mean_secs(), s.service_mean_secs, "{}", s.key);
        }
        assert_eq!(tally.of("mona").served, 2);
        assert_eq!(
            tally.of("mona").service_mean_secs(),
            Some((60.0 + 30.0) / 2.0)
        );
        assert_eq!(tally.of("ali").no_shows, 1);
        tally.fold(&env(
            15,
            300,
            Event::DayStarted {
                day: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            },
        ));
        assert_eq!(tally.of("mona"), ClerkTotals::default());
    }

    #[test]
    fn nearest_rank_percentile() {
        let xs: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&xs, 0.9), Some(9.0));
        assert_eq!(percentile(&xs, 0.5), Some(5.0));
        assert_eq!(percentile(&[], 0.9), None);
        assert_eq!(percentile(&[7.0], 0.9), Some(7.0));
    }
}

mod report {
    use crate::CancelReason;
    use crate::kpi::*;
    use chrono::TimeZone;

    /// 2026-11-22 (or the 23rd) at a Cairo wall-clock time (UTC+2).
    fn cairo(day: u32, h: u32, m: u32) -> Timestamp {
        chrono_tz::Africa::Cairo
            .with_ymd_and_hms(2026, 11, day, h, m, 0)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    fn issued(id: u64, at: Timestamp) -> Event {
        Event::TicketIssued {
            ticket: serde_json::from_value(serde_json::json!({
                "id": id, "service": "CIT-BIRTH", "number": id, "label": format!("A-{id:03}"),
                "day": "2026-11-22", "priority": "normal", "state": "waiting",
                "issued_at": at, "enqueued_at": at, "issuer": "kiosk:kiosk-1"
            }))
            .unwrap(),
        }
    }

    /// A hand-checked morning at one counter:
    ///
    /// | ticket | issued | called | started | ended          | wait  | service |
    /// |--------|--------|--------|---------|----------------|-------|---------|
    /// | A-001  | 09:00  | 09:02  | 09:03   | 09:08 finished | 120 s | 300 s   |
    /// | A-002  | 09:01  | 09:08  | —       | 09:10 finished | 420 s | 120 s (from the call) |
    /// | A-003  | 09:02  | 09:10  | —       | 09:12 no-show  | 480 s | —       |
    /// | A-004  | 09:03  | —      | —       | 09:20 cancelled| —     | —       |
    /// | A-005  | 10:05  | 10:06  | 10:06   | 10:16 finished |  60 s | 600 s   |
    /// | A-006  | 00:30 on the 23rd (22:30 UTC on the 22nd): outside a report of the 22nd |
    fn morning() -> Vec<Envelope> {
        let t = TicketId;
        let c = 1;
        let events = vec![
            (
                cairo(22, 8, 55),
                Event::CounterOpened {
                    counter: c,
                    clerk: "mona".into(),
                },
            ),
            (cairo(22, 9, 0), issued(1, cairo(22, 9, 0))),
            (cairo(22, 9, 1), issued(2, cairo(22, 9, 1))),
            (cairo(22, 9, 2), issued(3, cairo(22, 9, 2))),
            (
                cairo(22, 9, 2),
                Event::TicketCalled {
                    ticket: t(1),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (cairo(22, 9, 3), issued(4, cairo(22, 9, 3))),
            (
                cairo(22, 9, 3),
                Event::ServiceStarted {
                    ticket: t(1),
                    counter: c,
                },
            ),
            (
                cairo(22, 9, 8),
                Event::TicketFinished {
                    ticket: t(1),
                    counter: c,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            (
                cairo(22, 9, 8),
                Event::TicketCalled {
                    ticket: t(2),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 9, 10),
                Event::TicketFinished {
                    ticket: t(2),
                    counter: c,
                    outcome: Outcome::Referred,
                    reference: None,
                },
            ),
            (
                cairo(22, 9, 10),
                Event::TicketCalled {
                    ticket: t(3),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 9, 12),
                Event::TicketNoShow {
                    ticket: t(3),
                    counter: c,
                },
            ),
            (
                cairo(22, 9, 20),
                Event::TicketCancelled {
                    ticket: t(4),
                    reason: CancelReason::Withdrawn,
                },
            ),
            (cairo(22, 10, 5), issued(5, cairo(22, 10, 5))),
            (
                cairo(22, 10, 6),
                Event::TicketCalled {
                    ticket: t(5),
                    counter: c,
                    out_of_order_reason: None,
                },
            ),
            (
                cairo(22, 10, 6),
                Event::ServiceStarted {
                    ticket: t(5),
                    counter: c,
                },
            ),
            (
                cairo(22, 10, 16),
                Event::TicketFinished {
                    ticket: t(5),
                    counter: c,
                    outcome: Outcome::Completed,
                    reference: None,
                },
            ),
            (cairo(23, 0, 30), issued(6, cairo(23, 0, 30))),
        ];
        events
            .into_iter()
            .enumerate()
            .map(|(i, (at, event))| Envelope {
                seq: i as u64 + 1,
                at,
                actor: "clerk:mona".into(),
                event,
            })
            .collect()
    }

    #[test]
    fn a_hand_checked_morning_gives_its_means_and_p90() {
        let k = Kpis::from_events(&morning());
        let cairo_tz = chrono_tz::Africa::Cairo;
        let day: NaiveDate = "2026-11-22".parse().unwrap();
        let r = k.report(cairo_tz, day, day);
        let total = &r.total;
        assert_eq!(
            (total.tickets, total.served, total.no_shows, total.cancelled),
            (5, 3, 1, 1)
        );
        // Waits 120, 420, 480, 60: mean 1080 / 4 = 270; p90 is rank ⌈0.9 × 4⌉ = 4 of
        // [60, 120, 420, 480] = 480.
        assert_eq!(total.wait_mean_secs, Some(270.0));
        assert_eq!(total.wait_p90_secs, Some(480.0));
        // Service 300, 120, 600: mean 340; p90 is rank ⌈2.7⌉ = 3 = 600.
        assert_eq!(total.service_mean_secs, Some(340.0));
        assert_eq!(total.service_p90_secs, Some(600.0));
        // Hours are local: 09 holds A-001..A-004 (waits 120, 420, 480: mean 340, p90 480).
        let hours: Vec<(&str, u32)> = r
            .by_hour
            .iter()
            .map(|h| (h.key.as_str(), h.tickets))
            .collect();
        assert_eq!(hours, [("09", 4), ("10", 1)]);
        assert_eq!(r.by_hour[0].wait_mean_secs, Some(340.0));
        assert_eq!(r.by_hour[0].wait_p90_secs, Some(480.0));
        assert_eq!(r.by_day.len(), 1);
        assert_eq!(r.by_day[0].key, "2026-11-22");
        assert_eq!(r.by_clerk[0].key, "mona");
        assert_eq!(r.by_clerk[0].tickets, 4, "A-004 never reached a clerk");
        assert_eq!(r.by_counter[0].key, "1");
        assert_eq!(r.by_service[0].key, "CIT-BIRTH");
        // The next local day holds A-006 only (in UTC it would fall on the 22nd).
        let next: NaiveDate = "2026-11-23".parse().unwrap();
        assert_eq!(k.report(cairo_tz, next, next).total.tickets, 1);
        assert_eq!(
            k.summary(GroupBy::Day)[0].tickets,
            6,
            "UTC days without a zone"
        );
    }
}

//! The citizen's path through the kiosk screens, headless: the flow state machine and the
//! screens it shows, on a hall built by the real engine, on simulated time.

mod common;
use common::receipt;

use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::i18n::Translator;
use hall_core::role::Role;
use hall_core::{Priority, State};
use hall_forecast::{HallOutlook, Learned, forecast};
use kiosk::flow::{
    Action, Effect, Failure, Flow, FlowConfig, IDLE_TIMEOUT, ISSUE_TIMEOUT, Lang, PrintFault,
    PrintState, Screen, TICKET_TIMEOUT,
};
use kiosk::screens::{self, Block, Context, Tone, View};
use std::time::{Duration, Instant};
use testkit::hall::Hall;

/// The round-the-clock test center (`testkit::hall`, 09:00 in Cairo), with counter 1 open and
/// `waiting` tickets for A.
fn busy(waiting: usize) -> Hall {
    let mut h = Hall::open();
    h.open_counter(&Actor::new(Role::Clerk, "clerk1"), 1);
    for _ in 0..waiting {
        h.issue("CIT-BIRTH");
    }
    h
}

/// The hall of `busy` as the kiosk mirrors it, and the instant.
fn hall(waiting: usize) -> (State, hall_core::Timestamp) {
    let h = busy(waiting);
    (h.state, h.now)
}

fn config() -> FlowConfig {
    FlowConfig {
        priorities: vec![Priority::Elderly, Priority::Disabled, Priority::Pregnant],
        pin: "2468".into(),
        default_lang: Lang::Ar,
    }
}

struct Kiosk {
    flow: Flow,
    t: Instant,
    keys: u32,
}

impl Kiosk {
    fn new() -> Kiosk {
        let t = Instant::now();
        Kiosk {
            flow: Flow::new(config(), t),
            t,
            keys: 0,
        }
    }
    fn tap(&mut self, a: Action) -> Option<Effect> {
        self.t += Duration::from_secs(2);
        let n = &mut self.keys;
        self.flow.act(a, self.t, || {
            *n += 1;
            format!("key-{n}")
        })
    }
    /// Welcome → CIT → CIT-BIRTH → take → regular → confirm; the key it asked with.
    fn ask_for_a_birth_certificate(&mut self, lang: Lang) -> String {
        self.tap(Action::Language(lang));
        self.tap(Action::Category("CIT".into()));
        self.tap(Action::Service("CIT-BIRTH".into()));
        self.tap(Action::TakeTicket);
        self.tap(Action::Priority(Priority::Normal));
        match self.tap(Action::Confirm) {
            Some(Effect::Issue { key, .. }) => key,
            other => panic!("confirm did not ask for a ticket: {other:?}"),
        }
    }
    fn wait(&mut self, d: Duration) {
        self.t += d;
        self.flow.tick(self.t);
    }
}

/// The queue model's figures for the hall, as the server would send them (learned from the
/// catalog only: a hall at the start of its first day).
fn figures(hall: &State, now: hall_core::Timestamp) -> HallOutlook {
    let learned = Learned::from_catalog(hall.catalog.as_deref().unwrap());
    forecast(hall, &learned, now).outlook
}

fn view(flow: &Flow, hall: &State, now: hall_core::Timestamp, live: bool) -> View {
    view_with(flow, hall, Some(&figures(hall, now)), now, live)
}

fn view_with(
    flow: &Flow,
    hall: &State,
    outlook: Option<&HallOutlook>,
    now: hall_core::Timestamp,
    live: bool,
) -> View {
    let (ar, en) = (Translator::new("ar"), Translator::new("en"));
    screens::view(
        flow,
        &Context {
            hall: Some(hall),
            outlook,
            live,
            ar: &ar,
            en: &en,
            now,
            ticket_base: "http://10.0.0.2:8740",
            sms: true,
            wide: false,
        },
    )
}

#[test]
fn a_citizen_walks_from_welcome_to_a_ticket_and_the_receipt_prints() {
    let (hall, now) = hall(3);
    let mut k = Kiosk::new();
    let v = view(&k.flow, &hall, now, true);
    assert!(
        v.texts().iter().any(|t| t == "العربية") && v.texts().iter().any(|t| t == "English"),
        "welcome offers both languages: {:?}",
        v.texts()
    );
    k.tap(Action::Language(Lang::En));
    let v = view(&k.flow, &hall, now, true);
    assert_eq!(v.title, "What is your request about?");
    let (label, action, _) = v.buttons()[0].clone();
    assert_eq!(label, "Citizen services");
    k.tap(action);
    let v = view(&k.flow, &hall, now, true);
    let (_, birth, _) = v
        .buttons()
        .into_iter()
        .find(|(_, a, _)| *a == Action::Service("CIT-BIRTH".into()))
        .expect("the birth certificate is offered");
    k.tap(birth);
    // The card: documents, fee, time at the window, people waiting, estimated wait.
    let v = view(&k.flow, &hall, now, true);
    let texts = v.texts().join(" | ");
    assert!(texts.contains("3 people waiting"), "{texts}");
    assert!(texts.contains("Documents to bring"), "{texts}");
    assert!(texts.contains("EGP") || texts.contains("Free"), "{texts}");
    assert!(texts.contains("Estimated wait"), "{texts}");
    let take = v
        .buttons()
        .into_iter()
        .find(|(_, a, _)| *a == Action::TakeTicket)
        .unwrap();
    assert!(take.2, "an open service can be taken");
    k.tap(Action::TakeTicket);
    assert!(matches!(k.flow.screen, Screen::Priority { .. }));
    let v = view(&k.flow, &hall, now, true);
    let labels: Vec<String> = v.buttons().into_iter().map(|b| b.0).collect();
    for want in [
        "Senior citizen",
        "Person with a disability",
        "Pregnant woman",
    ] {
        assert!(labels.iter().any(|l| l == want), "{labels:?}");
    }
    k.tap(Action::Priority(Priority::Elderly));
    assert!(k.tap(Action::Back).is_none());
    k.tap(Action::Priority(Priority::Elderly));
    let effect = k.tap(Action::Confirm).expect("confirm asks for a ticket");
    let Effect::Issue {
        service,
        priority,
        key,
    } = effect
    else {
        panic!("{effect:?}")
    };
    assert_eq!(
        (service.as_str(), priority),
        ("CIT-BIRTH", Priority::Elderly)
    );
    assert!(matches!(k.flow.screen, Screen::Issuing { .. }));
    assert_eq!(
        k.tap(Action::Confirm),
        None,
        "no second request while one is out"
    );
    let print = k.flow.issued(&key, Ok(Box::new(receipt("A-004"))), k.t);
    assert!(
        matches!(print.as_slice(), [Effect::Print(_)]),
        "no number given, none left"
    );
    let v = view(&k.flow, &hall, now, true);
    assert!(v.texts().contains(&"A-004".to_string()));
    assert!(
        v.body
            .contains(&Block::Qr("http://10.0.0.2:8740/t/tok123".into())),
        "the QR leads to the ticket page"
    );
    assert!(v.texts().iter().any(|t| t == "3 people are ahead of you"));
    assert!(v.texts().iter().any(|t| t == "7–14 min"), "{:?}", v.texts());
    k.flow.printed("A-004", Ok(()));
    assert!(matches!(
        k.flow.screen,
        Screen::Ticket {
            print: PrintState::Printed,
            ..
        }
    ));
    // And back to welcome for the next citizen, in Arabic.
    k.wait(TICKET_TIMEOUT);
    assert_eq!(k.flow.screen, Screen::Welcome);
    assert_eq!(k.flow.lang, Lang::Ar);
}

#[test]
fn arabic_screens_read_in_arabic_with_arabic_digits_and_plurals() {
    let (hall, now) = hall(11);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    let v = view(&k.flow, &hall, now, true);
    let texts = v.texts().join(" | ");
    assert!(texts.contains("١١ شخصًا في الانتظار"), "{texts}");
    assert!(texts.contains("المستندات المطلوبة"), "{texts}");
    assert!(v.lang.rtl());
    assert!(!texts.contains("kiosk-"), "a message id leaked: {texts}");
}

/// A center that chose Latin digits (`[center] digits = "latin"`) gets them on the Arabic
/// screens too: counts, opening hours, the fee.
#[test]
fn a_center_that_chose_latin_digits_gets_them_on_the_arabic_screens() {
    let (mut hall, now) = hall(11);
    if let Some(c) = hall.catalog.as_mut() {
        c.center.digits = hall_core::Digits::Latin;
    }
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    let texts = view(&k.flow, &hall, now, true).texts().join(" | ");
    assert!(texts.contains("11 شخصًا في الانتظار"), "{texts}");
    assert!(
        !texts.chars().any(|c| ('٠'..='٩').contains(&c)),
        "an Arabic-Indic digit: {texts}"
    );
}

#[test]
fn a_retry_after_a_lost_connection_asks_with_the_same_key() {
    let mut k = Kiosk::new();
    let key = k.ask_for_a_birth_certificate(Lang::En);
    // No answer: after the timeout the citizen is told, honestly.
    k.wait(ISSUE_TIMEOUT);
    assert!(matches!(
        k.flow.screen,
        Screen::Failed {
            failure: Failure::Offline,
            ..
        }
    ));
    let Some(Effect::Issue { key: again, .. }) = k.tap(Action::Retry) else {
        panic!()
    };
    assert_eq!(key, again, "same key: the server cannot issue twice");
    // The connection drops under the retry: still the same key next time.
    k.flow.issued(
        &again,
        Err(ErrorBody::new(ErrorCode::ConnectionLost, "lost")),
        k.t,
    );
    let Some(Effect::Issue { key: third, .. }) = k.tap(Action::Retry) else {
        panic!()
    };
    assert_eq!(key, third);
    // A refusal (service closed) is not retried: it is explained.
    k.flow.issued(
        &third,
        Err(ErrorBody::new(ErrorCode::ServiceClosed, "closed")),
        k.t,
    );
    assert!(matches!(
        k.flow.screen,
        Screen::Failed {
            failure: Failure::Refused(ErrorCode::ServiceClosed),
            ..
        }
    ));
    assert_eq!(k.tap(Action::Retry), None);
}

#[test]
fn a_late_answer_after_the_timeout_still_gives_the_citizen_their_ticket() {
    let mut k = Kiosk::new();
    let key = k.ask_for_a_birth_certificate(Lang::Ar);
    k.wait(ISSUE_TIMEOUT + Duration::from_secs(1));
    assert!(matches!(k.flow.screen, Screen::Failed { .. }));
    let effect = k.flow.issued(&key, Ok(Box::new(receipt("A-009"))), k.t);
    assert!(matches!(effect.as_slice(), [Effect::Print(_)]));
    assert!(matches!(k.flow.screen, Screen::Ticket { .. }));
}

#[test]
fn a_printer_fault_keeps_the_ticket_on_screen_and_says_so() {
    let (hall, now) = hall(0);
    let mut k = Kiosk::new();
    let key = k.ask_for_a_birth_certificate(Lang::En);
    k.flow.issued(&key, Ok(Box::new(receipt("A-001"))), k.t);
    k.flow.printed("A-001", Err(PrintFault::PaperOut));
    let v = view(&k.flow, &hall, now, true);
    let texts = v.texts().join(" | ");
    assert!(texts.contains("A-001"), "{texts}");
    assert!(texts.contains("out of paper"), "{texts}");
    assert!(
        v.body.iter().any(|b| matches!(b, Block::Qr(_))),
        "the QR stays"
    );
}

#[test]
fn a_closed_service_shows_its_hours_and_cannot_be_taken() {
    let mut h = busy(0);
    h.when(
        &Actor::new(Role::Manager, "manager"),
        Command::SetServiceOpen {
            service: "CIT-TAX".into(),
            open: false,
        },
    )
    .events();
    let (hall, now) = (h.state, h.now);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-TAX".into()));
    let v = view(&k.flow, &hall, now, true);
    let texts = v.texts().join(" | ");
    assert!(texts.contains("not taking tickets today"), "{texts}");
    assert!(texts.contains("Every day, 00:00–24:00"), "{texts}");
    let take = v
        .buttons()
        .into_iter()
        .find(|(_, a, _)| *a == Action::TakeTicket)
        .unwrap();
    assert!(!take.2, "the take button is disabled");
}

#[test]
fn without_the_server_the_card_says_why_no_ticket_can_be_taken() {
    let (hall, now) = hall(0);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    let v = view(&k.flow, &hall, now, false);
    assert!(v.banner.is_some());
    let take = v
        .buttons()
        .into_iter()
        .find(|(_, a, _)| *a == Action::TakeTicket)
        .unwrap();
    assert!(!take.2);
}

#[test]
fn an_idle_kiosk_returns_to_welcome_and_forgets_the_citizen() {
    let mut k = Kiosk::new();
    k.tap(Action::ToggleLargeText);
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    k.wait(IDLE_TIMEOUT - Duration::from_secs(1));
    assert!(matches!(k.flow.screen, Screen::Services { .. }));
    k.wait(Duration::from_secs(1));
    assert_eq!(k.flow.screen, Screen::Welcome);
    assert!(!k.flow.large_text);
    assert_eq!(k.flow.lang, Lang::Ar);
}

#[test]
fn the_technician_panel_needs_five_taps_and_the_pin_and_locks_after_wrong_pins() {
    let mut k = Kiosk::new();
    for _ in 0..4 {
        k.tap(Action::HeaderTap);
    }
    assert_eq!(k.flow.screen, Screen::Welcome, "four taps are not enough");
    k.t += Duration::from_secs(10);
    k.tap(Action::HeaderTap);
    assert_eq!(k.flow.screen, Screen::Welcome, "the taps must be quick");
    for _ in 0..4 {
        k.flow.act(Action::HeaderTap, k.t, String::new);
    }
    assert!(matches!(k.flow.screen, Screen::Pin { .. }));
    for d in [1, 2, 3, 4] {
        k.tap(Action::Digit(d));
    }
    k.tap(Action::Enter);
    assert!(matches!(k.flow.screen, Screen::Pin { wrong: true, .. }));
    for d in [2, 4, 6, 8] {
        k.tap(Action::Digit(d));
    }
    k.tap(Action::Enter);
    assert_eq!(k.flow.screen, Screen::Panel);
    k.tap(Action::ClosePanel);
    assert_eq!(k.flow.screen, Screen::Welcome);

    // Three wrong PINs lock the pad, even for the right one.
    for _ in 0..5 {
        k.flow.act(Action::HeaderTap, k.t, String::new);
    }
    for _ in 0..3 {
        k.tap(Action::Digit(9));
        k.tap(Action::Enter);
    }
    for d in [2, 4, 6, 8] {
        k.tap(Action::Digit(d));
    }
    k.tap(Action::Enter);
    assert!(matches!(k.flow.screen, Screen::Pin { .. }), "locked");
}

#[test]
fn a_category_with_many_services_pages_through_them() {
    let catalog =
        hall_wire::center_file::parse(include_str!("../../assets/centers/heliopolis.toml"))
            .unwrap();
    let h = Hall::given(catalog);
    let (s, now) = (h.state, h.now);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("BLD".into()));
    let v = view(&k.flow, &s, now, true);
    let services = |v: &View| {
        v.buttons()
            .into_iter()
            .filter(|(_, a, _)| matches!(a, Action::Service(_)))
            .count()
    };
    // The sample's largest category (8 services) fits one page: no page that holds one.
    assert_eq!(services(&v), screens::PAGE_SIZE_ALONE);
    assert!(!v.buttons().iter().any(|(l, _, _)| l == "More services"));
    // Large text: fewer, bigger buttons per page, and the rest one tap away.
    k.tap(Action::ToggleLargeText);
    let v3 = view(&k.flow, &s, now, true);
    assert_eq!(services(&v3), screens::PAGE_SIZE_LARGE);
    let next = v3
        .buttons()
        .into_iter()
        .find(|(l, _, _)| l == "More services")
        .unwrap();
    k.tap(next.1);
    let v4 = view(&k.flow, &s, now, true);
    assert_eq!(services(&v4), 8 - screens::PAGE_SIZE_LARGE);

    // A category of 13 (the sample's 8 and 5 more): 7 to a page and the page row.
    let text = include_str!("../../assets/centers/heliopolis.toml")
        .replace("category = \"INV\"", "category = \"BLD\"");
    let big = Hall::given(hall_wire::center_file::parse(&text).unwrap());
    let (s, now) = (big.state, big.now);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("BLD".into()));
    let v = view(&k.flow, &s, now, true);
    assert_eq!(services(&v), screens::PAGE_SIZE);
    let next = v
        .buttons()
        .into_iter()
        .find(|(l, _, _)| l == "More services")
        .unwrap();
    k.tap(next.1);
    assert_eq!(
        services(&view(&k.flow, &s, now, true)),
        13 - screens::PAGE_SIZE
    );
    assert!(v3.large_text);
}

#[test]
fn a_service_closed_by_its_hours_says_when_it_opens_next_in_the_centers_zone() {
    let catalog =
        hall_wire::center_file::parse(include_str!("../../assets/centers/heliopolis.toml"))
            .unwrap();
    let s = Hall::given(catalog).state;
    // Cairo is UTC+2 in November; 2026-11-26 is a Thursday. INV-REG: Sunday to Thursday,
    // 09:00–13:00; CIT-TNT: Saturday to Thursday, 08:30–15:00.
    let at = |utc: &str| utc.parse::<hall_core::Timestamp>().unwrap();
    let card = |lang: Lang, category: &str, service: &str, now: hall_core::Timestamp| {
        let mut k = Kiosk::new();
        k.tap(Action::Language(lang));
        k.tap(Action::Category(category.into()));
        let list = view(&k.flow, &s, now, true);
        k.tap(Action::Service(service.into()));
        (
            list.texts().join(" | "),
            view(&k.flow, &s, now, true).texts().join(" | "),
        )
    };
    // Thursday 14:00 in Cairo: closed until Sunday, on the list and on the card.
    let thursday_afternoon = at("2026-11-26T12:00:00Z");
    let (list, card_en) = card(Lang::En, "INV", "INV-REG", thursday_afternoon);
    assert!(
        list.contains("Closed now  —  Opens Sunday at 09:00"),
        "{list}"
    );
    assert!(card_en.contains("Opens Sunday at 09:00"), "{card_en}");
    let (_, card_ar) = card(Lang::Ar, "INV", "INV-REG", thursday_afternoon);
    assert!(card_ar.contains("تفتح يوم الأحد الساعة ٠٩:٠٠"), "{card_ar}");
    // Thursday 07:00: later today.
    let (_, early) = card(Lang::En, "INV", "INV-REG", at("2026-11-26T05:00:00Z"));
    assert!(early.contains("Opens today at 09:00"), "{early}");
    // Friday: CIT-TNT opens on Saturday, tomorrow.
    let (_, friday) = card(Lang::En, "CIT", "CIT-TNT", at("2026-11-27T08:00:00Z"));
    assert!(friday.contains("Opens tomorrow at 08:30"), "{friday}");
    let (_, friday_ar) = card(Lang::Ar, "CIT", "CIT-TNT", at("2026-11-27T08:00:00Z"));
    assert!(friday_ar.contains("تفتح غدًا الساعة ٠٨:٣٠"), "{friday_ar}");
    // Open now: no such line.
    let (_, open) = card(Lang::En, "CIT", "CIT-TNT", thursday_afternoon);
    assert!(!open.contains("Opens"), "{open}");
}

#[test]
fn the_service_card_and_list_show_the_models_range_and_who_will_be_called_first() {
    // Counter 1 serves the birth certificate among other services; three wait for it.
    let (hall, now) = hall(3);
    let outlook = figures(&hall, now);
    let want = outlook
        .wait_at("CIT-BIRTH", Priority::Normal, now)
        .expect("counter 1 serves it");
    assert_eq!(want.ahead, 3);
    let en = Translator::new("en").wait(&want);
    assert!(en.ends_with(" min") && en.contains('–'), "{en}");
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    let list = view(&k.flow, &hall, now, true);
    assert!(
        list.texts()
            .iter()
            .any(|t| t == &format!("3 people waiting  —  {en}")),
        "{:?}",
        list.texts()
    );
    k.tap(Action::Service("CIT-BIRTH".into()));
    let card = view(&k.flow, &hall, now, true).texts().join(" | ");
    assert!(card.contains(&en), "{card}");
    assert!(card.contains("3 people are ahead of you"), "{card}");
    // Before the server's first figures the card says it is working the wait out.
    let early = view_with(&k.flow, &hall, None, now, true)
        .texts()
        .join(" | ");
    assert!(early.contains("Working out the wait"), "{early}");
    // In Arabic, with Arabic-Indic digits and the range's plural.
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    let card = view(&k.flow, &hall, now, true).texts().join(" | ");
    let ar = hall_ui::arabic_digits(&Translator::new("ar").wait(&want));
    assert!(card.contains(&ar), "{ar} in {card}");
    assert!(card.contains("أمامك ٣ أشخاص"), "{card}");
}

#[test]
fn a_service_no_open_window_serves_says_so_on_the_list_the_card_and_the_confirm_screen() {
    // Window 1 is open (birth certificates, tax); shops are served by windows 3 and 4, closed.
    let (s, now) = hall(2);
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    let v = view(&k.flow, &s, now, true);
    let detail = |v: &View, code: &str| -> String {
        v.body
            .iter()
            .find_map(|b| match b {
                Block::Button {
                    action: Action::Service(c),
                    detail,
                    ..
                } if c == code => detail.clone(),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no {code} on {:?}", v.texts()))
    };
    const NONE: &str = "No window is serving this service right now";
    assert!(
        detail(&v, "CIT-SHOP").contains(NONE),
        "{}",
        detail(&v, "CIT-SHOP")
    );
    assert!(!detail(&v, "CIT-BIRTH").contains(NONE));

    // The card says so before anything else, and still offers the ticket.
    k.tap(Action::Service("CIT-SHOP".into()));
    let v = view(&k.flow, &s, now, true);
    let unserved =
        "No window is serving this service right now: your ticket waits until one opens for it.";
    assert!(
        v.body.iter().any(|b| matches!(
            b,
            Block::Text { text, tone: Tone::Alert, .. } if text == unserved
        )),
        "{:?}",
        v.texts()
    );
    assert!(
        v.buttons()
            .iter()
            .any(|(_, a, enabled)| *a == Action::TakeTicket && *enabled)
    );

    // The confirm screen: said again, and the button says the citizen knows.
    k.tap(Action::TakeTicket);
    k.tap(Action::Priority(Priority::Normal));
    let v = view(&k.flow, &s, now, true);
    assert!(v.texts().iter().any(|t| t == unserved), "{:?}", v.texts());
    assert!(
        v.buttons()
            .iter()
            .any(|(l, a, _)| *a == Action::Confirm && l == "Print my ticket anyway")
    );
    assert!(matches!(k.tap(Action::Confirm), Some(Effect::Issue { .. })));

    // A served service: no warning, the plain button.
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    assert!(
        !view(&k.flow, &s, now, true)
            .texts()
            .iter()
            .any(|t| t == unserved)
    );
    k.tap(Action::TakeTicket);
    k.tap(Action::Priority(Priority::Normal));
    let v = view(&k.flow, &s, now, true);
    assert!(!v.texts().iter().any(|t| t == unserved));
    assert!(
        v.buttons()
            .iter()
            .any(|(l, a, _)| *a == Action::Confirm && l == "Print my ticket")
    );
}

#[test]
fn the_keypad_names_its_two_word_keys_in_the_screens_language() {
    let (s, now) = hall(0);
    for (lang, erase, enter) in [(Lang::Ar, "مسح", "تم"), (Lang::En, "Delete", "OK")] {
        let mut k = Kiosk::new();
        k.tap(Action::Language(lang));
        k.tap(Action::FollowRequest);
        let v = view(&k.flow, &s, now, true);
        assert!(
            v.body.iter().any(|b| matches!(
                b,
                Block::Keypad { erase: e, enter: n, .. } if e == erase && n == enter
            )),
            "{lang:?}"
        );
    }
}

#[test]
fn every_category_is_reachable_in_large_text_a_few_tiles_to_a_page() {
    let catalog =
        hall_wire::center_file::parse(include_str!("../../assets/centers/heliopolis.toml"))
            .unwrap();
    let h = Hall::given(catalog);
    let (s, now) = (h.state, h.now);
    let tiles = |v: &View| -> Vec<Action> {
        v.buttons()
            .into_iter()
            .map(|(_, a, _)| a)
            .filter(|a| matches!(a, Action::Category(_) | Action::FollowRequest))
            .collect()
    };
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    // Normal text: the nine categories and "follow a request" as tiles on one page.
    let v = view(&k.flow, &s, now, true);
    let all = tiles(&v);
    assert_eq!(all.len(), 10, "{:?}", v.texts());
    assert!(matches!(v.body.last(), Some(Block::Grid(_))), "no page row");
    // Large text: four to a page, every one reachable with the page row, and back.
    k.tap(Action::ToggleLargeText);
    let mut seen = Vec::new();
    for page in 0..3 {
        let v = view(&k.flow, &s, now, true);
        let on_page = tiles(&v);
        assert!(on_page.len() <= screens::CATEGORY_PAGE_LARGE);
        seen.extend(on_page);
        let next = v
            .buttons()
            .into_iter()
            .find(|(_, a, enabled)| *a == Action::Page(page + 1) && *enabled);
        match next {
            Some((_, a, _)) => {
                k.tap(a);
            }
            None => break,
        }
    }
    assert_eq!(seen, all);
    k.tap(Action::Category("CIT".into()));
    assert!(matches!(k.flow.screen, Screen::Services { .. }));
    // The next citizen starts on the first page.
    k.tap(Action::Home);
    assert_eq!(k.flow.category_page(), 0);
}

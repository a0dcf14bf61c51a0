//! The kiosk's follow-a-request screen and the phone number (on the confirm screen or the ticket),
//! headless: the flow and the screens it shows, on a hall whose request was handed in and
//! moved on by the real engine.

mod common;
use common::receipt;
use hall_core::engine::{Actor, Command};
use hall_core::error::{ErrorBody, ErrorCode};
use hall_core::i18n::Translator;
use hall_core::request::RequestState;
use hall_core::role::Role;
use hall_core::{Outcome, State};
use kiosk::flow::{
    Action, Effect, Flow, FlowConfig, FollowProblem, ISSUE_TIMEOUT, Lang, PhoneState, Screen,
};
use kiosk::screens::{self, Block, Context, View};
use std::time::{Duration, Instant};
use testkit::hall::Hall;

struct Kiosk {
    flow: Flow,
    t: Instant,
}

impl Kiosk {
    fn new() -> Kiosk {
        let t = Instant::now();
        let config = FlowConfig {
            priorities: vec![],
            pin: "2468".into(),
            default_lang: Lang::Ar,
        };
        Kiosk {
            flow: Flow::new(config, t),
            t,
        }
    }
    fn tap(&mut self, a: Action) -> Option<Effect> {
        self.t += Duration::from_secs(1);
        self.flow.act(a, self.t, || "key-1".to_string())
    }
    fn type_digits(&mut self, digits: &str) -> Option<Effect> {
        let mut last = None;
        for b in digits.bytes() {
            last = self.tap(Action::Digit(b - b'0'));
        }
        last
    }
}

fn view(flow: &Flow, hall: &State, sms: bool) -> View {
    let (ar, en) = (Translator::new("ar"), Translator::new("en"));
    screens::view(
        flow,
        &Context {
            hall: Some(hall),
            outlook: None,
            live: true,
            ar: &ar,
            en: &en,
            now: chrono::Utc::now(),
            ticket_base: "http://10.0.0.2:8740",
            sms,
            wide: false,
        },
    )
}

/// A hall where one birth certificate was handed in as a request (suffix 4821) and the back
/// office asked for two documents; the status the server would send the kiosk.
fn hall_with_a_request() -> (State, Box<hall_core::request::RequestStatusView>) {
    let mut h = Hall::open();
    let clerk = Actor::new(Role::Clerk, "clerk1");
    h.open_counter(&clerk, 1);
    h.issue("CIT-BIRTH");
    h.call_next(&clerk, 1);
    h.when(
        &clerk,
        Command::Finish {
            counter: 1,
            outcome: Outcome::RequestSubmitted,
            reference: None,
            suffixes: vec!["4821".into()],
        },
    )
    .events();
    let reference = h.state.requests.keys().next().unwrap().clone();
    let office = Actor::new(Role::BackOffice, "samir");
    for state in [
        RequestState::UnderReview,
        RequestState::NeedsDocuments {
            documents: vec!["صورة البطاقة".into(), "إيصال الكهرباء".into()],
        },
    ] {
        h.when(
            &office,
            Command::SetRequestState {
                reference: reference.clone(),
                state,
                note: String::new(),
            },
        )
        .events();
    }
    let r = &h.state.requests[&reference];
    let catalog = h.state.catalog.as_deref().unwrap();
    let service = h.state.services[&r.service].service.name.clone();
    let status = r.status_view(service, catalog.center.name.clone());
    (h.state, Box::new(status))
}

#[test]
fn a_citizen_follows_a_request_by_its_digits_and_the_four_they_gave() {
    let (hall, status) = hall_with_a_request();
    assert_eq!(status.reference, "TST-26-000001");
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    let v = view(&k.flow, &hall, false);
    let follow = v
        .buttons()
        .into_iter()
        .find(|(_, a, _)| *a == Action::FollowRequest)
        .expect("the categories offer to follow a request");
    assert_eq!(follow.0, "تابع طلبًا قدّمته");
    k.tap(Action::FollowRequest);
    // The reference fills in behind the center's prefix as the receipt prints it.
    k.type_digits("260");
    let v = view(&k.flow, &hall, false);
    assert!(
        v.texts().contains(&"TST-26-0_____".to_string()),
        "{:?}",
        v.texts()
    );
    assert!(
        v.body
            .iter()
            .any(|b| matches!(b, Block::Keypad { arabic: false, .. }))
    );
    k.tap(Action::Enter);
    let v = view(&k.flow, &hall, false);
    assert!(
        v.texts().iter().any(|t| t == "أكمل الأرقام ثم اضغط «تم»."),
        "{:?}",
        v.texts()
    );
    k.type_digits("00001");
    k.tap(Action::Enter);
    let v = view(&k.flow, &hall, false);
    assert!(v.texts().iter().any(|t| t.contains("آخر أربعة أرقام")));
    k.type_digits("1111");
    let asked = k.tap(Action::Enter);
    assert_eq!(
        asked,
        Some(Effect::AskStatus {
            digits: "26000001".into(),
            suffix: "1111".into()
        })
    );
    // Wrong digits: said so in Arabic, and only the four are asked again.
    k.flow
        .status(Err(ErrorBody::new(ErrorCode::WrongSuffix, "wrong")), k.t);
    match &k.flow.screen {
        Screen::Follow {
            digits,
            suffix,
            on_suffix: true,
            problem: Some(FollowProblem::Refused(ErrorCode::WrongSuffix)),
        } => assert_eq!((digits.as_str(), suffix.as_str()), ("26000001", "")),
        other => panic!("{other:?}"),
    }
    let v = view(&k.flow, &hall, false);
    let said = Translator::new("ar").error(ErrorCode::WrongSuffix);
    assert!(v.texts().contains(&said), "{:?}", v.texts());
    k.type_digits("4821");
    assert!(matches!(
        k.tap(Action::Enter),
        Some(Effect::AskStatus { .. })
    ));
    k.flow.status(Ok(status), k.t);
    let v = view(&k.flow, &hall, false);
    let texts = v.texts();
    for want in [
        "TST-26-000001",
        "استخراج شهادة ميلاد",
        "مطلوب مستندات",
        "يرجى إحضار: صورة البطاقة، إيصال الكهرباء",
        "تم الاستلام",
        "قيد المراجعة",
    ] {
        assert!(texts.iter().any(|t| t == want), "{want} in {texts:?}");
    }
    // The expected day in words with Arabic-Indic digits, never ISO; no staff names anywhere.
    assert!(
        texts.iter().any(|t| t == "الأربعاء ٢٥ نوفمبر ٢٠٢٦"),
        "{texts:?}"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("2026-") || t.contains("٢٠٢٦-")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .all(|t| !t.contains("samir") && !t.contains("clerk1"))
    );
    k.tap(Action::Back);
    assert_eq!(k.flow.screen, Screen::Categories);
}

#[test]
fn a_status_never_answered_lets_the_citizen_try_again() {
    let (hall, _) = hall_with_a_request();
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::FollowRequest);
    k.type_digits("26000001");
    k.tap(Action::Enter);
    k.type_digits("4821");
    k.tap(Action::Enter);
    assert!(matches!(k.flow.screen, Screen::Asking { .. }));
    k.t += ISSUE_TIMEOUT;
    k.flow.tick(k.t);
    assert!(matches!(
        k.flow.screen,
        Screen::Follow {
            problem: Some(FollowProblem::Offline),
            on_suffix: true,
            ..
        }
    ));
    let v = view(&k.flow, &hall, false);
    assert!(
        v.texts().iter().any(|t| t.contains("lost its connection")),
        "{:?}",
        v.texts()
    );
    // Enter again asks again, with what was typed.
    assert_eq!(
        k.tap(Action::Enter),
        Some(Effect::AskStatus {
            digits: "26000001".into(),
            suffix: "4821".into()
        })
    );
}

#[test]
fn a_phone_number_is_left_from_the_ticket_screen_when_the_center_sends_messages() {
    let (hall, _) = hall_with_a_request();
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::Ar));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    k.tap(Action::TakeTicket);
    k.tap(Action::Confirm);
    k.flow.issued("key-1", Ok(Box::new(receipt("A-004"))), k.t);
    let offer = |v: &View| v.buttons().iter().any(|(_, a, _)| *a == Action::LeavePhone);
    assert!(
        !offer(&view(&k.flow, &hall, false)),
        "no messages, no offer"
    );
    assert!(offer(&view(&k.flow, &hall, true)));
    k.tap(Action::LeavePhone);
    let v = view(&k.flow, &hall, true);
    assert_eq!(v.title, "رقم هاتفك المحمول");
    assert!(
        v.body
            .iter()
            .any(|b| matches!(b, Block::Keypad { arabic: true, .. }))
    );
    k.type_digits("0101234567");
    let v = view(&k.flow, &hall, true);
    assert!(
        v.texts().contains(&"٠١٠١٢٣٤٥٦٧_".to_string()),
        "{:?}",
        v.texts()
    );
    assert_eq!(k.tap(Action::Enter), None, "ten digits are no mobile");
    let v = view(&k.flow, &hall, true);
    assert!(
        v.texts()
            .iter()
            .any(|t| t.starts_with("هذا ليس رقم محمول مصريًا"))
    );
    k.type_digits("8");
    assert_eq!(
        k.tap(Action::Enter),
        Some(Effect::LeavePhone {
            token: "tok123".into(),
            phone: "01012345678".into(),
            lang: Lang::Ar
        })
    );
    // The answer for another ticket's page changes nothing; this one's shows the number masked.
    k.flow.phone_kept("other", Ok("•••• 00".into()));
    assert!(matches!(
        k.flow.screen,
        Screen::Ticket {
            phone: PhoneState::Saving,
            ..
        }
    ));
    k.flow.phone_kept("tok123", Ok("•••• 78".into()));
    let v = view(&k.flow, &hall, true);
    assert!(
        v.texts().iter().any(|t| t == "ستصلك الرسائل على •••• ٧٨."),
        "{:?}",
        v.texts()
    );
    assert!(!offer(&v), "given once");
    assert!(
        v.texts().contains(&"A-004".to_string()),
        "the ticket is back on screen"
    );
}

#[test]
fn a_number_given_on_the_confirm_screen_goes_with_the_ticket_once_it_is_issued() {
    let (hall, _) = hall_with_a_request();
    let mut k = Kiosk::new();
    k.tap(Action::Language(Lang::En));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    k.tap(Action::TakeTicket);
    assert!(matches!(k.flow.screen, Screen::Confirm { .. }));
    let offer = |v: &View| {
        v.buttons()
            .into_iter()
            .find(|(_, a, _)| *a == Action::LeavePhone)
            .map(|(label, _, _)| label)
    };
    assert_eq!(
        offer(&view(&k.flow, &hall, false)),
        None,
        "no messages, no offer"
    );
    let v = view(&k.flow, &hall, true);
    assert_eq!(
        offer(&v).as_deref(),
        Some("A text message when your turn is near")
    );
    assert!(
        v.texts()
            .iter()
            .any(|t| t.starts_with("Optional: we use the number only")),
        "the one line of consent: {:?}",
        v.texts()
    );

    // The pad over the confirm screen; a wrong number is said, Back leaves nothing behind.
    k.tap(Action::LeavePhone);
    let v = view(&k.flow, &hall, true);
    assert_eq!(v.title, "Your mobile number");
    assert!(
        v.body
            .iter()
            .any(|b| matches!(b, Block::Keypad { arabic: false, .. }))
    );
    k.type_digits("0101234567");
    assert_eq!(k.tap(Action::Enter), None);
    assert!(
        view(&k.flow, &hall, true)
            .texts()
            .iter()
            .any(|t| t.starts_with("This is not an Egyptian mobile number"))
    );
    k.tap(Action::Back);
    assert!(matches!(k.flow.screen, Screen::Confirm { .. }));
    assert_eq!(k.flow.phone(), None);

    // Given: the confirm screen says where messages will go.
    k.tap(Action::LeavePhone);
    k.type_digits("01012345678");
    assert_eq!(
        k.tap(Action::Enter),
        None,
        "nothing is sent before the ticket exists"
    );
    assert!(matches!(k.flow.screen, Screen::Confirm { .. }));
    let v = view(&k.flow, &hall, true);
    assert_eq!(offer(&v).as_deref(), Some("Messages will go to •••• 78"));

    // The ticket: its receipt printed and the number left with its page token, once.
    let Some(Effect::Issue { key, .. }) = k.tap(Action::Confirm) else {
        panic!("no ticket asked for")
    };
    let effects = k.flow.issued(&key, Ok(Box::new(receipt("A-004"))), k.t);
    assert_eq!(effects.len(), 2, "{effects:?}");
    assert!(matches!(effects[0], Effect::Print(_)));
    assert_eq!(
        effects[1],
        Effect::LeavePhone {
            token: "tok123".into(),
            phone: "01012345678".into(),
            lang: Lang::En
        }
    );
    assert_eq!(
        k.flow.phone(),
        None,
        "the number is not kept for the next citizen"
    );
    k.flow.phone_kept("tok123", Ok("•••• 78".into()));
    let v = view(&k.flow, &hall, true);
    assert!(
        v.texts()
            .iter()
            .any(|t| t == "Messages will go to •••• 78.")
    );
    assert_eq!(offer(&v), None, "given once");

    // The next citizen starts without it.
    k.tap(Action::Home);
    k.tap(Action::Language(Lang::Ar));
    k.tap(Action::Category("CIT".into()));
    k.tap(Action::Service("CIT-BIRTH".into()));
    k.tap(Action::TakeTicket);
    assert_eq!(
        offer(&view(&k.flow, &hall, true)).as_deref(),
        Some("رسالة على هاتفك حين يقترب دورك")
    );

    // Given and then taken away (the pad emptied): nothing is left.
    k.tap(Action::LeavePhone);
    k.type_digits("01012345678");
    k.tap(Action::Enter);
    k.tap(Action::LeavePhone);
    for _ in 0..11 {
        k.tap(Action::Erase);
    }
    k.tap(Action::Enter);
    assert_eq!(k.flow.phone(), None);
    let Some(Effect::Issue { key, .. }) = k.tap(Action::Confirm) else {
        panic!()
    };
    let effects = k.flow.issued(&key, Ok(Box::new(receipt("A-005"))), k.t);
    assert!(matches!(effects.as_slice(), [Effect::Print(_)]));
}

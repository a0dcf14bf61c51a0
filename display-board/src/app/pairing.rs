//! The pairing screen over the board while it waits for a manager to approve it: drawn when
//! the pairing step changes (a code, a new code, the token refused), removed once approved.

use super::link::{Hall, take_events};
use super::options::Options;
use bevy::prelude::*;
use bevy::window::RequestRedraw;
use hall_ui::Tr;
use hall_ui::pairing::{self, Pairing, PairingRoot};
use hall_wire::manager::DeviceKind;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, draw.after(take_events));
}

/// Draws the pairing screen again when the pairing step changed; none when not pairing.
fn draw(
    mut commands: Commands,
    hall: Res<Hall>,
    opts: Res<Options>,
    tr: Res<Tr>,
    roots: Query<Entity, With<PairingRoot>>,
    mut drawn: Local<Option<Pairing>>,
    mut redraw: MessageWriter<RequestRedraw>,
) {
    let now = hall.pairing.active.then(|| hall.pairing.clone());
    if *drawn == now {
        return;
    }
    for e in &roots {
        commands.entity(e).despawn();
    }
    if let Some(p) = &now {
        let v = pairing::view(p, DeviceKind::Board, &opts.0.url, &tr);
        pairing::spawn(&mut commands, &v);
    }
    *drawn = now;
    redraw.write(RequestRedraw);
}

#[cfg(test)]
mod tests {
    //! The board's own systems, headless: a code from the server is on screen in the next
    //! update, and the approved token lands in the config file and the screen goes away.
    use super::super::link::ScreenState;
    use super::super::options::BoardOptions;
    use super::super::voice::Announcer;
    use super::*;
    use crate::announce::Lang;
    use crate::board::{Calls, Zone};
    use crate::settings::Settings;
    use hall_client::{Client, ClientEvent};
    use hall_core::error::{ErrorBody, ErrorCode};
    use hall_core::role::Role;
    use std::path::PathBuf;
    use std::sync::mpsc;

    fn texts(app: &mut App) -> Vec<String> {
        let mut q = app.world_mut().query::<&Text>();
        q.iter(app.world()).map(|t| t.0.clone()).collect()
    }

    fn roots(app: &mut App) -> usize {
        let mut q = app.world_mut().query_filtered::<(), With<PairingRoot>>();
        q.iter(app.world()).count()
    }

    #[test]
    fn a_board_shows_its_code_keeps_the_approved_token_and_pairs_again_when_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("board.json");
        let (client, tx) = Client::by_hand();
        let (speak_tx, _speak_rx) = mpsc::channel();
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .add_message::<RequestRedraw>()
            .insert_resource(Options(BoardOptions {
                url: "ws://10.0.0.2:8740/ws".into(),
                token: String::new(),
                settings_path: path.clone(),
                voice: vec![],
                voice_dir: PathBuf::new(),
                silent: true,
                arabic_digits: true,
                portrait: false,
                windowed: true,
                zone: Zone::default(),
                #[cfg(feature = "dev")]
                screenshot: None,
                #[cfg(feature = "dev")]
                screenshot_offline: false,
                labels: vec![Lang::Ar, Lang::En],
                assets: PathBuf::new(),
                logo: None,
            }))
            .insert_resource(Tr::new())
            .insert_resource(ScreenState::default())
            .insert_resource(Hall {
                client,
                calls: Calls::new(Zone::default()),
                pairing: Pairing::new(""),
            })
            .insert_resource(Announcer(speak_tx))
            .add_systems(Update, (take_events, draw).chain());

        app.update();
        assert_eq!(roots(&mut app), 1, "no token: the pairing screen at once");
        assert!(
            texts(&mut app)
                .iter()
                .any(|t| t.contains("Asking the queue server"))
        );

        assert!(tx.push(ClientEvent::Pairing {
            code: "482913".into(),
            expires_at: "2026-11-22T08:19:30Z".parse().unwrap(),
        }));
        app.update();
        let shown = texts(&mut app);
        assert!(shown.contains(&"482 913".to_string()), "{shown:?}");
        assert!(shown.contains(&"٤٨٢".to_string()), "{shown:?}");
        assert!(shown.contains(&"٩١٣".to_string()), "{shown:?}");
        assert!(shown.iter().any(|t| t.contains("لوحة العرض")));
        assert!(shown.iter().any(|t| t.contains("ws://10.0.0.2:8740/ws")));
        assert_eq!(roots(&mut app), 1, "drawn once, not stacked");

        assert!(tx.push(ClientEvent::Paired {
            token: "f00d".into(),
            name: "board-2".into(),
            role: Role::Board,
        }));
        app.update();
        assert_eq!(roots(&mut app), 0, "approved: the hall shows again");
        let kept = Settings::load(&path).unwrap().expect("the config file");
        assert_eq!(kept.token, "f00d");
        assert_eq!(kept.server, "ws://10.0.0.2:8740/ws");

        assert!(tx.push(ClientEvent::TokenRefused {
            error: ErrorBody::new(ErrorCode::BadCredentials, "unknown token"),
        }));
        app.update();
        assert_eq!(roots(&mut app), 1, "revoked: pairing again");
        assert!(texts(&mut app).iter().any(|t| t.contains("refused")));
    }
}

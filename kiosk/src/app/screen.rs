//! The citizen screen: rebuilt from `screens::view` whenever the flow, the figures it shows or
//! the connection changed, and only then; the ticket's QR code as an image. While the kiosk
//! waits to be paired, the pairing screen (`hall_ui::pairing`) replaces it.

use super::kiosk::{Kiosk, pump};
use super::theme::theme;
use super::widgets::{Root, spawn_view};
use crate::receipt::qr_modules;
use crate::screens;
use crate::screens::{Block, Context};
use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bevy::window::RequestRedraw;
use hall_ui::Tr;
use hall_ui::pairing::{self, Pairing, PairingRoot};
use hall_wire::manager::DeviceKind;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Drawn>()
        .add_systems(Update, (pump, rebuild).chain());
}

/// What is on screen now, to know when to draw again.
#[derive(Resource, Default)]
pub(super) struct Drawn {
    key: Option<(u64, u64, bool, bool)>,
    qr: Option<(String, Handle<Image>)>,
    /// The pairing screen drawn, if it is on screen.
    pairing: Option<Pairing>,
}

/// What is drawn on the citizen's screen: the citizen's view or the pairing screen.
type OnScreen = Or<(With<Root>, With<PairingRoot>)>;

/// Draws the screen again when the flow, the figures on it, or the connection changed.
#[allow(clippy::too_many_arguments)]
pub(super) fn rebuild(
    mut commands: Commands,
    kiosk: Res<Kiosk>,
    tr: Res<Tr>,
    mut drawn: ResMut<Drawn>,
    roots: Query<Entity, OnScreen>,
    mut images: ResMut<Assets<Image>>,
    mut clear: ResMut<ClearColor>,
    mut redraw: MessageWriter<RequestRedraw>,
    windows: Query<&Window>,
) {
    if kiosk.pairing.active {
        if drawn.pairing.as_ref() != Some(&kiosk.pairing) {
            for e in &roots {
                commands.entity(e).despawn();
            }
            let v = pairing::view(
                &kiosk.pairing,
                DeviceKind::Kiosk,
                &kiosk.settings.server,
                &tr,
            );
            pairing::spawn(&mut commands, &v);
            drawn.pairing = Some(kiosk.pairing.clone());
            // The citizen screen is drawn afresh once pairing ends.
            drawn.key = None;
            redraw.write(RequestRedraw);
        }
        return;
    }
    drawn.pairing = None;
    let hall_version = kiosk.link.hall_version();
    let shows_figures = kiosk.link.shows_figures();
    // Every screen shows the center's name in its header: drawn again once the hall (with its
    // catalog) arrives, also on the welcome screen, which shows no figures.
    let knows_center = kiosk
        .link
        .mirror()
        .state
        .as_ref()
        .is_some_and(|s| s.catalog.is_some());
    let key = (
        kiosk.flow.version,
        if shows_figures || drawn.key.is_none() {
            hall_version
        } else {
            drawn.key.map(|k| k.1).unwrap_or(0)
        },
        kiosk.live,
        knows_center,
    );
    if drawn.key == Some(key) {
        return;
    }
    drawn.key = Some(key);
    let mirror = kiosk.link.mirror();
    let base = kiosk.settings.ticket_base();
    // A landscape window: the screens page and the widgets lay out for it.
    let wide = windows
        .iter()
        .next()
        .is_some_and(|w| w.width() > w.height());
    let cx = Context {
        hall: mirror.state.as_ref(),
        outlook: mirror.outlook.as_ref(),
        live: kiosk.live,
        ar: &tr.ar,
        en: &tr.en,
        now: chrono::Utc::now(),
        ticket_base: &base,
        sms: kiosk.link.sms(),
        wide,
    };
    let view = screens::view(&kiosk.flow, &cx);
    drop(mirror);
    for e in &roots {
        commands.entity(e).despawn();
    }
    let mut th = theme(view.large_text);
    th.wide = wide;
    clear.0 = th.bg;
    let qr = find_qr(&view.body).map(|url| {
        if drawn.qr.as_ref().map(|(u, _)| u) != Some(&url) {
            let image = qr_image(&url);
            drawn.qr = Some((url.clone(), images.add(image)));
        }
        drawn
            .qr
            .as_ref()
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    });
    spawn_view(&mut commands, &view, th, qr);
    redraw.write(RequestRedraw);
}

fn find_qr(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Qr(url) => Some(url.clone()),
        _ => None,
    })
}

/// The QR code as an image, each module a square of pixels (drawn unfiltered): the same
/// code as the receipt's (`receipt::qr_modules`).
fn qr_image(url: &str) -> Image {
    const MODULE: usize = 10;
    const QUIET: usize = 4;
    let (modules, width) = qr_modules(url).unwrap_or_default();
    let side = (width + 2 * QUIET) * MODULE;
    let mut data = vec![255u8; side * side * 4];
    for (i, dark) in modules.iter().enumerate() {
        if !*dark {
            continue;
        }
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for y in my * MODULE..(my + 1) * MODULE {
            for x in mx * MODULE..(mx + 1) * MODULE {
                let p = (y * side + x) * 4;
                data[p..p + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
    }
    let mut image = Image::new(
        Extent3d {
            width: side as u32,
            height: side as u32,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::default(),
    );
    image.sampler = ImageSampler::nearest();
    image
}

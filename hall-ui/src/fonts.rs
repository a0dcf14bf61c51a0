//! The fonts of both apps, and the script fallback bevy's text does not do by itself.
//!
//! bevy 0.19 has no automatic font fallback (docs/platform.md): every text names the Latin
//! family (it has the punctuation, arrows and digits) and, once the font files are loaded,
//! Arabic script is made to fall back to the Arabic family in parley's collection.

use bevy::prelude::*;
use bevy::text::{FontCx, load_font_assets_into_font_collection};
use bevy::ui::UiSystems;
use parley::fontique::Script;

pub const LATIN_FAMILY: &str = "Noto Sans";
pub const ARABIC_FAMILY: &str = "Noto Sans Arabic";

const FILES: [&str; 4] = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
];

/// The fonts, held for the app's life: bevy clears parley's whole collection (fallbacks
/// included) when a font asset is dropped.
#[derive(Resource)]
struct Fonts(Vec<Handle<Font>>);

/// Whether the fallbacks are registered (text drawn before may show boxes); apps wait for it
/// before a screenshot, and redraw their texts when it turns true.
#[derive(Resource, Default, Debug, PartialEq, Eq)]
pub struct FontsReady(pub bool);

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<FontsReady>()
        .add_systems(Startup, load_fonts)
        .add_systems(
            PostUpdate,
            register_fallbacks
                .after(load_font_assets_into_font_collection)
                .before(UiSystems::Content),
        );
}

fn load_fonts(mut commands: Commands, assets: Res<AssetServer>) {
    commands.insert_resource(Fonts(
        FILES
            .iter()
            .map(|f| assets.load(format!("fonts/{f}")))
            .collect(),
    ));
}

/// Once every font file is in, Arabic script falls back to the Arabic family (and Latin to
/// the Latin one); texts already laid out are laid out again.
fn register_fallbacks(
    fonts: Option<Res<Fonts>>,
    font_assets: Res<Assets<Font>>,
    mut font_cx: ResMut<FontCx>,
    mut text_fonts: Query<&mut TextFont>,
    mut ready: ResMut<FontsReady>,
) {
    if ready.0 {
        return;
    }
    let Some(fonts) = fonts else { return };
    // Registered by bevy under their own family names once every file has loaded.
    if !fonts
        .0
        .iter()
        .all(|h| font_assets.get(h).is_some_and(|f| !f.alias.is_empty()))
    {
        return;
    }
    let (Some(latin_id), Some(arabic_id)) = (
        font_cx.collection.family_id(LATIN_FAMILY),
        font_cx.collection.family_id(ARABIC_FAMILY),
    ) else {
        tracing::error!("fonts loaded but their families are missing; text may show boxes");
        ready.0 = true;
        return;
    };
    font_cx
        .collection
        .set_fallbacks(Script::from_bytes(*b"Latn"), std::iter::once(latin_id));
    font_cx
        .collection
        .set_fallbacks(Script::from_bytes(*b"Arab"), std::iter::once(arabic_id));
    for mut tf in &mut text_fonts {
        tf.set_changed();
    }
    ready.0 = true;
}

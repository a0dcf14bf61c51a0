//! The board's voice: a thread of its own plans each call's announcement, renders it from the
//! voice pack and queues it on the speaker, so a long announcement never holds up a frame.
//! The window only says "announce this call".

use super::options::Options;
use crate::announce::{self, Audio, Lang, RenderError, VoicePack};
use crate::board::Call;
use bevy::prelude::*;
use std::sync::mpsc::{self, Sender};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Startup, start_voice);
}

/// Calls to announce, to the voice thread.
#[derive(Resource)]
pub(super) struct Announcer(pub Sender<Call>);

impl Announcer {
    pub fn announce(&self, call: Call) {
        // The voice thread lives as long as the app; a send fails only while it exits.
        let _ = self.0.send(call);
    }
}

/// What the board says for a call: the chime and the sentence in each voice language.
pub(super) fn render(pack: &VoicePack, call: &Call, langs: &[Lang]) -> Result<Audio, RenderError> {
    pack.render(&announce::plan(&call.label, call.counter, langs))
}

/// Announcements play one after another on one speaker (see `speaker.rs`).
fn start_voice(mut commands: Commands, opts: Res<Options>) {
    let (tx, rx) = mpsc::channel::<Call>();
    let pack = VoicePack::new(&opts.0.voice_dir);
    let langs = opts.0.voice.clone();
    std::thread::Builder::new()
        .name("board-voice".into())
        .spawn(move || {
            let speaker = crate::speaker::Speaker::open();
            for call in rx {
                match render(&pack, &call, &langs) {
                    Ok(audio) => speaker.play(&audio),
                    Err(e) => {
                        tracing::warn!(error = %e, label = %call.label, "announcement not played")
                    }
                }
            }
        })
        .expect("spawn the voice thread");
    commands.insert_resource(Announcer(tx));
}

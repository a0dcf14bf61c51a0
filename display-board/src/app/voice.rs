//! The board's voice: a thread of its own plans each call's announcement, renders it from the
//! voice pack and queues it on the speaker, so a long announcement never holds up a frame.
//! The window only says "announce this call".

use super::options::Options;
use crate::announce::{self, Audio, Lang, RenderError, VoicePack};
use crate::backlog::{Backlog, Length};
use crate::board::Call;
use bevy::prelude::*;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

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

/// What the board says for a call: the chime and the sentence in each voice language, or in
/// the first one only when other calls wait (`backlog.rs`).
pub(super) fn render(
    pack: &VoicePack,
    call: &Call,
    langs: &[Lang],
    length: Length,
) -> Result<Audio, RenderError> {
    let langs = match length {
        Length::Full => langs,
        Length::Short => &langs[..langs.len().min(1)],
    };
    pack.render(&announce::plan(&call.label, call.counter, langs))
}

/// Announcements play one after another on one speaker (see `speaker.rs`). Calls wait in a
/// `Backlog` while the speaker talks; the next is chosen when it falls silent.
fn start_voice(mut commands: Commands, opts: Res<Options>) {
    let (tx, rx) = mpsc::channel::<Call>();
    let pack = VoicePack::new(&opts.0.voice_dir);
    let langs = opts.0.voice.clone();
    std::thread::Builder::new()
        .name("board-voice".into())
        .spawn(move || {
            let speaker = crate::speaker::Speaker::open();
            let started = Instant::now();
            let now_ms = || started.elapsed().as_millis() as u64;
            let mut backlog = Backlog::new();
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Ok(call) => backlog.push(call, now_ms()),
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
                while let Ok(call) = rx.try_recv() {
                    backlog.push(call, now_ms());
                }
                for (call, why) in backlog.take_dropped() {
                    tracing::info!(label = %call.label, counter = call.counter, ?why, "call shown, not said");
                }
                if speaker.queued() > 0 {
                    continue;
                }
                let Some(next) = backlog.next(now_ms()) else {
                    continue;
                };
                match render(&pack, &next.call, &langs, next.length) {
                    Ok(audio) => speaker.play(&audio),
                    Err(e) => {
                        tracing::warn!(error = %e, label = %next.call.label, "announcement not played")
                    }
                }
            }
        })
        .expect("spawn the voice thread");
    commands.insert_resource(Announcer(tx));
}

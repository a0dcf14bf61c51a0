//! Playing announcements: one rodio player, so announcements queue and never overlap.
//! Without a sound device the board says so once and keeps running (calls still show).

use crate::announce::Audio;
use rodio::buffer::SamplesBuffer;
use rodio::{DeviceSinkBuilder, MixerDeviceSink, Player};
use std::num::NonZero;

pub struct Speaker {
    /// Kept alive for as long as sound plays; `None` without a sound device.
    output: Option<(MixerDeviceSink, Player)>,
}

impl Speaker {
    pub fn open() -> Speaker {
        match DeviceSinkBuilder::open_default_sink() {
            Ok(mut sink) => {
                sink.log_on_drop(false);
                let player = Player::connect_new(sink.mixer());
                Speaker {
                    output: Some((sink, player)),
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "no sound device: calls are shown but not heard");
                Speaker { output: None }
            }
        }
    }

    pub fn has_device(&self) -> bool {
        self.output.is_some()
    }

    /// Queues an announcement after those still playing.
    pub fn play(&self, audio: &Audio) {
        let Some((_, player)) = &self.output else {
            return;
        };
        let (Some(channels), Some(rate)) = (NonZero::new(1u16), NonZero::new(audio.sample_rate))
        else {
            return;
        };
        let samples: Vec<f32> = audio
            .samples
            .iter()
            .map(|s| f32::from(*s) / 32768.0)
            .collect();
        player.append(SamplesBuffer::new(channels, rate, samples));
    }

    /// Announcements still queued or playing.
    pub fn queued(&self) -> usize {
        self.output.as_ref().map_or(0, |(_, p)| p.len())
    }
}

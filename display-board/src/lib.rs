//! The hall display board: what it shows (`board`), what it says (`announce`), the window
//! (`app`) and the sound (`speaker`).

pub mod announce;
pub mod app;
pub mod board;
pub mod speaker;

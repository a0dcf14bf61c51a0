//! The hall display board: what it shows (`board`), what it says (`announce`), the window
//! (`app`), the sound (`speaker`) and the config file with the board's token (`settings`).

pub mod announce;
pub mod app;
pub mod board;
pub mod settings;
pub mod speaker;

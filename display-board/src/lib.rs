//! The hall display board: what it shows (`board`), what it says (`announce`), the window
//! (`app`), what it says when calls come faster than it can speak (`backlog`, measured by
//! `busy_hour`), the sound (`speaker`) and the config file with the board's token (`settings`).

pub mod announce;
pub mod app;
pub mod backlog;
pub mod board;
pub mod busy_hour;
pub mod settings;
pub mod speaker;

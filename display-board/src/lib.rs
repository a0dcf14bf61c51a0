//! The hall display board. So far: voice announcements (`announce`), which the board app
//! (issue 3) plays through rodio; the window itself is not built yet.

pub mod announce;

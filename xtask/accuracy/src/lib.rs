//! The queue model's benchmarks (`cargo xtask accuracy`): `sim` (simulated days of the
//! sample center through the real engine) and `old` (the estimate the model replaced, kept
//! to be measured beside it), shared by the two programs: `estimate-accuracy` (`main.rs`)
//! and `forecast-recompute` (`recompute.rs`).

pub mod old;
pub mod sim;

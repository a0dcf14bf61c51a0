//! The simulated hall: given events, when a command, then events or a rejection.

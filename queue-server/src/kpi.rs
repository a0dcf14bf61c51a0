//! Key figures derived from the event log alone.

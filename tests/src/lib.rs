//! The web pages' browser tests live in tests/tests/ (the end-to-end tests of processes are in queue-server/tests/).

//! Waiting for what a test cannot be told about (a row a background task writes, a file a
//! browser downloads, a page element that changes): one helper with a deadline instead of a
//! loop written by hand in each test. It checks at once, then every `EVERY`, and fails naming
//! what did not happen. Where the code under test can say when something happened (a frame,
//! an event), wait for that instead.

use std::future::Future;
use std::time::{Duration, Instant};

/// How often a condition is checked again.
pub const EVERY: Duration = Duration::from_millis(50);

/// Waits until `ready` answers true, for at most `within`; panics with `what` if it never does.
pub async fn until<F, Fut>(within: Duration, what: &str, mut ready: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    some(within, what, || {
        let check = ready();
        async move { check.await.then_some(()) }
    })
    .await
}

/// Waits until `found` gives something, for at most `within`, and returns it; panics with
/// `what` if it never does.
pub async fn some<T, F, Fut>(within: Duration, what: &str, mut found: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(t) = found().await {
            return t;
        }
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        tokio::time::sleep(EVERY).await;
    }
}

/// Waits until `read` gives `want`, for at most `within`; panics with `what`, the last value
/// read and the one wanted if it never does.
pub async fn equals<T, F, Fut>(within: Duration, what: &str, want: T, mut read: F)
where
    T: PartialEq + std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = T>,
{
    let deadline = Instant::now() + within;
    loop {
        let got = read().await;
        if got == want {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {got:?}, not {want:?} within {within:?}"
        );
        tokio::time::sleep(EVERY).await;
    }
}

/// `until` for a test without a runtime.
pub fn until_blocking(within: Duration, what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !ready() {
        assert!(Instant::now() < deadline, "{what}: not within {within:?}");
        std::thread::sleep(EVERY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    #[should_panic(expected = "the count: 2, not 3")]
    async fn equals_fails_with_the_last_value_read() {
        equals(Duration::from_millis(200), "the count", 3, || async { 2 }).await;
    }

    #[tokio::test]
    async fn returns_as_soon_as_the_condition_holds_and_gives_what_was_found() {
        let checks = AtomicU32::new(0);
        let got = some(Duration::from_secs(5), "the third check", || {
            let n = checks.fetch_add(1, Ordering::SeqCst) + 1;
            async move { (n == 3).then_some(n * 10) }
        })
        .await;
        assert_eq!(got, 30);
        assert_eq!(checks.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    #[should_panic(expected = "a thing that never happens: not within")]
    async fn fails_naming_what_never_happened() {
        until(
            Duration::from_millis(120),
            "a thing that never happens",
            || async { false },
        )
        .await;
    }

    #[test]
    #[should_panic(expected = "nothing: not within")]
    fn blocking_fails_too() {
        until_blocking(Duration::from_millis(60), "nothing", || false);
    }
}

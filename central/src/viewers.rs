//! The console's accounts: national viewers (no governorate) and governorate viewers (see
//! only their governorate). Passwords are argon2 hashes (the `secrets` crate, as the centers hash staff's); session
//! tokens are random, stored as SHA-256 hashes, and last 12 hours.

use chrono::{DateTime, Utc};
use secrets::{check_nobody, hash_password, hash_token, new_password, new_token, verify_password};
use tokio_postgres::Client;

pub const SESSION_HOURS: i64 = 12;

#[derive(Clone, Debug, PartialEq)]
pub struct Viewer {
    pub username: String,
    pub display_name: String,
    /// `None`: a national viewer.
    pub governorate: Option<String>,
}

/// Creates (or resets) a viewer and returns the new password, shown once.
pub async fn add(
    db: &Client,
    username: &str,
    display_name: &str,
    governorate: Option<&str>,
) -> Result<String, tokio_postgres::Error> {
    let password = new_password();
    db.execute(
        "INSERT INTO viewers (username, display_name, governorate, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO UPDATE SET display_name = $2, governorate = $3, password_hash = $4",
        &[&username, &display_name, &governorate, &hash_password(&password)],
    )
    .await?;
    db.execute(
        "DELETE FROM viewer_sessions WHERE username = $1",
        &[&username],
    )
    .await?;
    Ok(password)
}

/// A new session for the right password; `None` for a wrong one or an unknown name.
pub async fn login(
    db: &Client,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, Viewer)>, tokio_postgres::Error> {
    let Some(row) = db
        .query_opt(
            "SELECT username, display_name, governorate, password_hash FROM viewers WHERE username = $1",
            &[&username],
        )
        .await?
    else {
        // The same effort as a wrong password, so timing does not reveal names.
        check_nobody(password);
        return Ok(None);
    };
    let hash: String = row.get(3);
    if !verify_password(password, &hash) {
        return Ok(None);
    }
    let token = new_token();
    db.execute(
        "INSERT INTO viewer_sessions (token_hash, username, expires_at) VALUES ($1, $2, $3)",
        &[
            &hash_token(&token),
            &username,
            &(now + chrono::Duration::hours(SESSION_HOURS)),
        ],
    )
    .await?;
    Ok(Some((
        token,
        Viewer {
            username: row.get(0),
            display_name: row.get(1),
            governorate: row.get(2),
        },
    )))
}

pub async fn session(
    db: &Client,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Viewer>, tokio_postgres::Error> {
    let row = db
        .query_opt(
            "SELECT v.username, v.display_name, v.governorate FROM viewer_sessions s
             JOIN viewers v USING (username) WHERE s.token_hash = $1 AND s.expires_at > $2",
            &[&hash_token(token), &now],
        )
        .await?;
    Ok(row.map(|r| Viewer {
        username: r.get(0),
        display_name: r.get(1),
        governorate: r.get(2),
    }))
}

pub async fn logout(db: &Client, token: &str) -> Result<(), tokio_postgres::Error> {
    db.execute(
        "DELETE FROM viewer_sessions WHERE token_hash = $1",
        &[&hash_token(token)],
    )
    .await?;
    Ok(())
}

//! The record of consent (`nb_consents`): append-only, so the history of what a subscriber
//! agreed to, withdrew and changed, when and where, is the record itself.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_db::{new_id, Tx};

use crate::model::ConsentKind;

/// The version of the consent text the public form shows (the newest).
pub async fn current_text<'e, E: Executor<'e, Database = Any>>(
    executor: E,
) -> Result<(i64, String), sqlx::Error> {
    let row =
        sqlx::query("SELECT version, text FROM nb_consent_texts ORDER BY version DESC LIMIT 1")
            .fetch_one(executor)
            .await?;
    Ok((row.get("version"), row.get("text")))
}

/// A consent record to write.
#[derive(Debug, Clone)]
pub struct NewConsent<'a> {
    pub subscriber_id: &'a str,
    pub kind: ConsentKind,
    pub given: bool,
    pub at: i64,
    pub source: &'a str,
    pub text_version: Option<i64>,
    /// The slugs of the lists the record is about.
    pub lists: &'a [String],
    /// Only when an administrator turned recording addresses on (never by default).
    pub ip: Option<&'a str>,
}

pub async fn record(tx: &mut Tx<'_>, consent: &NewConsent<'_>) -> Result<(), sqlx::Error> {
    record_with_basis(tx, consent, None).await
}

/// [`record`] with the legal basis an import states ("toestemming: …; bron: …").
pub async fn record_with_basis(
    tx: &mut Tx<'_>,
    consent: &NewConsent<'_>,
    legal_basis: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO nb_consents (id, subscriber_id, kind, given, at, source,
                                  consent_text_version, lists, ip, legal_basis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new_id())
    .bind(consent.subscriber_id)
    .bind(consent.kind.as_str())
    .bind(steden_db::flag::to_db(consent.given))
    .bind(consent.at)
    .bind(consent.source)
    .bind(consent.text_version)
    .bind(serde_json::to_string(consent.lists).unwrap_or_else(|_| "[]".into()))
    .bind(consent.ip)
    .bind(legal_basis)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One record as read back (the own-data download, the administrators' page).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Consent {
    pub kind: String,
    pub given: bool,
    pub at: i64,
    pub source: String,
    pub consent_text_version: Option<i64>,
    pub lists: Vec<String>,
    pub legal_basis: Option<String>,
    pub ip: Option<String>,
}

fn from_row(row: &AnyRow) -> Consent {
    let lists: String = row.get("lists");
    Consent {
        kind: row.get("kind"),
        given: steden_db::flag::from_db(row.get("given")),
        at: row.get("at"),
        source: row.get("source"),
        consent_text_version: row.get("consent_text_version"),
        lists: serde_json::from_str(&lists).unwrap_or_default(),
        legal_basis: row.get("legal_basis"),
        ip: row.get("ip"),
    }
}

/// A subscriber's records, oldest first.
pub async fn list_for<'e, E: Executor<'e, Database = Any>>(
    executor: E,
    subscriber_id: &str,
) -> Result<Vec<Consent>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT kind, CAST(given AS BIGINT) AS given, at, source, consent_text_version, lists,
                legal_basis, ip
         FROM nb_consents WHERE subscriber_id = $1 ORDER BY at, id",
    )
    .bind(subscriber_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

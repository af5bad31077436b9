//! Receiving one message: parse it, apply its reports in one transaction, and say in Dutch
//! what was done.

use steden_core::error::CoreResult;
use steden_db::Db;

use super::{parse, ParseError};
use crate::store::bounces::{self as store, Applied, Source};

/// The setting that holds after how many soft bounces an address counts as bounced.
pub const SOFT_BOUNCE_LIMIT_SETTING: &str = "nieuwsbrief.soft_bounce_limit";
/// The limit when the setting is absent or not a positive number.
pub const DEFAULT_SOFT_BOUNCE_LIMIT: i64 = 3;

/// The soft bounce limit: the setting, else [`DEFAULT_SOFT_BOUNCE_LIMIT`].
pub async fn soft_bounce_limit(db: &Db) -> CoreResult<i64> {
    let value = steden_core::settings::get(db, SOFT_BOUNCE_LIMIT_SETTING).await?;
    Ok(value
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_SOFT_BOUNCE_LIMIT))
}

/// Parses `raw` and applies its reports in one transaction: all of the message or nothing.
/// `Err(ParseError)` inside `Ok` when the message cannot be read (nothing is written).
pub async fn receive(
    db: &Db,
    raw: &[u8],
    source: Source,
) -> CoreResult<Result<Vec<Applied>, ParseError>> {
    let reports = match parse(raw) {
        Ok(reports) => reports,
        Err(err) => return Ok(Err(err)),
    };
    let limit = soft_bounce_limit(db).await?;
    let now = steden_db::now_ms();
    let mut tx = db.begin().await?;
    let mut applied = Vec::with_capacity(reports.len());
    for report in &reports {
        applied.push(store::apply(&mut tx, report, source, limit, now).await?);
    }
    tx.commit().await?;
    Ok(Ok(applied))
}

/// One line in Dutch about what a report did (for `steden nieuwsbrief bounce`).
pub fn describe(applied: &Applied) -> String {
    let kind = match applied.kind {
        "hard" => "Harde bounce",
        "soft" => "Zachte bounce",
        _ => "Klacht",
    };
    let code = applied
        .status_code
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let who = applied.recipient.as_deref().unwrap_or("onbekend adres");
    if !applied.new {
        return format!("{kind}{code} voor {who}: al eerder ontvangen, niets gewijzigd.");
    }
    match (&applied.status, applied.soft_bounces) {
        (Some(status), Some(soft)) => format!(
            "{kind}{code} voor {who}: geregistreerd; de abonnee staat nu op '{status}' ({soft} zachte bounces)."
        ),
        _ => format!("{kind}{code} voor {who}: geregistreerd; geen abonnee met dit adres."),
    }
}

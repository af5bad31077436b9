//! The generated subscribers of the sending benchmark (`bench/nieuwsbrief.sh`, design §4.3):
//! confirmed, on one list, written many rows per statement so that seeding 100,000 takes
//! seconds. Clearly fake (`lezer…@example.org`); never used by the server itself.

use steden_core::error::CoreResult;
use steden_db::{new_id, now_ms, Tx};

use crate::model::{SubscriberStatus, SubscriptionStatus};

/// Rows per INSERT: 7 parameters each stays far under SQLite's 32,766 and PostgreSQL's 65,535.
pub const ROWS_PER_STATEMENT: usize = 500;

/// Inserts the confirmed subscribers `lezer{from}` … `lezer{from + count - 1}` at example.org,
/// each with an active subscription on the list `list_id`.
pub async fn insert_confirmed(
    tx: &mut Tx<'_>,
    from: usize,
    count: usize,
    list_id: &str,
) -> CoreResult<()> {
    let now = now_ms();
    let mut next = from;
    let end = from + count;
    while next < end {
        let rows = ROWS_PER_STATEMENT.min(end - next);
        let ids: Vec<String> = (0..rows).map(|_| new_id()).collect();
        let subscribers = (0..rows)
            .map(|i| {
                let p = i * 5;
                format!(
                    "(${}, ${}, ${}, 'nl', ${}, 0, ${p5}, ${p5}, ${p5})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p5 = p + 5
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO nb_subscribers (id, email, name, language, status, tracking, confirmed_at,
                                         created_at, updated_at) VALUES {subscribers}"
        );
        let mut query = sqlx::query(&sql);
        for (i, id) in ids.iter().enumerate() {
            let n = next + i;
            query = query
                .bind(id)
                .bind(format!("lezer{n:06}@example.org"))
                .bind(format!("Lezer {n}"))
                .bind(SubscriberStatus::Bevestigd.as_str())
                .bind(now);
        }
        query.execute(&mut **tx).await?;
        let subscriptions = (0..rows)
            .map(|i| format!("(${}, $1, $2, $3, $3)", i + 4))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO nb_subscriptions (subscriber_id, list_id, status, created_at, updated_at)
             VALUES {subscriptions}"
        );
        let mut query = sqlx::query(&sql)
            .bind(list_id)
            .bind(SubscriptionStatus::Actief.as_str())
            .bind(now);
        for id in &ids {
            query = query.bind(id);
        }
        query.execute(&mut **tx).await?;
        next += rows;
    }
    Ok(())
}

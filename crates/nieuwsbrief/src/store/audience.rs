//! Who a campaign would reach: the confirmed subscribers with an active subscription on at
//! least one of its lists (each counted once). Scheduling refuses a campaign that reaches
//! nobody (design §3.3).

use sqlx::AnyConnection;
use steden_core::error::CoreResult;

use crate::model::{SubscriberStatus, SubscriptionStatus};

/// The number of distinct confirmed subscribers with an active subscription on any of the
/// lists `slugs`; 0 for no lists.
pub async fn count_recipients(conn: &mut AnyConnection, slugs: &[String]) -> CoreResult<i64> {
    if slugs.is_empty() {
        return Ok(0);
    }
    let placeholders: Vec<String> = (0..slugs.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT COUNT(DISTINCT s.id) FROM nb_subscribers s
         JOIN nb_subscriptions sub ON sub.subscriber_id = s.id
         JOIN nb_lists l ON l.id = sub.list_id
         WHERE s.status = $1 AND sub.status = $2 AND l.slug IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_scalar::<_, i64>(&sql)
        .bind(SubscriberStatus::Bevestigd.as_str())
        .bind(SubscriptionStatus::Actief.as_str());
    for slug in slugs {
        query = query.bind(slug);
    }
    Ok(query.fetch_one(&mut *conn).await?)
}

//! The daily `werkgroepen.retention` job (design §3.5, §3.8): every event whose retention ran
//! out is anonymised in its own transaction ([`crate::store::retention`]), so one damaged
//! event does not hold back the others and a retry redoes only what is left.

use steden_core::audit::AuditActor;
use steden_core::error::CoreResult;
use steden_core::settings;
use steden_db::Db;

use crate::store::retention;

/// The months kept by default: the setting [`retention::SETTING`], else 12.
pub async fn default_months(db: &Db) -> CoreResult<u32> {
    let value = settings::get(db, retention::SETTING).await?;
    Ok(retention::parse_months(value.as_deref()))
}

/// Anonymises every event due at `now`; returns how many this run anonymised.
pub async fn run(db: &Db, now: i64) -> CoreResult<usize> {
    let months = default_months(db).await?;
    let due = retention::due_events(db.pool(), now, months).await?;
    let actor = AuditActor::system();
    let mut done = 0;
    for event_id in due {
        let mut tx = db.begin().await?;
        if retention::anonymise_event(&mut tx, &event_id, now, &actor)
            .await?
            .is_some()
        {
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

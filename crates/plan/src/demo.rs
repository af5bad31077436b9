//! Demo content for `steden serve --demo`. (Being written.)

use steden_web::DemoUser;

pub async fn seed(db: &steden_db::Db, users: &[DemoUser]) -> anyhow::Result<()> {
    let _ = (db, users);
    Ok(())
}

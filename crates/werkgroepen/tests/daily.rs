//! The daily work (design §3.5): series are kept planned a year ahead without touching what a
//! facilitator changed, and a daily task is queued once per day however many servers tick.

use chrono::{Days, NaiveDate};
use steden_werkgroepen::cadence::{Rule, WeekOfMonth};
use steden_werkgroepen::daily::{self, EXTEND_SERIES_JOB};
use steden_werkgroepen::model::Cadence;
use steden_werkgroepen::reader;
use steden_werkgroepen::store::meetings;
use steden_werkgroepen::store::series::{self, SeriesDetails, SeriesRequest};
use steden_werkgroepen::store::{groups, series_extend};

use crate::common::{count, create_group, each_wg_db, World};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The first Tuesday of every month, 10:00–12:00, from 2055, ending at `until`.
fn first_tuesday(until: Option<NaiveDate>) -> Rule {
    Rule {
        cadence: Cadence::Maandelijks,
        anchor: date(2055, 1, 1),
        weekday: 2,
        week_of_month: WeekOfMonth(1),
        months: Vec::new(),
        start: "10:00".into(),
        end: "12:00".into(),
        until,
        skip_holidays: false,
    }
}

/// A series of the rule planned for the first quarter of 2055; returns its id.
async fn series_q1(w: &World, rule: &Rule) -> String {
    let group_id = create_group(w, "reeksgroep", "Reeksgroep", "verborgen").await;
    let mut conn = w.db.pool().acquire().await.unwrap();
    let profile = groups::find(&mut conn, &group_id).await.unwrap().unwrap();
    drop(conn);
    let staff = crate::common::staff_actor(w);
    let (standing, _) = reader::standing(&w.db, &staff, &profile).await.unwrap();
    let mut tx = w.db.begin().await.unwrap();
    let generated = series::create(
        &mut tx,
        &standing,
        &group_id,
        SeriesRequest {
            rule,
            from: date(2055, 1, 1),
            to: date(2055, 3, 31),
            details: &SeriesDetails {
                title: "Maandoverleg".into(),
                place: "Gent".into(),
                online_url: String::new(),
            },
        },
        &w.staff.audit(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    generated.series_id
}

async fn extend(w: &World, series_id: &str, today: NaiveDate) -> usize {
    let mut tx = w.db.begin().await.unwrap();
    let made = series_extend::extend(&mut tx, series_id, today)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    made
}

async fn slot_dates(w: &World, series_id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT slot_date FROM wg_meetings WHERE series_id = $1 ORDER BY slot_date")
        .bind(series_id)
        .fetch_all(w.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_series_is_kept_planned_a_year_ahead_and_only_once() {
    each_wg_db(|w| async move {
        let rule = first_tuesday(None);
        let series_id = series_q1(&w, &rule).await;
        assert_eq!(slot_dates(&w, &series_id).await.len(), 3);

        let today = date(2055, 2, 10);
        let made = extend(&w, &series_id, today).await;
        let horizon = today + Days::new(series_extend::HORIZON_DAYS);
        let expected: Vec<String> = rule
            .expand(date(2055, 1, 1), horizon)
            .unwrap()
            .iter()
            .map(|o| o.slot_date.to_string())
            .collect();
        assert_eq!(made, expected.len() - 3);
        assert_eq!(slot_dates(&w, &series_id).await, expected);
        // The new meetings take the series' title, place and times.
        let row: (String, String, String) = sqlx::query_as(
            "SELECT title, place, local_start FROM wg_meetings WHERE series_id = $1
             ORDER BY slot_date DESC LIMIT 1",
        )
        .bind(&series_id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(row, ("Maandoverleg".into(), "Gent".into(), "10:00".into()));
        // The same day again makes nothing.
        assert_eq!(extend(&w, &series_id, today).await, 0);
        assert_eq!(slot_dates(&w, &series_id).await, expected);
        // A month later: the one further date.
        let later = date(2055, 3, 10);
        let further = rule
            .expand(
                horizon + Days::new(1),
                later + Days::new(series_extend::HORIZON_DAYS),
            )
            .unwrap()
            .len();
        assert_eq!(further, 1);
        assert_eq!(extend(&w, &series_id, later).await, further);
    })
    .await;
}

#[tokio::test]
async fn a_series_with_an_end_stops_there_and_a_moved_meeting_stays() {
    each_wg_db(|w| async move {
        let rule = first_tuesday(Some(date(2055, 6, 30)));
        let series_id = series_q1(&w, &rule).await;
        // The facilitator moves the March meeting.
        let march: (String, String) = sqlx::query_as(
            "SELECT id, group_id FROM wg_meetings WHERE series_id = $1 AND slot_date = '2055-03-02'",
        )
        .bind(&series_id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        sqlx::query("UPDATE wg_meetings SET moved = 1, local_date = '2055-03-04' WHERE id = $1")
            .bind(&march.0)
            .execute(w.db.pool())
            .await
            .unwrap();
        assert_eq!(extend(&w, &series_id, date(2055, 2, 10)).await, 3);
        assert_eq!(
            slot_dates(&w, &series_id).await,
            ["2055-01-05", "2055-02-02", "2055-03-02", "2055-04-06", "2055-05-04", "2055-06-01"]
        );
        let moved = meetings::find(w.db.pool(), &march.1, &march.0)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(moved.local_date, "2055-03-04");
        assert!(moved.moved);
    })
    .await;
}

#[tokio::test]
async fn a_daily_task_is_queued_once_a_day_however_many_servers_tick() {
    each_wg_db(|w| async move {
        let sql = format!("SELECT COUNT(*) FROM jobs WHERE kind = '{EXTEND_SERIES_JOB}'");
        let now = 1_000_000_000_000;
        let tasks = daily::TASKS.len();
        assert_eq!(daily::enqueue_due(&w.db, now).await.unwrap(), tasks);
        assert_eq!(daily::enqueue_due(&w.db, now + 60_000).await.unwrap(), 0);
        assert_eq!(count(&w.db, &sql).await, 1);
        // A day later eight servers tick at the same moment: one of them queues it.
        let day = 24 * 60 * 60 * 1000;
        let ticks = (0..8).map(|_| daily::enqueue_due(&w.db, now + day));
        let queued: usize = futures::future::join_all(ticks)
            .await
            .into_iter()
            .map(|result| result.unwrap())
            .sum();
        assert_eq!(queued, tasks);
        assert_eq!(count(&w.db, &sql).await, 2);
    })
    .await;
}

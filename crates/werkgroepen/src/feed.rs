//! A person's calendar feed (design §3.7): every meeting of their groups as one `METHOD:PUBLISH`
//! calendar that Outlook and Google Calendar subscribe to. No attendees (privacy); cancelled
//! meetings stay in with `STATUS:CANCELLED`, so subscribed calendars drop them.

use std::collections::HashMap;

use steden_core::error::CoreResult;
use steden_db::{now_ms, Db};

use crate::ical::{self, Calendar, Method};
use crate::invitations::{self, Origin};
use crate::store::groups::{self, Profile};
use crate::store::meetings::{self, Meeting};

/// The feed's meetings and what its validator is made of.
pub struct Feed {
    pub meetings: Vec<Meeting>,
    pub profiles: HashMap<String, Profile>,
}

impl Feed {
    /// The ETag: changes whenever a meeting or a group in the feed changes, or the set of
    /// meetings does (a person joining or leaving a group); cheap, so a 304 costs no rendering.
    pub fn etag(&self) -> String {
        let meetings = self
            .meetings
            .iter()
            .map(|m| m.updated_at)
            .max()
            .unwrap_or(0);
        let groups = self
            .profiles
            .values()
            .map(|p| p.updated_at)
            .max()
            .unwrap_or(0);
        let first = self.meetings.first().map_or("", |m| m.id.as_str());
        let last = self.meetings.last().map_or("", |m| m.id.as_str());
        let digest = crate::store::feed_tokens::hash(&format!(
            "{}|{meetings}|{groups}|{first}|{last}",
            self.meetings.len()
        ));
        format!("\"{}\"", &digest[..24])
    }
}

/// Loads the feed of `user_id`.
pub async fn load(db: &Db, user_id: &str) -> CoreResult<Feed> {
    let meetings = meetings::of_person(db.pool(), user_id).await?;
    let mut profiles = HashMap::new();
    let mut conn = db.pool().acquire().await?;
    for meeting in &meetings {
        if !profiles.contains_key(&meeting.group_id) {
            if let Some(profile) = groups::find(&mut conn, &meeting.group_id).await? {
                profiles.insert(meeting.group_id.clone(), profile);
            }
        }
    }
    Ok(Feed { meetings, profiles })
}

/// The feed as an iCalendar object.
pub fn render(feed: &Feed, origin: &Origin, name: &str) -> String {
    let events = feed
        .meetings
        .iter()
        .filter_map(|meeting| {
            let profile = feed.profiles.get(&meeting.group_id)?;
            Some(invitations::event(meeting, profile, origin, None))
        })
        .collect();
    ical::write(&Calendar {
        method: Method::Publish,
        feed_name: Some(name.to_string()),
        stamp: now_ms(),
        events,
    })
}

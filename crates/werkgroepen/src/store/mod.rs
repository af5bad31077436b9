//! Every SQL statement of the module, one file per entity (docs/MODULE_TEMPLATE.md). Reads take
//! any executor; writes take a transaction and record their audit entry in it.

pub mod action_points;
pub mod adoption;
pub mod agenda;
pub mod agenda_files;
pub mod agenda_mail;
pub mod agenda_state;
pub mod attendance;
pub mod evaluations;
pub(crate) mod event_backdate;
pub mod event_changes;
pub mod events;
pub mod facilitators;
pub mod feed_tokens;
pub mod groups;
pub mod held;
pub mod invariant;
pub mod items;
pub mod joining;
pub mod mail_log;
pub mod meeting_record;
pub mod meetings;
pub mod memberships;
pub mod minutes;
pub mod personal_data;
pub mod plan_link;
pub mod profile;
pub mod registrations;
pub mod replies;
pub mod retention;
pub mod schedule;
pub mod series;
pub mod series_extend;
pub mod themes;
// views across groups (S13)
pub mod mine;
pub mod overview;
pub mod reminders;
pub mod series_mail;
pub mod unanswered;
// agenda and minutes writes in the API, agenda templates, the retention page (issue 13 points 3, 4, 7, 8)
pub mod agenda_order;
pub mod agenda_templates;
pub mod retention_setting;
// the "my data" link of registrants without an account (issue 13 point 8)
pub mod registrant_data;

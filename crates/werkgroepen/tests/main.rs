//! The werkgroepen module's tests, in one test binary: each file below is a module, so that the
//! shell, the plan, kennisbank and werkgroepen modules and steden-testkit are linked once.
//! `common` holds the module's fixtures; the server harness and people with roles come from
//! steden_testkit.

mod common;

mod adoption;
mod agenda;
mod agenda_pages;
mod api;
mod cadence_dateutil;
mod daily;
mod demo;
mod evaluation_required;
mod event_changes;
mod event_followup;
mod events;
mod feed;
mod group_pages;
mod groups;
mod ical_oracle;
mod invitations;
mod items;
mod meeting_pages;
mod meetings;
mod minutes;
mod minutes_pages;
mod pages;
mod permissions;
mod plan_link;
mod privacy;
mod registrant_data;
mod registrations;
mod reminders;
mod replies;
mod reply_tasks;
mod retention;
mod series_mail;
mod translations;
mod views;
// agenda and minutes writes in the API, the staff pages for templates and retention
mod admin_pages;
mod api_writes;

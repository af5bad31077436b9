//! Bounces and complaints (design §3.4): delivery status notifications (RFC 3464) and abuse
//! reports (ARF, RFC 5965) read from a raw message, whichever way it came in (the webhook
//! `POST /api/v1/nieuwsbrief/bounces`, the command `steden nieuwsbrief bounce`, and a mailbox read over IMAP by [`imap`]).
//!
//! - [`parse`] turns one message into its [`Report`]s (one per recipient of a DSN, one per
//!   complaint); it never panics and refuses what it cannot read with a Dutch reason;
//! - [`apply`] records them (`nb_bounces`) and changes the subscribers they name
//!   ([`crate::store::bounces`]).

mod fields;
pub mod imap;
mod parse;
mod receive;

pub use parse::{parse, ParseError, Report, MAX_MESSAGE_BYTES};
pub use receive::{
    describe, receive, soft_bounce_limit, DEFAULT_SOFT_BOUNCE_LIMIT, SOFT_BOUNCE_LIMIT_SETTING,
};

/// What kind of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BounceKind {
    /// A permanent failure (`Action: failed`, `Status: 5.x.x`).
    Hard,
    /// A temporary one (`Status: 4.x.x` or `Action: delayed`).
    Soft,
    /// The recipient marked the mail as spam (ARF).
    Complaint,
}

impl BounceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BounceKind::Hard => "hard",
            BounceKind::Soft => "soft",
            BounceKind::Complaint => "complaint",
        }
    }
}

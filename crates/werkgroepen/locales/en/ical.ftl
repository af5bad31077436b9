# Invitations by mail, the personal calendar feed and replies (src/invitations.rs, web/feed.rs, web/replies.rs).

wg-mail-invite-subject = Invitation: { $title }, { $date }
wg-mail-update-subject = Changed: { $title }, { $date }
wg-mail-cancel-subject = Cancelled: { $title }, { $date }
wg-mail-invite-text = Dear { $name },

    { $group } meets on { $when }.
    { $where }

    The meeting on the platform: { $url }
    Let us know whether you come: { $reply }

    The invitation is attached to this mail as a calendar item.

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-mail-update-text = Dear { $name },

    The meeting of { $group } has changed. It now takes place on { $when }.
    { $where }

    The meeting on the platform: { $url }
    Let us know whether you come: { $reply }

    The updated calendar item is attached to this mail.

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-mail-cancel-text = Dear { $name },

    The meeting of { $group } on { $when } will not take place.
    { $reason }

    Your calendar can remove the meeting with the item attached to this mail.

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-mail-where = Place: { $place }
wg-mail-online = Online: { $url }
wg-mail-reason = Reason: { $reason }
wg-ical-summary = { $group }: meeting
wg-ical-description-page = Meeting on the platform: { $url }
wg-ical-description-online = Join online: { $url }
wg-feed-title = Calendar subscription to your working groups
wg-feed-calname = Working groups (Stedenplatform)
wg-feed-intro = With a calendar subscription every meeting of your working groups appears in Outlook, Google Calendar or your phone, and stays up to date when a meeting moves or is cancelled.
wg-feed-url-heading = Your personal link
wg-feed-url-once = Copy this link now and add it to your calendar as a subscription ("add calendar from internet" or "from URL"). We show it only once; whoever has it sees your meetings.
wg-feed-url-label = Link of your calendar subscription
wg-feed-live-since = You have a calendar subscription since { $date }.
wg-feed-none = You have no calendar subscription yet.
wg-feed-create = Create a calendar subscription
wg-feed-renew = Make a new link
wg-feed-renew-hint = A new link makes the old one invalid; replace it in your calendar too.
wg-feed-revoke = Revoke the subscription
wg-feed-revoked = Your calendar subscription has been revoked. The old link no longer works.
wg-feed-refresh-note = Calendars fetch a subscription again on their own: Outlook usually within a few hours, Google Calendar sometimes only after half a day. A change is not in your calendar at once; the invitation by mail is.
wg-reply-title = Attendance: { $title } on { $date }
wg-reply-link-title = Your answer to the invitation: { $title } on { $date }
wg-reply-current = Your answer
wg-reply-none = Not answered yet
wg-reply-question = Are you coming?
wg-reply-saved = Your answer has been saved.
wg-reply-all = Answers
wg-reply-closed-cancelled = This meeting has been cancelled; you no longer need to answer.
wg-reply-closed-held = This meeting has already taken place.
wg-reply-link = Let us know whether you come
wg-link-help = Log in on the platform to give your answer, or ask the group's facilitator for a new invitation.
wg-feed-link = All meetings of your working groups in your own calendar
wg-mail-remind-proposals-subject = Reminder: agenda items for { $title }, { $date }
wg-mail-remind-proposals-text = Dear { $name },

    For the meeting of { $group } on { $date } you can still propose agenda items until { $deadline }.

    Propose an agenda item: { $url }

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-mail-remind-meeting-subject = Reminder: { $title }, { $date }
wg-mail-remind-meeting-text = Dear { $name },

    { $group } meets on { $when }. We do not know yet whether you will come.

    The meeting on the platform: { $url }
    Let us know whether you will come: { $reply }

    Kind regards
    Kenniscentrum Vlaamse Steden

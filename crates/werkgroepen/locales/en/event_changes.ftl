# Editing or cancelling an event, an event series' page (issue 13 points 5 and 7).
wgev-edit-link = Edit event
wgev-edit-title = Edit { $event }
wgev-edit-slug-fixed = (the short name stays the same: links in mails already sent point to it)
wgev-edit-saved = The event has been saved. Mailed about the change of date, time or place: { $notified }. Moved up from the waiting list: { $moved }.
wgev-field-retention = Retention of the participants' data, in months (optional)
wgev-field-retention-hint = A number from 1 to 120. Leave empty for the default of { $months } months.
wgev-cancel-link = Cancel event
wgev-cancel-title = Cancel { $event }
wgev-cancel-warning = A cancellation cannot be undone.
wgev-cancel-explain = The event of { $when } is cancelled and registration closes. Registered people and those on the waiting list ({ $registered }) each get one mail with the reason below.
wgev-cancel-reason = Reason for the cancellation
wgev-cancel-reason-hint = This text is in the mail to the participants.
wgev-cancel-confirm = Yes, cancel the event
wgev-cancel-back = No, back to the event
wgev-cancel-done = The event has been cancelled. Registered people who get a mail: { $mailed }.
wgev-cancelled-notice = This event has been cancelled.
wgev-status-gepland = Planned
wgev-status-gehouden = Held
wgev-status-geannuleerd = Cancelled
wgev-series-title = Series: { $series }
wgev-series-list-title = Series
wgev-series-events = Events of the series
wgev-series-empty = This series has no events yet.
wgev-series-col-event = Event
wgev-series-col-status = Status
wgev-series-col-registrations = Registrations
wgev-series-col-attended = Attended
wgev-series-total = Total
wg-event-mail-wijziging-subject = Changed: { $event }
wg-event-mail-wijziging-text = Dear { $name },

    { $event } has changed. These are the new details:
    { $when } ({ $place }).

    Your registration stands. Can you no longer come? Cancel through this link, so someone on the waiting list gets your place:
    { $link }

    Kind regards
    Kenniscentrum Vlaamse Steden
wg-event-mail-afgelast-subject = Cancelled: { $event }
wg-event-mail-afgelast-text = Dear { $name },

    { $event } on { $when } will not take place: the event has been cancelled.

    Reason: { $reason }

    You need not do anything. More information: { $page }

    Kind regards
    Kenniscentrum Vlaamse Steden

# admin
admin-title = Administration

## Audit trail (/beheer/audit) and the history block of entity pages
audit-title = Audit trail
audit-intro = Who changed what, when and in which organisation. The audit trail is only ever appended to, never changed.
audit-filters = Audit trail filters
audit-filter-type = Kind of record
audit-filter-organisation = Organisation
audit-filter-all = All
audit-filter-from = From (date)
audit-filter-until = Up to and including (date)
audit-date-hint = For example 28/11/2026.
audit-date-invalid = This is not a valid date. Write the date as dd/mm/yyyy, for example 28/11/2026.
audit-filter-apply = Filter
audit-filter-reset = Clear filters
audit-count = Number of entries: { $count }
audit-export-csv = Export as CSV
audit-none = There are no entries for this selection.
audit-col-when = When
audit-col-who = Who
audit-col-organisation = Organisation
audit-col-entity = Record
audit-col-what = What
audit-actor-system = System
audit-via-token = via API token
audit-no-organisation = none
history-title = History
history-empty = No changes have been recorded yet.
history-no-value = (empty)
history-becomes = becomes
audit-nav = Audit trail

## Beheer (/beheer): the start page of administration
admin-intro = From here you manage organisations, users, jobs and the audit trail, as far as your role allows.
admin-link-organisations = Organisations and members
admin-link-organisations-text = View organisations, invite members, assign roles and manage API tokens.
admin-link-users = Users
admin-link-users-text = Every account on the platform (platform administrators only).
admin-link-jobs = Jobs
admin-link-jobs-text = The queue of background jobs, such as sending e-mail.
admin-link-styleguide = Style guide
admin-link-styleguide-text = The design system: colours with their contrast, type, spacing and every component in its states.
admin-link-audit = Audit trail
admin-link-audit-text = Who changed what and when; also available as CSV.

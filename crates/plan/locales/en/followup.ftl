## followup: reporting rounds, issues, projects and timeline

plan-fu-mail-open-subject = Reporting round { $round }: { $plan }
plan-fu-mail-open-text = Dear { $name },

    The reporting round { $round } of { $plan } is open. Please report progress by { $deadline } on these items:

    { $items }

    Kind regards
plan-fu-mail-remind-subject = Reminder: reporting round { $round }: { $plan }
plan-fu-mail-remind-text = Dear { $name },

    The reporting round { $round } of { $plan } ends on { $deadline }. These items have no progress report yet:

    { $items }

    Kind regards

## Reporting rounds
plan-fu-rounds-title = Reporting rounds
plan-fu-rounds-intro = In a reporting round you ask every owner to report the progress of their items by a deadline. Owners get an e-mail when the round opens and a reminder a few days before the deadline.
plan-fu-rounds-none = This plan has no reporting round yet.
plan-fu-col-round = Round
plan-fu-col-deadline = Deadline
plan-fu-col-reported = Reported
plan-fu-col-status = Status
plan-fu-col-opened = Opened on
plan-fu-col-reminded = Reminder sent
plan-fu-col-owner = Owner
plan-fu-col-items = Items
plan-fu-col-open-items = Still to report
plan-fu-reported-of = { $reported } of { $total }
plan-fu-late = Late
plan-fu-done = All reported
plan-fu-waiting = Not all reported yet
plan-fu-none-open = None
plan-fu-not-yet = Not yet
plan-fu-round-status-open = Open
plan-fu-round-status-gesloten = Closed
plan-fu-round-new = Open a round
plan-fu-field-round-name = Name of the round
plan-fu-field-round-name-hint = For example Q2 2025.
plan-fu-field-deadline = Deadline
plan-fu-field-reminder-days = Reminder, days before the deadline
plan-fu-field-reminder-days-hint = Owners who have not reported everything then get a reminder.
plan-fu-round-open = Open the round and notify owners
plan-fu-round-opened = The round { $name } is open; the owners get an e-mail.
plan-fu-round-close = Close the round
plan-fu-round-closed = The round is closed.
plan-fu-deadline-past = The deadline has passed. Owners who have not reported everything are late.
plan-fu-owners-title = Per owner
plan-fu-owners-none = No item of this plan has an owner with an account.
plan-fu-back-rounds = Back to the reporting rounds

## Issues
plan-fu-kwesties-title = Issues and risks
plan-fu-kwesties-none = This plan has no issues or risks yet.
plan-fu-kwesties-none-filtered = No issues or risks match this filter.
plan-fu-kwesties-none-item = This item has no issues or risks.
plan-fu-filter-label = Filter issues
plan-fu-filter-all = All
plan-fu-filter-submit = Filter
plan-fu-filter-clear = Clear filter
plan-fu-col-item = Item
plan-fu-col-plan = Plan
plan-fu-field-kind = Kind
plan-fu-field-title = Title
plan-fu-field-description = Description
plan-fu-field-severity = Severity
plan-fu-field-due = Due date
plan-fu-owner-none = Nobody
plan-fu-kwestie-new = Add an issue or risk
plan-fu-kwestie-edit = Change an issue or risk
plan-fu-kwestie-created = { $title } has been added.
plan-fu-kwestie-saved = { $title } has been saved.
plan-fu-save = Save
plan-fu-back-item = Back to the item
plan-fu-mine-title = My issues
plan-fu-mine-none = You own no issues or risks.
plan-fu-kind-kwestie = Issue
plan-fu-kind-risico = Risk
plan-fu-severity-laag = Low
plan-fu-severity-middel = Medium
plan-fu-severity-hoog = High
plan-fu-severity-kritiek = Critical
plan-fu-kstatus-open = Open
plan-fu-kstatus-in_behandeling = In progress
plan-fu-kstatus-opgelost = Resolved

## Projects, milestones and timeline
plan-fu-projects-title = Projects and milestones
plan-fu-projects-none = This item has no projects yet.
plan-fu-project-new = Add a project
plan-fu-project-edit = Change the project
plan-fu-project-created = The project { $title } has been added; now add its milestones.
plan-fu-project-saved = The project { $title } has been saved.
plan-fu-project-deleted = The project { $title } has been deleted.
plan-fu-project-delete = Delete the project
plan-fu-project-delete-warning = The project and all its milestones will be deleted. This cannot be undone.
plan-fu-field-start = Start date
plan-fu-field-end = End date
plan-fu-col-name = Name
plan-fu-col-actions = Actions
plan-fu-kind-project = Project
plan-fu-kind-item = Item
plan-fu-delete = Delete
plan-fu-milestones-title = Milestones
plan-fu-milestones-none = This project has no milestones yet.
plan-fu-milestone-new = New milestone
plan-fu-milestone-add = Add the milestone
plan-fu-milestone-added = The milestone { $title } has been added.
plan-fu-milestone-saved = The milestone has been saved.
plan-fu-milestone-deleted = The milestone has been deleted.
plan-fu-milestone-done = Reached
plan-fu-milestone-open = Not reached yet
plan-fu-milestone-mark-done = Mark as reached
plan-fu-milestone-reopen = Mark as not reached
plan-fu-timeline-title = Timeline
plan-fu-timeline-of = Timeline of { $name }
plan-fu-timeline-desc = Bars from start to end date for { $count } rows on a month axis, milestones as diamonds and a line for today. The same data is in the table below.
plan-fu-timeline-today = today
plan-fu-timeline-table = The data of the timeline
plan-fu-timeline-empty = There are no projects or items with a start and end date to show yet.
plan-fu-timeline-item-link = Timeline of this item and its parts

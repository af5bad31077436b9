## reports: releases, the printable report, comparison, publication and export

plan-rep-yes = yes
plan-rep-no = no
plan-rep-none = —

## Releases
plan-rep-releases-title = Releases
plan-rep-releases-intro = A release freezes the whole plan at a date: a report that never changes afterwards, to print, keep and compare.
plan-rep-releases-none = This plan has no releases yet.
plan-rep-col-name = Name
plan-rep-col-asof = As of
plan-rep-col-created = Created on
plan-rep-col-published = Published
plan-rep-new-title = New release
plan-rep-field-name = Name of the release
plan-rep-field-name-hint = For example: Progress report June 2026.
plan-rep-field-asof = As of
plan-rep-field-asof-hint = As dd/mm/yyyy. Indicator measurements up to and including this date go into the release.
plan-rep-create = Create release
plan-rep-created = Release “{ $name }” created.

## The printable report
plan-rep-print-hint = Print / PDF: use your browser's print function (Ctrl+P) and choose “Save as PDF”. The page is laid out for A4.
plan-rep-cover-label = Progress report
plan-rep-cover-asof = As of { $date }
plan-rep-cover-period = Period: { $start } to { $end }
plan-rep-summary = Summary
plan-rep-summary-total = { $count } items in total
plan-rep-tree = Goals and actions
plan-rep-indicators = Indicators
plan-rep-no-indicators = This plan has no indicators.
plan-rep-no-measurements = No measurements yet.
plan-rep-kwesties = Issues and risks
plan-rep-no-kwesties = No issues or risks.
plan-rep-finance = Finance
plan-rep-no-finance = No amounts.
plan-rep-measurements-of = Measurements and targets of { $name }
plan-rep-baseline = Baseline: { $value } on { $date }

## Columns
plan-rep-col-code = Code
plan-rep-col-level = Level
plan-rep-col-parent = Parent code
plan-rep-col-title = Title
plan-rep-col-description = Description
plan-rep-col-status = Status
plan-rep-col-progress = Progress (%)
plan-rep-col-owner = Owner
plan-rep-col-service = Service
plan-rep-col-start = Start date
plan-rep-col-end = End date
plan-rep-col-prioritair = Priority
plan-rep-col-themes = Themes
plan-rep-col-count = Count
plan-rep-col-id = ID
plan-rep-col-direction = Direction
plan-rep-col-source = Source
plan-rep-col-frequency = Frequency
plan-rep-col-indicator = Indicator
plan-rep-col-unit = Unit
plan-rep-col-rowkind = Kind
plan-rep-col-date = Date
plan-rep-col-value = Value
plan-rep-col-comment = Comment
plan-rep-col-author = Author
plan-rep-col-health = Health
plan-rep-col-latest = Latest value
plan-rep-col-kind = Kind
plan-rep-col-severity = Severity
plan-rep-col-due = Due
plan-rep-col-year = Year
plan-rep-col-amount = Amount (euro)
plan-rep-col-old = Before
plan-rep-col-new = After
plan-rep-rowkind-baseline = baseline
plan-rep-rowkind-target = target
plan-rep-rowkind-measurement = measurement

## Kwesties
plan-rep-kwkind-kwestie = Issue
plan-rep-kwkind-risico = Risk
plan-rep-kwstatus-open = Open
plan-rep-kwstatus-in_behandeling = In progress
plan-rep-kwstatus-opgelost = Solved
plan-rep-severity-laag = Low
plan-rep-severity-middel = Medium
plan-rep-severity-hoog = High
plan-rep-severity-kritiek = Critical

## Comparison
plan-rep-compare-title = Compare releases
plan-rep-compare-link = Compare two releases
plan-rep-compare-intro = Choose an older and a newer release to see what changed.
plan-rep-compare-from = From (older release)
plan-rep-compare-to = To (newer release)
plan-rep-compare-submit = Compare
plan-rep-compare-need-two = At least two releases are needed to compare.
plan-rep-compare-heading = From “{ $from }” to “{ $to }”
plan-rep-diff-none = There are no differences between these two releases.
plan-rep-diff-added = New items
plan-rep-diff-removed = Removed items
plan-rep-diff-status = Changed status
plan-rep-diff-progress = Changed progress
plan-rep-diff-indicators = Changed indicator values
plan-rep-diff-opened = Opened issues
plan-rep-diff-closed = Closed issues

## Publication
plan-rep-pub-title = Publication
plan-rep-pub-intro = A published plan can be seen without logging in on a public page. The code and title of each item are always shown; choose which other fields are shown too.
plan-rep-pub-publish = Publish this plan
plan-rep-pub-fields = Fields on the public page
plan-rep-pub-save = Save publication
plan-rep-pub-saved = The plan's publication was saved.
plan-rep-pub-is-public = This plan is published at
plan-rep-pub-not-public = This plan is not published.
plan-rep-pub-releases = Publish releases
plan-rep-pub-releases-intro = A published release shows the same fields as the plan on its public page.
plan-rep-pub-release-on = Publish
plan-rep-pub-release-off = Take offline
plan-rep-pub-release-saved = The release's publication was changed.
plan-rep-public-plans-title = Published plans
plan-rep-public-plans-intro = Plans that cities and municipalities make public.
plan-rep-public-none = There are no published plans yet.
plan-rep-public-releases = Published reports
plan-rep-public-back = Back to the plan

## Export
plan-rep-export-title = Export
plan-rep-export-intro = Download the plan or its indicators to work on in a spreadsheet.
plan-rep-export-plan = The plan: one row per item, in tree order, with the full title and description, the level, the parent’s code and the amounts per year and kind.
plan-rep-export-roundtrip = You can import the XLSX file back after editing it (Import): title, description, status, progress, department, start and end date and priority are taken over; rows with a new code become new items under the code in the parent column. Keep the ID column and the hidden sheet. Owner, themes and amounts are not read; a deleted row deletes no item.
plan-rep-export-indicators = The indicators: one row with the baseline and one per target and per measurement, with direction, source and frequency.
plan-rep-export-xlsx = Excel (XLSX)
plan-rep-export-csv = CSV
plan-rep-export-csv-hint = CSV files use semicolons, UTF-8 and a decimal comma; dates are dd/mm/yyyy. Amounts are in euros, summed over the budget types, with expenditure and revenue in separate columns.
plan-rep-sheet-plan = Plan
plan-rep-sheet-indicators = Indicators

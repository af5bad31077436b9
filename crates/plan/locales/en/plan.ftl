## Plans, items, tree, dashboard, My actions

plan-nav-plans = Plans
plan-nav-mine = My actions
plan-nav-section = Policy plans
# The plan's background jobs by name (on /beheer/taken; see steden_web::admin_jobs::job_label_key)
job-kind-plan-import = Import into a plan
job-kind-plan-pull-measurements = Fetch measurements
job-kind-plan-round-opened = Messages for an opened reporting round
job-kind-plan-round-reminder = Reminder for a reporting round

plan-kind-jaarplan = Annual plan
plan-kind-meerjarenplan = Multi-year plan
plan-kind-bestuursakkoord = Coalition agreement

plan-planstatus-ontwerp = Draft
plan-planstatus-vastgesteld = Adopted
plan-planstatus-gearchiveerd = Archived

plan-status-niet_gestart = Not started
plan-status-lopend = In progress
plan-status-vertraagd = Delayed
plan-status-afgerond = Completed
plan-status-stopgezet = Stopped
plan-status-manual = set by hand
plan-status-derived-would-be = (derived from its parts: { $status })
plan-status-derive = Back to the derived status
plan-status-derived-choice = Derived from its parts (now: { $status })
plan-status-derived-done = The status is derived from the parts again.

plan-pubfield-beschrijving = Description
plan-pubfield-status = Status
plan-pubfield-voortgang = Progress
plan-pubfield-data = Start and end date
plan-pubfield-eigenaar = Owner
plan-pubfield-indicatoren = Indicators
plan-pubfield-financien = Finance
plan-pubfield-kwesties = Issues

plan-demo-badge = Demo: made up for the demonstration
plan-progress = Progress
plan-prioritair = Priority

plan-tabs-label = Parts of the plan
plan-tab-tree = Tree
plan-tab-dashboard = Dashboard
plan-tab-indicators = Indicators
plan-tab-rounds = Reporting rounds
plan-tab-kwesties = Issues
plan-tab-timeline = Timeline
plan-tab-finance = Finance
plan-tab-releases = Releases
plan-tab-import = Import
plan-tab-export = Export
plan-tab-publication = Publication

## Plan list and plan forms
plan-plans-title = Plans
plan-plans-intro = The plans of the organisations you belong to.
plan-plans-none = There are no plans yet.
plan-search-title = Search plans
plan-search-intro = Search by code, title or description in every plan you may read.
plan-search-label = Code or words
plan-search-submit = Search
plan-search-results = Results
plan-search-count = { $count } results for ‘{ $query }’
plan-search-count-one = 1 result for ‘{ $query }’
plan-search-none = Nothing found. Try another word or a shorter code.
plan-search-in = In
plan-col-title = Title
plan-col-organisation = Organisation
plan-col-kind = Kind of plan
plan-col-period = Period
plan-col-planstatus = Plan status
plan-new-title = New plan
plan-new-intro = The plan belongs to { $organisation }.
plan-new-done = The plan has been created.
plan-edit-title = Edit plan
plan-edit-done = The plan has been saved.
plan-copy-title = Start the next period
plan-copy-intro = Copy ‘{ $title }’ for a new period: levels, items and indicators are kept; status and progress start over.
plan-copy-submit = Make a copy
plan-copy-done = The plan for the new period has been created.
plan-field-description = Description
plan-field-period-start = Start of the period
plan-field-period-end = End of the period
plan-date-hint = As dd/mm/yyyy, for example 31/12/2026.
plan-levels-title = Levels
plan-levels-bbc = BBC: policy objective → action plan → action
plan-levels-kenniscentrum = Kenniscentrum: programme → work track → objective → action
plan-levels-own = Own levels
plan-levels-names = Own level names
plan-levels-names-hint = One level per line, the highest first. Only needed with ‘Own levels’.
plan-levels-edit-hint = One level per line, the highest first.
plan-form-save = Save
plan-form-cancel = Cancel

## Tree and filters
plan-tree-title = Tree
plan-tree-empty = This plan has no items yet.
plan-tree-more = Show the parts
plan-tree-shown = Parts shown of
plan-tree-back = Back to the full tree
plan-marker-late = Late
plan-filter-title = Search and filter items
plan-filter-q = Search in code, title and description
plan-filter-all = All
plan-filter-prioritair = Priority items only
plan-filter-late = Late items only
plan-filter-submit = Filter
plan-filter-clear = Clear filters
plan-filter-results = Items found
plan-filter-none = No items match the filters.
plan-col-path = Place in the tree
plan-col-code = Code
plan-col-level = Level
plan-col-status = Status
plan-col-markers = Markers

## Item page
plan-item-facts = Details
plan-item-none = Not filled in
plan-item-no = No
plan-prioritair-own = Yes, marked as a priority itself
plan-prioritair-inherited = Yes, because a part is a priority
plan-progress-rollup = The progress follows from that of the parts.
plan-field-owner = Owner
plan-field-owner-name = Name of an owner without an account
plan-field-owner-name-hint = Only if the owner is not a member of the organisation.
plan-owner-none = No owner
plan-field-service = Responsible service
plan-field-partners = Partners
plan-comma-hint = Separated by commas.
plan-field-start = Start date
plan-field-end = End date
plan-field-beleidsveld = Policy area
plan-field-themes = Themes
plan-field-sdgs = Sustainable Development Goals (SDGs)
plan-field-themes-other = Other themes
plan-field-weight = Weight
plan-field-weight-hint = How much this item counts in the progress of its parent (0 to 1,000).
plan-field-code-hint = Leave empty to have a code made.
plan-field-short-title = Short title
plan-field-title-hint = At most 100 characters; put the rest in the description.
plan-field-internal-code = Internal code
plan-item-children = Parts
plan-item-no-children = This item has no parts.
plan-col-order = Order
plan-item-edit-title = Edit item
plan-item-add-child = Add a part
plan-item-new-top = Add an item at the top level
plan-field-level-hint = A level deeper than the parent item’s; levels may be skipped.
plan-item-archived = Archived: this item is no longer in the text of the plan. It is stopped and kept here for its history, but no longer in the tree, the dashboard and the public pages.
plan-item-new-title = New item: { $level }
plan-item-created = The item has been added.
plan-item-saved = The item has been saved.
plan-item-comment-hint = Required when you change the status or the progress.
plan-report-title = Report progress
plan-report-progress = Progress (%)
plan-report-progress-hint = A whole number from 0 to 100.
plan-report-comment = Comment
plan-report-comment-hint = Explain the state of affairs.
plan-report-submit = Report
plan-report-done = The progress report has been saved.
plan-history-title = History
plan-history-none = There are no updates yet.
plan-col-date = Date
plan-col-author = By
plan-col-comment = Comment
plan-move-title = Move
plan-move-up = Up
plan-move-down = Down
plan-move-parent = New parent item
plan-move-top = Top level
plan-move-position = Position
plan-move-position-hint = 1 is the first position; leave empty for the last.
plan-move-submit = Move
plan-move-done = The item has been moved.
plan-delete-title = Delete
plan-delete-question = Do you really want to delete { $code }?
plan-delete-subtree = All parts of this item are deleted too.
plan-delete-history = The item's history, indicators and amounts go with it.
plan-delete-confirm = Yes, delete
plan-delete-done = { $code } has been deleted.

## Dashboard
plan-dash-figures = Key figures
plan-dash-progress = Progress of the plan
plan-dash-prioritair = Priority items
plan-dash-late = Late items
plan-dash-off-track = Indicators off track
plan-dash-late-updates = Late reports
plan-dash-open-kwesties = Open issues
plan-dash-by-level = Items per level
plan-dash-by-level-status = Number of items per level and status
plan-dash-no-items = This plan has no items yet.
plan-dash-count = Number
plan-dash-latest = Latest updates

## My actions
plan-mine-intro = The items you own, by plan.
plan-mine-none = You do not own any item.
plan-col-report = Report
plan-filter-truncated = { $count } items match the filters; the first { $shown } are shown. Refine the filters to see the rest.

plan-table-region = Table, scrolls horizontally
plan-tree-children = Parts

plan-of = of

# The workspace (/start): what changed in what a person follows.
plan-work-change-report = New progress report
plan-work-change-measurement = New measurement

# The item page says once which fields are empty, instead of a row of "Not filled in" each.
plan-item-not-filled = Not filled in
plan-item-fill-in = Fill them in

# Filtered lists the dashboard's key figures link to.
plan-fu-kstatus-unresolved = Not resolved (open or in progress)
plan-ind-filtered = Only indicators that are
plan-ind-show-all = Show all indicators
plan-ind-none-filtered = No indicator of this plan is on that course.
plan-dash-figure-hint = Select a key figure to see the items it counts.
plan-dash-no-items-next = This plan has no items yet. An editor adds them in the tree or uploads them through Import.
plan-chart-region = Chart, scrolls horizontally

# The public plan page as a collapsible hierarchy.
plan-rep-no-items = This plan has no published items yet. Come back later, or see the other public plans.
plan-rep-item-page = Go to this part's page

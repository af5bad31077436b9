## Plans, items, tree, dashboard, My actions

plan-nav-plans = Plans
plan-nav-mine = My actions

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

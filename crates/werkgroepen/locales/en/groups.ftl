# Working groups: the list (web/groups.rs) and the fixed lists of values (model.rs).

wg-nav-groups = Working groups

wg-groups-title = Working groups
wg-groups-intro = In the Kenniscentrum's working groups, staff of the cities work together on one subject: they exchange experience, prepare positions and share what they learn.
wg-groups-description = The working groups of the Kenniscentrum Vlaamse Steden: who works together, on what, and how often they meet.
wg-groups-empty = No working group presents itself here yet.
wg-groups-cadence = Meets
wg-groups-no-purpose = This working group has not described its purpose yet.

wg-kind-werkgroep = working group
wg-kind-stuurgroep = steering group
wg-kind-lerend-netwerk = learning network
wg-kind-reflectiegroep = reflection group
wg-kind-projectgroep = project group

wg-visibility-publiek = public
wg-visibility-verborgen = hidden

wg-cadence-zeswekelijks = every six weeks
wg-cadence-maandelijks = monthly
wg-cadence-vijfmaal-per-jaar = five times a year
wg-cadence-viermaal-per-jaar = four times a year
wg-cadence-driemaal-per-jaar = three times a year
wg-cadence-tweemaal-per-jaar = twice a year
wg-cadence-op-afroep = when needed

wg-role-voorzitter = chair
wg-role-lid = member
wg-role-waarnemer = observer
wg-role-gast = guest

wg-status-aangevraagd = requested
wg-status-actief = active
wg-status-geweigerd = refused
wg-status-vertrokken = left

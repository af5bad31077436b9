# Working groups: the list (web/groups.rs) and the fixed lists of values (model.rs).

wg-nav-groups = Werkgroepen

wg-groups-title = Werkgroepen
wg-groups-intro = In de werkgroepen van het Kenniscentrum werken medewerkers van de steden samen aan één onderwerp: ze wisselen ervaringen uit, bereiden standpunten voor en delen wat ze leren.
wg-groups-description = De werkgroepen van het Kenniscentrum Vlaamse Steden: wie er samenwerkt, waarover en hoe vaak ze samenkomen.
wg-groups-empty = Er zijn nog geen werkgroepen die zich hier voorstellen.
wg-groups-cadence = Komt samen
wg-groups-no-purpose = Deze werkgroep heeft haar doel nog niet beschreven.

wg-kind-werkgroep = werkgroep
wg-kind-stuurgroep = stuurgroep
wg-kind-lerend-netwerk = lerend netwerk
wg-kind-reflectiegroep = reflectiegroep
wg-kind-projectgroep = projectgroep

wg-visibility-publiek = publiek
wg-visibility-verborgen = verborgen

wg-cadence-zeswekelijks = zeswekelijks
wg-cadence-maandelijks = maandelijks
wg-cadence-vijfmaal-per-jaar = vijfmaal per jaar
wg-cadence-viermaal-per-jaar = viermaal per jaar
wg-cadence-driemaal-per-jaar = driemaal per jaar
wg-cadence-tweemaal-per-jaar = tweemaal per jaar
wg-cadence-op-afroep = op afroep

wg-role-voorzitter = voorzitter
wg-role-lid = lid
wg-role-waarnemer = waarnemer
wg-role-gast = gast

wg-status-aangevraagd = aangevraagd
wg-status-actief = actief
wg-status-geweigerd = geweigerd
wg-status-vertrokken = vertrokken

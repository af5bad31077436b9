## Plans, items, tree, dashboard, Mijn acties

plan-nav-plans = Plannen
plan-nav-mine = Mijn acties

plan-kind-jaarplan = Jaarplan
plan-kind-meerjarenplan = Meerjarenplan
plan-kind-bestuursakkoord = Bestuursakkoord

plan-planstatus-ontwerp = Ontwerp
plan-planstatus-vastgesteld = Vastgesteld
plan-planstatus-gearchiveerd = Gearchiveerd

plan-status-niet_gestart = Niet gestart
plan-status-lopend = Lopend
plan-status-vertraagd = Vertraagd
plan-status-afgerond = Afgerond
plan-status-stopgezet = Stopgezet

plan-pubfield-beschrijving = Beschrijving
plan-pubfield-status = Status
plan-pubfield-voortgang = Voortgang
plan-pubfield-data = Begin- en einddatum
plan-pubfield-eigenaar = Eigenaar
plan-pubfield-indicatoren = Indicatoren
plan-pubfield-financien = Financiën
plan-pubfield-kwesties = Kwesties

plan-demo-badge = Demo: verzonnen voor de demonstratie
plan-progress = Voortgang
plan-prioritair = Prioritair

plan-tabs-label = Onderdelen van het plan
plan-tab-tree = Boom
plan-tab-dashboard = Dashboard
plan-tab-indicators = Indicatoren
plan-tab-rounds = Rapporteringsrondes
plan-tab-kwesties = Kwesties
plan-tab-timeline = Tijdlijn
plan-tab-finance = Financiën
plan-tab-releases = Releases
plan-tab-import = Import
plan-tab-export = Export
plan-tab-publication = Publicatie

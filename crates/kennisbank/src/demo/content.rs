//! The demo site's content: made-up examples in the Kenniscentrum's voice, each marked as an
//! example, built around the real programmes of the 2025 jaarplan.

/// A static page: slug, title, summary, Markdown body.
pub struct DemoPage {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
}

pub const PAGES: &[DemoPage] = &[
    DemoPage {
        slug: "over-ons",
        title: "Over het Kenniscentrum",
        summary: "Het Kenniscentrum Vlaamse Steden is een interlokale vereniging van de dertien centrumsteden en de VVSG.",
        body: "Het **Kenniscentrum Vlaamse Steden** is een interlokale vereniging, opgericht in 2007 onder impuls van de 13 centrumsteden en de Vereniging van Vlaamse Steden en Gemeenten (VVSG).\n\nWe brengen steden samen rond gedeelde uitdagingen, delen kennis en werken samen aan oplossingen die elke stad kan gebruiken. De samenwerking loopt in programmaperiodes van vijf jaar: 2007-2011, 2012-2016, 2017-2021 en nu 2022-2026.\n\n## Wat we doen\n\n- programma's en werksporen rond omgevingsbeleid, data, klimaat, digitale transitie en Stadsgenoten;\n- werkgroepen en lerende netwerken voor medewerkers van de steden;\n- publicaties en een Kennisbank met al het materiaal van de vorige programmaperiodes.\n\n*Deze pagina is voorbeeldinhoud van de demo.*",
    },
    DemoPage {
        slug: "bestuur",
        title: "Bestuur",
        summary: "Het beheerscomité, het dagelijks bestuur en de werkgroepen sturen het Kenniscentrum aan.",
        body: "Het Kenniscentrum wordt aangestuurd door:\n\n- het **beheerscomité**, samengesteld uit de 13 burgemeesters en een vertegenwoordiger van de VVSG;\n- het **dagelijks bestuur**, met de voorzitter van het Kenniscentrum, de voorzitter van het burgemeestersoverleg, een delegatie van de algemeen directeurs van de centrumsteden, een vertegenwoordiger van de VGC en de VVSG en twee externe experten;\n- **werkgroepen** die de programma's voeden en ondersteunen.\n\n*Deze pagina is voorbeeldinhoud van de demo.*",
    },
    DemoPage {
        slug: "contact",
        title: "Contact",
        summary: "Zo bereikt u het team van het Kenniscentrum Vlaamse Steden.",
        body: "Het team bestaat uit een directeur, twee stafmedewerkers en een medewerker communicatie en organisatie.\n\n- E-mail: [info@kenniscentrum.example](mailto:info@kenniscentrum.example)\n- Adres: Voorbeeldstraat 1, 1000 Brussel\n\n*De gegevens op deze pagina zijn voorbeelden van de demo.*",
    },
];

/// A news item or project: slug, title, summary, body, days before today it went online.
pub struct DemoNews {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
    pub days_ago: i64,
}

pub const NEWS: &[DemoNews] = &[
    DemoNews {
        slug: "nieuwe-kennisbank-online",
        title: "Nieuwe Kennisbank: al het materiaal sinds 2007 op één plek",
        summary: "Rapporten, presentaties en verslagen van vier programmaperiodes zijn nu doorzoekbaar.",
        body: "De nieuwe Kennisbank bundelt het materiaal van alle programmaperiodes. Zoek op een woord, filter op programma, thema of periode en vind in één keer wat de steden samen hebben opgebouwd.\n\nZoeken gebeurt in het Nederlands: *klimaat* vindt ook *klimaatgovernance*, en *rechten* vindt de *Rechtenverkenner*.\n\n*Voorbeeldbericht van de demo.*",
        days_ago: 2,
    },
    DemoNews {
        slug: "opleiding-impactmeting",
        title: "Opleidingsprogramma impactmeting voor de lokale werkvloer",
        summary: "Een nieuw opleidingsprogramma helpt medewerkers de impact van hun dienstverlening te meten.",
        body: "Er is een groeiende nood aan impactmeting op de lokale werkvloer. Met een specifiek opleidingsprogramma ondersteunen we medewerkers van de steden om effecten zichtbaar te maken.\n\n*Voorbeeldbericht van de demo.*",
        days_ago: 9,
    },
    DemoNews {
        slug: "gdpr-workshopreeks",
        title: "Workshopreeks voor functionarissen voor gegevensbescherming",
        summary: "De werkgroep GDPR stelde een programma op voor de workshops van de komende jaren.",
        body: "Na een bevraging van de deelnemende DPO's werkte de werkgroep GDPR een programma uit. De standaarddocumenten staan in de [GDPR-bibliotheek](/kennisbank/collecties/gdpr-bibliotheek).\n\n*Voorbeeldbericht van de demo.*",
        days_ago: 20,
    },
    DemoNews {
        slug: "klimaatgovernance-publicatie",
        title: "Steden delen hun aanpak voor klimaatgovernance",
        summary: "Stedelijke teams tonen hoe ze vastgoedstrategieën afstemmen op de klimaatdoelen voor 2050.",
        body: "In het programma Klimaat delen stedelijke teams hun aanpak om vastgoedstrategieën te ontwikkelen die aansluiten bij de klimaatdoelstellingen voor 2050.\n\n*Voorbeeldbericht van de demo.*",
        days_ago: 35,
    },
];

pub const PROJECTS: &[(&str, &str, &str, &str, bool)] = &[
    (
        "rechtenverkenner-2-0",
        "City Deal Rechtenverkenner 2.0",
        "Steden bouwen samen verder aan de Rechtenverkenner, die inwoners toont op welke rechten en premies ze aanspraak maken.",
        "De Rechtenverkenner toont inwoners welke sociale rechten, premies en tegemoetkomingen ze kunnen krijgen. In de City Deal werken steden aan versie 2.0, met een advies over het leefloon.\n\n*Voorbeeldproject van de demo.*",
        true,
    ),
    (
        "parkeer-en-toegangsregister",
        "Parkeer- en ToegangsRegister (PTR)",
        "Eén register van parkeer- en toegangsrechten voor de steden.",
        "Het Parkeer- en ToegangsRegister brengt vergunningen en toegangsrechten samen, zodat steden hun parkeer- en mobiliteitsbeleid eenvoudiger kunnen uitvoeren.\n\n*Voorbeeldproject van de demo.*",
        true,
    ),
    (
        "stadsmonitor-2017",
        "Stadsmonitor 2017",
        "De vierde editie van de Stadsmonitor bracht de leefbaarheid van de centrumsteden in kaart.",
        "De Stadsmonitor meet de leefbaarheid en duurzaamheid van de Vlaamse centrumsteden met meer dan 200 indicatoren.\n\n*Voorbeeldproject van de demo.*",
        false,
    ),
];

/// A Kennisbank document of the demo: title, summary, type, programme (the start of a title of
/// the jaarplan's programmes, or an older programme name, which leaves the document without
/// one), werkspoor (a title of that programme's werksporen), themes, period, date, access
/// ("publiek", "leden", "werkgroep-gdpr", "organisatie-gent"), file format ("pdf", "docx",
/// "link") and paragraphs.
pub struct DemoDocument {
    pub title: &'static str,
    pub summary: &'static str,
    pub doc_type: &'static str,
    pub programme: &'static str,
    pub werkspoor: &'static str,
    pub themes: &'static [&'static str],
    pub organisations: &'static [&'static str],
    pub date: &'static str,
    pub access: &'static str,
    pub format: &'static str,
    pub paragraphs: &'static [&'static str],
}

pub const DOCUMENTS: &[DemoDocument] = &[
    DemoDocument {
        title: "Klimaatgovernance in de centrumsteden",
        summary: "Hoe steden hun klimaatbeleid organiseren over diensten en bestuursniveaus heen.",
        doc_type: "rapport", programme: "Klimaat", werkspoor: "Klimaatgovernance",
        themes: &["Klimaat", "Bestuur"], organisations: &["gent", "leuven", "mechelen"],
        date: "2025-03-14", access: "publiek", format: "pdf",
        paragraphs: &[
            "Dit rapport beschrijft hoe dertien centrumsteden hun klimaatbeleid organiseren. Klimaatgovernance gaat over wie beslist, wie uitvoert en hoe diensten samenwerken.",
            "De steden met een sterke klimaatregie koppelen hun klimaatplan aan de meerjarenplanning en de begroting. Een klimaatcoördinator met mandaat helpt om diensten te verbinden.",
            "Aanbevelingen: veranker de klimaatdoelen in het bestuursakkoord, meet de voortgang met indicatoren en deel de resultaten met de gemeenteraad.",
        ],
    },
    DemoDocument {
        title: "Financieringsopgave van de klimaattransitie",
        summary: "Wat kost de klimaattransitie de steden, en hoe kunnen ze die financieren?",
        doc_type: "rapport", programme: "Klimaat", werkspoor: "Financieringsopgave van de klimaattransitie in regie van steden",
        themes: &["Klimaat", "Financiën"], organisations: &["antwerpen", "gent"],
        date: "2024-11-05", access: "publiek", format: "pdf",
        paragraphs: &[
            "De klimaattransitie vraagt grote investeringen in renovatie, warmtenetten en mobiliteit. Steden zoeken financiële ruimte binnen hun meerjarenplan.",
            "We beschrijven financieringsmodellen: revolverende fondsen, derde-investeerders, Europese middelen en samenwerking met netbeheerders.",
        ],
    },
    DemoDocument {
        title: "Presentatie lerend netwerk Capacities 2.0",
        summary: "Slides van de startbijeenkomst van het lerend netwerk over klimaatcapaciteit.",
        doc_type: "presentatie", programme: "Klimaat", werkspoor: "Capacities 2.0",
        themes: &["Klimaat"], organisations: &["kortrijk", "brugge"],
        date: "2025-02-20", access: "leden", format: "pdf",
        paragraphs: &["Capacities 2.0: welke competenties hebben klimaatteams nodig? Overzicht van de bijeenkomsten en de planning van het lerend netwerk."],
    },
    DemoDocument {
        title: "De Rechtenverkenner: sociale rechten in één oogopslag",
        summary: "Een online gids die inwoners toont op welke rechten, premies en tegemoetkomingen ze recht hebben.",
        doc_type: "handleiding", programme: "Smart Cities", werkspoor: "City Deal Rechtenverkenner 2.0",
        themes: &["Armoede", "Digitalisering"], organisations: &["antwerpen", "gent", "leuven"],
        date: "2023-06-12", access: "publiek", format: "docx",
        paragraphs: &[
            "De Rechtenverkenner toont welke premies en tegemoetkomingen een gezin kan krijgen, van het leefloon tot de schooltoelage.",
            "Deze handleiding legt uit hoe medewerkers van het sociaal huis de Rechtenverkenner gebruiken in een gesprek met een inwoner.",
        ],
    },
    DemoDocument {
        title: "Automatische toekenning van rechten",
        summary: "Rechten automatisch toekennen zodat niemand uit de boot valt.",
        doc_type: "rapport", programme: "Smart Cities", werkspoor: "Speerpunt Automatische rechtentoekenning",
        themes: &["Armoede", "Data"], organisations: &["antwerpen"],
        date: "2022-09-15", access: "publiek", format: "pdf",
        paragraphs: &["Steden onderzoeken hoe ze gegevens kunnen gebruiken om rechten automatisch toe te kennen. Non-take-up van sociale rechten is hoog; automatische toekenning verlaagt de drempel."],
    },
    DemoDocument {
        title: "Leefloon in de centrumsteden: cijfers 2015-2020",
        summary: "Evolutie van het aantal leefloners per centrumstad.",
        doc_type: "dataset", programme: "Armoede", werkspoor: "",
        themes: &["Armoede", "Data"], organisations: &["brugge", "oostende"],
        date: "2020-11-05", access: "publiek", format: "pdf",
        paragraphs: &["Het aantal mensen met een leefloon steeg in de meeste steden. Het OCMW kent het leefloon toe. Deze dataset bevat de cijfers per stad en per jaar."],
    },
    DemoDocument {
        title: "Standaard verwerkersovereenkomst",
        summary: "Model van verwerkersovereenkomst voor lokale besturen (AVG artikel 28).",
        doc_type: "standaarddocument", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "GDPR",
        themes: &["Privacy", "Contracten"], organisations: &["gent", "mechelen"],
        date: "2024-04-02", access: "werkgroep-gdpr", format: "docx",
        paragraphs: &[
            "Deze verwerkersovereenkomst regelt de verwerking van persoonsgegevens door een verwerker in opdracht van het lokaal bestuur, zoals artikel 28 van de Algemene Verordening Gegevensbescherming vraagt.",
            "Bijlagen: beschrijving van de verwerkingen, technische en organisatorische maatregelen, lijst van subverwerkers.",
        ],
    },
    DemoDocument {
        title: "Model register van verwerkingsactiviteiten",
        summary: "Sjabloon voor het register van verwerkingen met de verplichte velden.",
        doc_type: "standaarddocument", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "GDPR",
        themes: &["Privacy"], organisations: &["leuven"],
        date: "2023-10-10", access: "werkgroep-gdpr", format: "docx",
        paragraphs: &["Het register van verwerkingsactiviteiten bevat per verwerking het doel, de categorieën van betrokkenen en persoonsgegevens, de ontvangers, de bewaartermijn en de beveiligingsmaatregelen."],
    },
    DemoDocument {
        title: "Sjabloon gegevensbeschermingseffectbeoordeling (DPIA)",
        summary: "Stappenplan en sjabloon voor een DPIA bij risicovolle verwerkingen.",
        doc_type: "standaarddocument", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "GDPR",
        themes: &["Privacy", "Risicobeheer"], organisations: &["gent"],
        date: "2024-09-18", access: "publiek", format: "docx",
        paragraphs: &["Een gegevensbeschermingseffectbeoordeling is verplicht bij verwerkingen met een hoog risico, zoals camerabewaking of profilering."],
    },
    DemoDocument {
        title: "Handleiding datamaturiteit in de organisatie",
        summary: "Meet hoe ver uw stad staat met datagovernance, datakwaliteit en datagebruik.",
        doc_type: "handleiding", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "Datamaturiteit in de organisatie",
        themes: &["Data", "Bestuur"], organisations: &["kortrijk", "roeselare"],
        date: "2025-01-28", access: "publiek", format: "pdf",
        paragraphs: &[
            "Zonder datagovernance blijven datasets verspreid. Het datamaturiteitsmodel beschrijft vijf niveaus, van ad hoc tot geoptimaliseerd.",
            "De zelfevaluatie helpt steden om prioriteiten te kiezen: een datastrategie, rollen als data-eigenaar en datasteward, en afspraken over metadata.",
        ],
    },
    DemoDocument {
        title: "Verslag stuurgroep OBMi, maart 2025",
        summary: "Beslissingen en actiepunten van de stuurgroep omgevings-, beleids- en managementinformatie.",
        doc_type: "verslag", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "Stuurgroep OBMi",
        themes: &["Data", "Bestuur"], organisations: &["gent", "antwerpen", "leuven"],
        date: "2025-03-20", access: "leden", format: "docx",
        paragraphs: &["Aanwezig: vertegenwoordigers van negen centrumsteden. De stuurgroep keurde de planning van de werksporen goed en vroeg een voorstel voor de opvolging van het bestuursakkoord."],
    },
    DemoDocument {
        title: "Opvolging van het bestuursakkoord: handleiding",
        summary: "Hoe steden de realisatie van hun bestuursakkoord opvolgen met indicatoren en rapportering.",
        doc_type: "handleiding", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "Opvolging realisatie Bestuursakkoord",
        themes: &["Bestuur", "Planning"], organisations: &["aalst", "genk"],
        date: "2025-05-06", access: "publiek", format: "pdf",
        paragraphs: &["Het bestuursakkoord wordt vertaald in doelstellingen en acties van het meerjarenplan. Een rapporteringsronde per halfjaar houdt de opvolging levendig."],
    },
    DemoDocument {
        title: "Interne nota risicomanagement Gent",
        summary: "Interne nota over de aanpak van organisatiebeheersing en risicomanagement.",
        doc_type: "verslag", programme: "O(mgeving) B(eleid) M(anagement)informatie", werkspoor: "KBO/risicomanagement",
        themes: &["Risicobeheer"], organisations: &["gent"],
        date: "2024-12-02", access: "organisatie-gent", format: "docx",
        paragraphs: &["Deze interne nota beschrijft de risicoanalyse van de stad: vertrouwelijk voor de eigen organisatie. Sleutelwoord voor de demo: risicokaart."],
    },
    DemoDocument {
        title: "Stadsgenoten: diversiteit in de stedelijke organisatie",
        summary: "Publicatie over hoe stedelijke organisaties diversiteit en inclusie vormgeven.",
        doc_type: "publicatie", programme: "Stadsgenoten", werkspoor: "",
        themes: &["Diversiteit", "Personeel"], organisations: &["antwerpen", "gent", "mechelen", "vgc"],
        date: "2025-06-30", access: "publiek", format: "pdf",
        paragraphs: &[
            "Stadsgenoten verbindt stedelijke organisatie en diversiteit. Steden delen hoe ze hun personeelsbeleid, dienstverlening en communicatie inclusiever maken.",
            "Hoofdstukken: werven zonder drempels, leiderschap, taal en toegankelijke dienstverlening.",
        ],
    },
    DemoDocument {
        title: "Stadsgenoten: werkboek voor teams",
        summary: "Oefeningen voor teams die met de inzichten van Stadsgenoten aan de slag gaan.",
        doc_type: "publicatie", programme: "Stadsgenoten", werkspoor: "",
        themes: &["Diversiteit"], organisations: &["vgc"],
        date: "2025-07-15", access: "publiek", format: "docx",
        paragraphs: &["Het werkboek bevat oefeningen, gespreksleidraden en voorbeelden uit steden."],
    },
    DemoDocument {
        title: "Lerend netwerk mensgericht ontwerpen van dienstverlening",
        summary: "Presentatie over service design in de stedelijke dienstverlening.",
        doc_type: "presentatie", programme: "Digitale Transitie", werkspoor: "Lerend netwerk Mensgericht ontwerpen van dienstverlening",
        themes: &["Digitalisering", "Dienstverlening"], organisations: &["hasselt", "sint-niklaas"],
        date: "2025-04-22", access: "publiek", format: "pdf",
        paragraphs: &["Mensgericht ontwerpen vertrekt van de ervaring van de inwoner. De presentatie toont klantreizen en prototypes uit drie steden."],
    },
    DemoDocument {
        title: "Smart Flanders: open data-standaarden",
        summary: "Externe pagina met de open data-standaarden van Smart Flanders.",
        doc_type: "link", programme: "Smart Cities", werkspoor: "Smart Flanders",
        themes: &["Data", "Open data"], organisations: &[],
        date: "2021-09-01", access: "publiek", format: "link",
        paragraphs: &[],
    },
    DemoDocument {
        title: "Stadsmonitor 2017: leefbare en duurzame steden",
        summary: "De vierde Stadsmonitor met meer dan 200 indicatoren over de centrumsteden.",
        doc_type: "rapport", programme: "Stadsmonitor", werkspoor: "",
        themes: &["Data", "Leefbaarheid"], organisations: &["aalst", "brugge", "genk", "hasselt"],
        date: "2017-12-12", access: "publiek", format: "pdf",
        paragraphs: &["De Stadsmonitor meet de leefbaarheid en duurzaamheid van de centrumsteden: wonen, werken, mobiliteit, veiligheid en welzijn."],
    },
    DemoDocument {
        title: "Centrumstedenbeleid: evaluatie 2012-2016",
        summary: "Evaluatie van het stedenbeleid en het Stedenfonds in de tweede programmaperiode.",
        doc_type: "rapport", programme: "Stedenbeleid", werkspoor: "",
        themes: &["Bestuur", "Financiën"], organisations: &["antwerpen", "gent"],
        date: "2016-10-03", access: "publiek", format: "pdf",
        paragraphs: &["Het Stedenfonds ondersteunde de centrumsteden met middelen voor stedelijke vernieuwing. De evaluatie bekijkt de resultaten per stad."],
    },
    DemoDocument {
        title: "Parkeerbeleid in de binnenstad",
        summary: "Hoe steden parkeren sturen met tarieven, zones en bewonerskaarten.",
        doc_type: "rapport", programme: "Mobiliteit", werkspoor: "",
        themes: &["Mobiliteit"], organisations: &["mechelen", "leuven"],
        date: "2014-06-30", access: "publiek", format: "pdf",
        paragraphs: &["Betaald parkeren en bewonerskaarten verminderen het zoekverkeer. Een parkeer- en toegangsregister maakt handhaving eenvoudiger."],
    },
    DemoDocument {
        title: "Oprichting van het Kenniscentrum: startnota",
        summary: "De startnota van 2007 over de samenwerking tussen de centrumsteden en de VVSG.",
        doc_type: "publicatie", programme: "Stedenbeleid", werkspoor: "",
        themes: &["Bestuur"], organisations: &[],
        date: "2008-02-15", access: "publiek", format: "pdf",
        paragraphs: &["In 2007 richtten de dertien centrumsteden en de VVSG het Kenniscentrum op als interlokale vereniging voor kennisdeling en belangenbehartiging."],
    },
    DemoDocument {
        title: "Armoede in de stad: lokaal sociaal beleid 2009",
        summary: "Verslag van de studiedag over lokaal sociaal beleid en kinderarmoede.",
        doc_type: "verslag", programme: "Armoede", werkspoor: "",
        themes: &["Armoede"], organisations: &["oostende", "turnhout"],
        date: "2009-11-19", access: "publiek", format: "docx",
        paragraphs: &["Kinderarmoede blijft hoog in de centrumsteden. De studiedag bracht OCMW's en stadsdiensten samen rond een geïntegreerd lokaal sociaal beleid."],
    },
];

/// A glossary term: term, definition, source, synonyms, related terms (by term).
pub type DemoTerm = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

pub const TERMS: &[DemoTerm] = &[
    ("Datagovernance", "Het geheel van afspraken, rollen en processen waarmee een organisatie bepaalt wie welke gegevens beheert, hoe ze worden gebruikt en hoe hun kwaliteit wordt bewaakt.", "DAMA-DMBOK woordenboek", &["Gegevensbeheer"], &["Data-eigenaar", "Datasteward", "Datakwaliteit"]),
    ("Data-eigenaar", "De persoon of dienst die eindverantwoordelijk is voor een gegevensverzameling: beslist over toegang, gebruik en kwaliteit.", "DAMA-DMBOK woordenboek", &["Gegevenseigenaar"], &["Datasteward"]),
    ("Datasteward", "De medewerker die dagelijks zorgt voor de kwaliteit, de beschrijving en het juiste gebruik van gegevens, in opdracht van de data-eigenaar.", "DAMA-DMBOK woordenboek", &[], &["Data-eigenaar", "Metadata"]),
    ("Datakwaliteit", "De mate waarin gegevens geschikt zijn voor hun gebruik: volledig, juist, tijdig, consistent en uniek.", "DAMA-DMBOK woordenboek", &["Gegevenskwaliteit"], &["Datagovernance"]),
    ("Metadata", "Gegevens over gegevens: wat een dataset bevat, wie hem beheert, hoe actueel hij is en onder welke voorwaarden hij gebruikt mag worden.", "DAMA-DMBOK woordenboek", &[], &["Dataset"]),
    ("Dataset", "Een samenhangende verzameling gegevens die als één geheel wordt beheerd en ter beschikking gesteld.", "DAMA-DMBOK woordenboek", &["Gegevensverzameling"], &["Metadata", "Open data"]),
    ("Open data", "Gegevens die iedereen vrij mag gebruiken, hergebruiken en verspreiden, in een open formaat.", "Vlaamse open data-richtlijnen", &[], &["Dataset"]),
    ("Persoonsgegeven", "Elk gegeven over een geïdentificeerde of identificeerbare natuurlijke persoon.", "AVG, artikel 4", &["Persoonsgegevens"], &["Verwerkingsregister", "Pseudonimisering"]),
    ("Verwerkingsregister", "Het register waarin een organisatie al haar verwerkingen van persoonsgegevens beschrijft, met doel, gegevens, ontvangers en bewaartermijn.", "AVG, artikel 30", &["Register van verwerkingsactiviteiten"], &["Persoonsgegeven", "Functionaris voor gegevensbescherming"]),
    ("Functionaris voor gegevensbescherming", "De persoon die binnen een organisatie toezicht houdt op de naleving van de AVG en aanspreekpunt is voor betrokkenen en de toezichthouder.", "AVG, artikelen 37-39", &["DPO", "Data protection officer"], &["Verwerkingsregister"]),
    ("Pseudonimisering", "Persoonsgegevens zo verwerken dat ze niet meer aan een persoon gekoppeld kunnen worden zonder aanvullende gegevens die apart worden bewaard.", "AVG, artikel 4", &[], &["Persoonsgegeven"]),
    ("Leefloon", "Het minimuminkomen dat het OCMW toekent aan wie niet over voldoende bestaansmiddelen beschikt.", "Wet van 26 mei 2002 betreffende het recht op maatschappelijke integratie", &["Integratie-inkomen"], &[]),
    ("Éénloketprincipe", "Eén plek waar een inwoner terechtkan voor verschillende diensten of rechten, zonder van loket naar loket te moeten.", "Kenniscentrum Vlaamse Steden (demo)", &["Eén loket"], &[]),
];

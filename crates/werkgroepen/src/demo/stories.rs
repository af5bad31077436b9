//! What the demo's groups talked about (design §3.10): per group the held meetings with their
//! minutes, decisions and action points, and what the members propose for the next meeting.
//! Written per group from the jaarplan's description of its work; invented where the jaarplan
//! says nothing, plausibly. GDPR and OBMi are in [`super::meetings`].

/// Who takes an action point: the facilitator, the n-th active member (by name), or the city
/// that member represents.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Facilitator,
    Member(usize),
    City(usize),
}

/// An action point: what, who, and whether it is done already.
pub struct Action {
    pub description: &'static str,
    pub owner: Owner,
    pub done: bool,
}

/// A held meeting: its topic, the approved minutes (Markdown), decisions, action points.
pub struct Held {
    pub topic: &'static str,
    pub minutes: &'static str,
    pub decisions: &'static [&'static str],
    pub actions: &'static [Action],
}

/// A member's proposal for the next meeting; `decline` gives the reason it was declined.
pub struct Proposal {
    pub title: &'static str,
    pub explanation: &'static str,
    pub decline: Option<&'static str>,
}

/// One group's story. `held` is in date order; `next` is the topic of the next meeting (the
/// title of a meeting planned one by one); `days` are the days before today of the held
/// meetings of a group without a series (`op_afroep`) and, last, the days after today of its
/// next meeting.
pub struct Story {
    pub slug: &'static str,
    pub held: &'static [Held],
    pub next: &'static str,
    pub proposals: &'static [Proposal],
    pub days: &'static [i64],
    pub place: &'static str,
    pub start: &'static str,
    pub end: &'static str,
}

const fn act(description: &'static str, owner: Owner, done: bool) -> Action {
    Action {
        description,
        owner,
        done,
    }
}

const fn ok(title: &'static str, explanation: &'static str) -> Proposal {
    Proposal {
        title,
        explanation,
        decline: None,
    }
}

const fn no(title: &'static str, explanation: &'static str, reason: &'static str) -> Proposal {
    Proposal {
        title,
        explanation,
        decline: Some(reason),
    }
}

use Owner::{City, Facilitator, Member};

const HUIS: &str = "Huis van de Vlaamse Steden, Brussel";

pub const STORIES: &[Story] = &[
    Story {
        slug: "stuurgroep-obmi",
        held: &[
            Held {
                topic: "Koers van het programma",
                minutes: "## Koers van het programma OBMi\n\n\
                    De stuurgroep overliep de voortgang van de werksporen. ORBA en DEMaD liggen op \
                    schema; de opleidingenreeks impactmeting start later dan gepland omdat de \
                    partner pas in het voorjaar gekozen werd.\n\n\
                    - Gent en Leuven vragen meer aandacht voor datamaturiteit bij kleinere diensten.\n\
                    - De VGC wil aansluiten bij de werkgroep PTR.\n\n\
                    **Volgende stap:** het Kenniscentrum legt een bijgestuurde planning voor.",
                decisions: &["De stuurgroep keurt de bijgestuurde planning van de werksporen goed."],
                actions: &[act(
                    "Bijgestuurde planning van de werksporen rondsturen",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "Evaluatie en prioriteiten",
                minutes: "## Evaluatie en prioriteiten\n\n\
                    Elke stad gaf aan welke werksporen voor haar het meest opleverden. De \
                    werkgroep ORBA scoort hoog; de opvolging van PTR is voor een aantal steden \
                    minder relevant.\n\n\
                    | Werkspoor | Prioriteit |\n|---|---|\n| ORBA | hoog |\n| DEMaD | hoog |\n| PTR | midden |\n\n\
                    De stuurgroep vraagt een korte nota over een vervolg op het ORBA-contract.",
                decisions: &[
                    "ORBA en DEMaD blijven de prioriteiten van het programma.",
                    "PTR komt voortaan op afroep samen.",
                ],
                actions: &[
                    act(
                        "Nota over het vervolg op het ORBA-contract opstellen",
                        Facilitator,
                        false,
                    ),
                    act(
                        "Ervaringen met alternatieve software bundelen",
                        City(0),
                        false,
                    ),
                ],
            },
        ],
        next: "Koers voor het volgende werkjaar",
        proposals: &[ok(
            "Begroting van het programma",
            "De verdeling van de middelen over de werksporen voor het volgende jaar.",
        )],
        days: &[],
        place: HUIS,
        start: "10:00",
        end: "12:00",
    },
    Story {
        slug: "orba",
        held: &[
            Held {
                topic: "Einde van het ORBA-contract",
                minutes: "## Einde van het ORBA-contract\n\n\
                    Het contract met de leverancier loopt eind 2025 af. De steden overliepen \
                    wat ze vandaag in ORBA opvolgen: indicatoren, acties, kwesties en releases.\n\n\
                    - Antwerpen en Mechelen gebruiken ook de projectmodule intensief.\n\
                    - Brugge exporteert elk kwartaal naar Excel voor de raad.\n\n\
                    Er is nood aan een gezamenlijke marktverkenning.",
                decisions: &["De steden starten samen een marktverkenning."],
                actions: &[act(
                    "Lijst van de gebruikte ORBA-functies per stad aanvullen",
                    City(1),
                    true,
                )],
            },
            Held {
                topic: "Marktverkenning en GAP-analyse",
                minutes: "## Marktverkenning en GAP-analyse\n\n\
                    Drie leveranciers gaven een demonstratie. Geen enkel pakket dekt de \
                    BBC-structuur (beleidsdoelstelling, actieplan, actie) volledig met de \
                    ramingen per jaar.\n\n\
                    De werkgroep vraagt de leveranciers een antwoord op de GAP-lijst tegen de \
                    volgende vergadering.",
                decisions: &["De GAP-lijst gaat in deze vorm naar de leveranciers."],
                actions: &[
                    act("GAP-lijst naar de leveranciers sturen", Facilitator, true),
                    act(
                        "Voorbeeldexport van de meerjarenplanning bezorgen",
                        Member(2),
                        false,
                    ),
                ],
            },
            Held {
                topic: "Kader voor uniforme registratie",
                minutes: "## Kader voor uniforme registratie\n\n\
                    De steden registreren de voortgang van acties op verschillende manieren. De \
                    werkgroep besprak een gemeenschappelijk minimum: status, percentage, \
                    toelichting en datum van de laatste update.\n\n\
                    > Zonder herinneringen worden updates niet ingevuld. (Kortrijk)\n\n\
                    Het ontwerp van kader wordt verder uitgewerkt door een kleine kerngroep.",
                decisions: &[
                    "Het minimum voor een update is status, voortgang, toelichting en datum.",
                ],
                actions: &[act(
                    "Ontwerp van registratiekader uitschrijven",
                    Member(0),
                    false,
                )],
            },
        ],
        next: "Antwoorden van de leveranciers",
        proposals: &[
            ok(
                "Antwoorden van de leveranciers op de GAP-lijst",
                "Een vergelijkende tabel, voorbereid door het Kenniscentrum.",
            ),
            no(
                "Eigen softwareontwikkeling door één stad",
                "Antwerpen bouwt een eigen opvolgingstool; kunnen de andere steden meestappen?",
                "Eerst de antwoorden van de leveranciers afwachten; dit komt terug na de vergelijking.",
            ),
        ],
        days: &[],
        place: HUIS,
        start: "13:30",
        end: "16:00",
    },
    Story {
        slug: "datamaturiteit",
        held: &[
            Held {
                topic: "Zelfevaluatie datamaturiteit",
                minutes: "## Zelfevaluatie datamaturiteit\n\n\
                    Zeven steden vulden de zelfevaluatie in. De scores voor datagovernance \
                    liggen het laagst; datakwaliteit en -architectuur scoren gemiddeld.\n\n\
                    Hasselt lichtte toe hoe de fusie met Kortessem de datastromen veranderde.",
                decisions: &["De zelfevaluatie wordt jaarlijks herhaald."],
                actions: &[act(
                    "Resultaten per dimensie anoniem bundelen",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "Datagovernance in de praktijk",
                minutes: "## Datagovernance in de praktijk\n\n\
                    Leuven en Roeselare stelden hun rol van data-eigenaar en datasteward voor. \
                    Belangrijkste les: begin met één domein en maak de rollen zichtbaar in het \
                    organogram.",
                decisions: &[],
                actions: &[act(
                    "Functiebeschrijving datasteward delen",
                    Member(1),
                    false,
                )],
            },
        ],
        next: "Datakwaliteit meten",
        proposals: &[ok(
            "Indicatoren voor datakwaliteit",
            "Welke metingen doen de steden al automatisch?",
        )],
        days: &[150, 60, 30],
        place: HUIS,
        start: "14:00",
        end: "16:00",
    },
    Story {
        slug: "ptr",
        held: &[
            Held {
                topic: "Koppeling met het Parkeer- en Toegangsregister",
                minutes: "## Koppeling met het PTR\n\n\
                    Digitaal Vlaanderen gaf een stand van zaken over de koppeling. Drie steden \
                    zijn aangesloten; de andere wachten op een nieuwe versie van de dienst.\n\n\
                    Knelpunt: de toegangsrechten voor handhavers van de politiezone.",
                decisions: &["De steden melden hun planning voor aansluiting aan het Kenniscentrum."],
                actions: &[act("Planning voor aansluiting doorgeven", City(0), true)],
            },
            Held {
                topic: "Toegang voor handhavers",
                minutes: "## Toegang voor handhavers\n\n\
                    Afspraak over wie welke gegevens mag raadplegen. De steden volgen het \
                    voorstel van een rollenmatrix, met een logboek van elke raadpleging.",
                decisions: &["De rollenmatrix wordt het gezamenlijke vertrekpunt."],
                actions: &[act(
                    "Rollenmatrix voorleggen aan de DPO's",
                    Member(3),
                    false,
                )],
            },
        ],
        next: "Nieuwe versie van de dienst",
        proposals: &[ok(
            "Testresultaten van de nieuwe versie",
            "Mechelen test als eerste.",
        )],
        days: &[200, 80, 45],
        place: "Online",
        start: "10:00",
        end: "11:30",
    },
    Story {
        slug: "demad",
        held: &[
            Held {
                topic: "Opstart en afspraken",
                minutes: "## Opstart en afspraken\n\n\
                    De OCMW's van de centrumsteden spraken af samen een Duurzame \
                    EffectiviteitsMeter Maatschappelijke Dienstverlening te bouwen. Elke stad \
                    duidt een contactpersoon aan.\n\n\
                    - Werkwijze: drie bijeenkomsten per jaar.\n\
                    - Eerste opdracht: welke gegevens houden de sociale diensten al bij?",
                decisions: &["Elke stad duidt één contactpersoon voor DEMaD aan."],
                actions: &[act("Contactpersoon doorgeven", City(0), true)],
            },
            Held {
                topic: "Indicatoren van de sociale dienstverlening",
                minutes: "## Indicatoren van de sociale dienstverlening\n\n\
                    Op basis van de inventaris kozen de steden twaalf indicatoren, onder meer \
                    doorlooptijd van een aanvraag, bereik van het leefloon en uitstroom naar werk.\n\n\
                    Aalst en Turnhout wijzen op verschillen in registratie die vergelijken \
                    moeilijk maken.",
                decisions: &["De lijst van twaalf indicatoren ligt vast voor de eerste meting."],
                actions: &[act(
                    "Definities van de indicatoren uitschrijven",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "Eerste metingen en de DEMaD-tool",
                minutes: "## Eerste metingen en de DEMaD-tool\n\n\
                    Vijf steden leverden cijfers aan. De tool toont ze per stad en ten opzichte \
                    van het gemiddelde. De steden vragen een handleiding voor de \
                    maatschappelijk werkers.",
                decisions: &["De tool wordt in de volgende ronde door alle steden gebruikt."],
                actions: &[act(
                    "Handleiding voor de DEMaD-tool schrijven",
                    Member(1),
                    false,
                )],
            },
        ],
        next: "Tweede meetronde",
        proposals: &[ok(
            "Resultaten van de tweede meetronde",
            "Alle steden leveren hun cijfers vooraf aan.",
        )],
        days: &[],
        place: HUIS,
        start: "14:00",
        end: "16:00",
    },
    Story {
        slug: "reflectiegroep-europa",
        held: &[
            Held {
                topic: "Cohesiebeleid na 2027",
                minutes: "## 1. Nieuws uit de steden en de VGC\n\n\
                    Gent startte een EFRO-project rond circulaire bouw; Antwerpen diende een \
                    Horizon-voorstel in.\n\n\
                    ## 2. Thema in de diepte: cohesiebeleid na 2027\n\n\
                    De VVSG lichtte de voorstellen van de Commissie toe. De steden vrezen minder \
                    rechtstreekse stedelijke middelen.\n\n\
                    ## 3. Ruggenspraak\n\n\
                    Afstemming over de reactie op de openbare raadpleging.",
                decisions: &["De VVSG stuurt een gezamenlijke reactie op de raadpleging in."],
                actions: &[act(
                    "Input van de steden voor de reactie bundelen",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "Europese stedelijke agenda",
                minutes: "## 1. Nieuws uit de steden en de VGC\n\n\
                    Brugge en Kortrijk werken samen aan een Interreg-aanvraag.\n\n\
                    ## 2. Thema in de diepte: de Europese stedelijke agenda\n\n\
                    Welke partnerschappen zijn relevant voor de centrumsteden? Wonen en \
                    klimaatadaptatie springen eruit.\n\n\
                    ## 3. Ruggenspraak\n\n\
                    Geen urgent thema deze keer.",
                decisions: &[],
                actions: &[act(
                    "Contactpersonen van de partnerschappen opzoeken",
                    Member(0),
                    true,
                )],
            },
            Held {
                topic: "Subsidiewerking in de steden",
                minutes: "## 1. Nieuws uit de steden en de VGC\n\n\
                    De VGC deelde haar ervaring met een eerste Erasmus+-project.\n\n\
                    ## 2. Thema in de diepte: subsidiewerking\n\n\
                    Hoe organiseren de steden hun subsidiecel? Leuven werkt met een centrale \
                    cel, Hasselt met contactpersonen per departement.\n\n\
                    ## 3. Ruggenspraak: het nieuwe meerjarig financieel kader\n\n\
                    De steden vragen de VVSG om het stedelijke luik expliciet te verdedigen.",
                decisions: &["De VVSG neemt het stedelijke luik op in haar standpunt."],
                actions: &[act(
                    "Organogram van de subsidiecel delen",
                    City(2),
                    false,
                )],
            },
        ],
        next: "Volgende bijeenkomst",
        proposals: &[
            ok(
                "Ervaringen met de nieuwe EFRO-oproep",
                "Welke steden dienden in, en wat liep moeilijk?",
            ),
            no(
                "Studiereis naar Brussel",
                "Een bezoek aan de Europese instellingen met de hele groep.",
                "Past niet in het vaste format; het Kenniscentrum bekijkt het apart met de VVSG.",
            ),
        ],
        days: &[],
        place: "VVSG, Bischoffsheimlaan 1-8, Brussel",
        start: "10:00",
        end: "12:30",
    },
    Story {
        slug: "stuurgroep-speerpunten",
        held: &[
            Held {
                topic: "Stand van de speerpunten",
                minutes: "## Stand van de speerpunten\n\n\
                    De projectleiders gaven een kort overzicht. Het speerpunt rond \
                    rechtentoekenning levert de eerste resultaten op; E-mobiliteit zoekt nog \
                    een geschikte uitdaging.",
                decisions: &["Het speerpunt E-mobiliteit krijgt tijd tot het najaar."],
                actions: &[act(
                    "Mogelijke uitdagingen voor E-mobiliteit oplijsten",
                    Facilitator,
                    false,
                )],
            },
            Held {
                topic: "Nieuwe oproep",
                minutes: "## Nieuwe oproep\n\n\
                    De stuurgroep besprak de criteria voor een nieuwe oproep: schaalbaar, \
                    minstens drie steden, en een duidelijke meerwaarde voor de burger.",
                decisions: &["De criteria worden in deze vorm gepubliceerd."],
                actions: &[act("Oproep publiceren", Facilitator, true)],
            },
        ],
        next: "Selectie van nieuwe speerpunten",
        proposals: &[ok(
            "Ingediende voorstellen",
            "Overzicht van de voorstellen op de oproep.",
        )],
        days: &[],
        place: HUIS,
        start: "14:00",
        end: "16:00",
    },
    Story {
        slug: "automatische-rechtentoekenning",
        held: &[
            Held {
                topic: "Welke rechten eerst?",
                minutes: "## Welke rechten eerst?\n\n\
                    De steden kozen drie rechten om automatisch toe te kennen: de \
                    vrijetijdspas, het sociaal tarief voor de kinderopvang en de korting op de \
                    afvalbelasting.",
                decisions: &["De werkgroep start met deze drie rechten."],
                actions: &[act(
                    "Nagaan welke gegevensbronnen nodig zijn",
                    Member(0),
                    true,
                )],
            },
            Held {
                topic: "Gegevensbronnen en machtigingen",
                minutes: "## Gegevensbronnen en machtigingen\n\n\
                    Voor de statuten is een machtiging nodig via de Vlaamse \
                    dienstenintegrator. Sint-Niklaas heeft die al en deelt haar aanvraag als \
                    voorbeeld.",
                decisions: &[],
                actions: &[act(
                    "Machtigingsaanvraag als sjabloon delen",
                    City(1),
                    true,
                )],
            },
            Held {
                topic: "Eerste resultaten",
                minutes: "## Eerste resultaten\n\n\
                    Na drie maanden kregen in Sint-Niklaas 1.240 gezinnen hun korting zonder \
                    aanvraag. Klachten: vier, alle over een verhuis die te laat verwerkt werd.",
                decisions: &["De andere steden volgen de aanpak van Sint-Niklaas."],
                actions: &[
                    act("Communicatie naar de burger afstemmen", Member(2), false),
                    act("Cijfers per kwartaal opvolgen", Facilitator, false),
                ],
            },
        ],
        next: "Uitbreiding naar andere rechten",
        proposals: &[
            ok(
                "Uitbreiding naar de schooltoelage",
                "Kan de aanpak ook voor de schooltoelage?",
            ),
            no(
                "Eén gezamenlijk loket voor alle steden",
                "Een centraal platform in plaats van een aanpak per stad.",
                "Valt buiten de opdracht van de werkgroep; we leggen het voor aan de stuurgroep.",
            ),
        ],
        days: &[],
        place: HUIS,
        start: "14:00",
        end: "16:00",
    },
    Story {
        slug: "rechtenverkenner",
        held: &[
            Held {
                topic: "Stand van zaken",
                minutes: "## Stand van zaken\n\n\
                    Het Departement Zorg, ABB en Digitaal Vlaanderen gaven hun vaste stand van \
                    zaken. De lokale rechten van vier steden staan nu in de Rechtenverkenner.",
                decisions: &[],
                actions: &[act("Lokale rechten aanleveren", City(0), false)],
            },
            Held {
                topic: "Lokale rechten beschrijven",
                minutes: "## Lokale rechten beschrijven\n\n\
                    Afspraak over een vaste structuur: voorwaarden, bedrag, hoe aanvragen, \
                    contact. Genk toonde hoe ze dit met de dienst communicatie aanpakt.",
                decisions: &["Alle steden gebruiken dezelfde structuur."],
                actions: &[act("Voorbeeldbeschrijving delen", Member(1), true)],
            },
        ],
        next: "Stand van zaken",
        proposals: &[ok(
            "Stand van zaken door Departement Zorg, ABB en Digitaal Vlaanderen",
            "Het vaste punt.",
        )],
        days: &[120, 40, 50],
        place: "Online",
        start: "10:00",
        end: "11:30",
    },
    Story {
        slug: "duurzame-energie",
        held: &[
            Held {
                topic: "Zonnedaken op stedelijk patrimonium",
                minutes: "## Zonnedaken op stedelijk patrimonium\n\n\
                    Roeselare en Kortrijk deelden hun aanpak met een derde-investeerder. \
                    Aandachtspunt: de draagkracht van oudere daken.",
                decisions: &[],
                actions: &[act("Bestek derde-investeerder delen", City(0), true)],
            },
            Held {
                topic: "Energiegemeenschappen",
                minutes: "## Energiegemeenschappen\n\n\
                    Fluvius lichtte de regels voor energiedelen toe. Twee steden willen een \
                    pilot met een buurt opzetten.",
                decisions: &["De werkgroep volgt de twee pilots op."],
                actions: &[act(
                    "Contact met Fluvius voor de pilots leggen",
                    Facilitator,
                    false,
                )],
            },
        ],
        next: "Warmtenetten",
        proposals: &[ok("Warmtenetten in de steden", "Stand van zaken in Gent en Leuven.")],
        days: &[170, 70, 60],
        place: HUIS,
        start: "13:30",
        end: "15:30",
    },
    Story {
        slug: "e-mobiliteit",
        held: &[
            Held {
                topic: "Snuffelronde laadinfrastructuur",
                minutes: "## Snuffelronde laadinfrastructuur\n\n\
                    Na de Vlaamse aanbesteding blijft de vraag naar laadpunten in wijken \
                    zonder oprit. VITO stelde een kennistraject voor met living labs.",
                decisions: &["De steden verkennen het traject van VITO."],
                actions: &[act(
                    "Interesse voor het VITO-traject peilen",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "EU-financiering",
                minutes: "## EU-financiering\n\n\
                    Mogelijke pistes: CEF-transport en Interreg. Oostende en Brugge willen \
                    samen een voorstel uitwerken.",
                decisions: &[],
                actions: &[act("Projectidee op één pagina zetten", Member(0), false)],
            },
        ],
        next: "Voorstel voor een kennistraject",
        proposals: &[ok(
            "Living lab in twee wijken",
            "Voorstel van VITO, met een raming.",
        )],
        days: &[140, 35, 75],
        place: HUIS,
        start: "10:00",
        end: "12:00",
    },
    Story {
        slug: "stuurgroep-smart-flanders",
        held: &[
            Held {
                topic: "Slimme toepassingen voor de steden",
                minutes: "## Slimme toepassingen voor de steden\n\n\
                    Digitaal Vlaanderen toonde de voortgang van de gedeelde \
                    data-infrastructuur. Het Kenniscentrum bracht de vraag van de steden naar \
                    open standaarden voor sensordata in.",
                decisions: &["Open standaarden worden een vast agendapunt."],
                actions: &[act(
                    "Lijst van sensordata per stad opmaken",
                    Facilitator,
                    true,
                )],
            },
            Held {
                topic: "Kennisdeling met andere gemeenten",
                minutes: "## Kennisdeling met andere gemeenten\n\n\
                    Goede praktijken worden gedeeld via studiedagen en intervisies. De VVSG \
                    neemt de uitnodiging van de provinciesteden op.",
                decisions: &["In het voorjaar volgt een studiedag voor alle gemeenten."],
                actions: &[act("Studiedag voorbereiden", Facilitator, false)],
            },
            Held {
                topic: "Open standaarden voor sensordata",
                minutes: "## Open standaarden voor sensordata\n\n\
                    Antwerpen en Gent gebruiken dezelfde standaard voor luchtkwaliteit; de \
                    andere steden volgen. De stuurgroep vraagt een overzicht van de kosten.",
                decisions: &[],
                actions: &[act("Kostenoverzicht maken", Member(1), false)],
            },
        ],
        next: "Maandelijkse stuurgroep",
        proposals: &[ok(
            "Kostenoverzicht open standaarden",
            "Voorbereid door Antwerpen.",
        )],
        days: &[],
        place: "Online (Teams)",
        start: "09:00",
        end: "10:30",
    },
    Story {
        slug: "patrimonium",
        held: &[
            Held {
                topic: "Energiescans van stadsgebouwen",
                minutes: "## Energiescans van stadsgebouwen\n\n\
                    De steden bepaalden zelf de agenda: hoe prioriteren na de energiescans? \
                    Mechelen rangschikt volgens besparing per geïnvesteerde euro.",
                decisions: &[],
                actions: &[act("Rangschikkingsmethode delen", City(0), true)],
            },
            Held {
                topic: "Renovatie van erfgoedpanden",
                minutes: "## Renovatie van erfgoedpanden\n\n\
                    Erfgoed en isolatie: Leuven deelde een voorbeeld van binnenisolatie in een \
                    beschermd pand, in overleg met het agentschap Onroerend Erfgoed.",
                decisions: &["De voorbeelden komen in de Kennisbank."],
                actions: &[act(
                    "Voorbeelden voor de Kennisbank aanleveren",
                    Member(1),
                    false,
                )],
            },
        ],
        next: "Financiering van de renovaties",
        proposals: &[ok(
            "Financiering via het Klimaatfonds",
            "Welke steden gebruiken het en hoe?",
        )],
        days: &[],
        place: "Stadhuis Mechelen",
        start: "13:30",
        end: "16:00",
    },
    Story {
        slug: "intervisie-digitaal",
        held: &[
            Held {
                topic: "EFRO en de digitale transitie",
                minutes: "## EFRO en de digitale transitie\n\n\
                    Eerste van drie sessies rond EFRO. De steden deelden hun projectideeën; \
                    de werkgroep fungeert ook als klankbord van de centrumsteden en de VGC.",
                decisions: &[],
                actions: &[act("Projectideeën op één lijst zetten", Facilitator, true)],
            },
            Held {
                topic: "Aanvragen schrijven",
                minutes: "## Aanvragen schrijven\n\n\
                    Tips van steden die eerder een EFRO-aanvraag indienden: begin vroeg met de \
                    begroting en betrek de financiële dienst.",
                decisions: &[],
                actions: &[act("Voorbeeldbegroting delen", Member(0), false)],
            },
        ],
        next: "Klankbord digitale transitie",
        proposals: &[ok("Feedback op de Vlaamse digitale agenda", "Klankbordrol.")],
        days: &[100, 55, 40],
        place: HUIS,
        start: "14:00",
        end: "16:00",
    },
    Story {
        slug: "stuurgroep-kenniscentrum-vo",
        held: &[
            Held {
                topic: "Afstemming werking",
                minutes: "## Afstemming werking\n\n\
                    Het Kenniscentrum en de Vlaamse overheid overliepen de gezamenlijke \
                    opdrachten. De rapportering volgt voortaan het jaarplan.",
                decisions: &["De rapportering volgt de structuur van het jaarplan."],
                actions: &[act("Rapportering in jaarplanstructuur", Facilitator, true)],
            },
            Held {
                topic: "Opvolging van de opdrachten",
                minutes: "## Opvolging van de opdrachten\n\n\
                    Het lerend netwerk Verweven werklocaties loopt; het Atrium-netwerk krijgt \
                    een nieuwe trekker.",
                decisions: &[],
                actions: &[act("Voorstel trekker Atrium", Facilitator, false)],
            },
        ],
        next: "Afstemming werking",
        proposals: &[ok("Jaarplan van volgend jaar", "Eerste ontwerp.")],
        days: &[],
        place: HUIS,
        start: "10:00",
        end: "12:00",
    },
];

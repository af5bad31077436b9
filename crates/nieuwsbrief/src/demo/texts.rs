//! The free texts of the demo's three newsletters (Markdown blocks), one set per issue: the
//! oldest sent one first, the concept last. Written for the demo, about the Kenniscentrum's
//! real themes (jaarplan 2025); every link goes to a public site of the government or the EU, or
//! to this platform (a path), so no demo mail points at an address that could be anyone's.

/// The Markdown of one issue, per section of [`crate::store::sections::DEFAULT_SECTIONS`].
pub struct IssueTexts {
    pub preheader: &'static str,
    /// Opens "Aankondigingen".
    pub announcement: &'static str,
    /// "Beleid".
    pub policy: &'static str,
    /// "Stadsprojecten" when the plan offers no milestone.
    pub city_projects: &'static str,
    /// "Links".
    pub links: &'static str,
    /// "Internationaal".
    pub abroad: &'static str,
}

/// Three issues: two sent, one concept.
pub const ISSUES: [IssueTexts; 3] = [
    IssueTexts {
        preheader: "Impactmeting, de Stadsmonitor en het Europese stedenbeleid.",
        announcement: "Welkom bij de nieuwsbrief van het **Kenniscentrum Vlaamse Steden**. \
            Deze maand: een nieuwe reeks over impactmeting, cijfers uit de Stadsmonitor en \
            wat Europa van steden verwacht.",
        policy: "### Lokaal Energie- en Klimaatpact\n\nDe centrumsteden brachten in kaart hoe \
            ver ze staan met de renovatie van hun eigen gebouwen. Het Kenniscentrum bundelt de \
            resultaten en bespreekt ze met de Vlaamse overheid.",
        city_projects: "De werkgroep **Smart Flanders** zet samen met vijf steden een gedeelde \
            aanpak voor open data op.",
        links: "- [Stadsmonitor](https://www.vlaanderen.be/stadsmonitor): cijfers over \
            leefbaarheid in de centrumsteden\n\
            - [Lokale Inzage](https://www.vlaanderen.be/lokaal-bestuur): gegevens over lokale \
            besturen\n\
            - [Kennisbank](/kennisbank): alle publicaties van het Kenniscentrum",
        abroad: "### De Europese stedelijke agenda\n\nDe **Urban Agenda for the EU** start \
            nieuwe partnerschappen rond betaalbaar wonen en de groene transitie. De \
            Reflectiegroep Europa volgt op wat dat voor Vlaamse steden betekent. \
            Meer op [de website van de Europese Commissie](https://ec.europa.eu/regional_policy/).",
    },
    IssueTexts {
        preheader: "Datamaturiteit, armoedebestrijding en stedelijke innovatie in Europa.",
        announcement: "In deze editie: de zelfscan **datamaturiteit** voor lokale besturen, \
            nieuwe cijfers over armoede in de centrumsteden en de activiteiten van de komende \
            weken.",
        policy: "### Armoedebestrijding\n\nHet Kenniscentrum bracht samen met de steden in \
            kaart wie recht heeft op ondersteuning en er geen gebruik van maakt. Het project \
            **Stadsgenoten** deelt wat werkt om die mensen te bereiken.",
        city_projects: "Gent en Leuven delen hun ervaring met een digitaal loket dat rechten \
            automatisch toekent.",
        links: "- [Vlaamse Armoedemonitor](https://www.vlaanderen.be/armoede)\n\
            - [Open data in Vlaanderen](https://www.vlaanderen.be/digitaal-vlaanderen)\n\
            - [Activiteiten van de werkgroepen](/werkgroepen)",
        abroad: "### Stedelijke innovatie in Europa\n\nDe **European Urban Initiative** \
            financiert innovatieve projecten van steden. De volgende oproep staat open voor \
            steden vanaf 50.000 inwoners.",
    },
    IssueTexts {
        preheader: "Een terugblik op het jaar en wat er volgend jaar komt.",
        announcement: "De laatste nieuwsbrief van het jaar: een **terugblik** op wat de \
            werkgroepen bereikten en een vooruitblik op het jaarplan van volgend jaar.",
        policy: "### Het jaarplan van volgend jaar\n\nDe raad van bestuur keurt binnenkort het \
            nieuwe jaarplan goed. De grote lijnen: impactmeting, data en digitale transitie, \
            klimaat en armoedebestrijding.",
        city_projects: "De centrumsteden stellen hun projecten voor op de netwerkdag.",
        links: "- [Jaarplan en opvolging](/plannen)\n\
            - [Kennisbank](/kennisbank)",
        abroad: "### Eurocities\n\nHet netwerk van Europese steden publiceert zijn \
            jaarverslag: wat Brussel, Antwerpen en Gent er inbrengen.",
    },
];

/// Dutch month names, January first.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

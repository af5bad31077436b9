//! The demo's groups: those the jaarplan 2025 names in its ACTIES, with the cadence it gives
//! (design §3.10; the line numbers are those of the jaarplan's text). The GDPR group is not
//! here: the Kennisbank demo makes it in the core, and [`super::seed`] adopts it.

/// A demo group: slug, name, kind, cadence, purpose.
pub struct DemoGroup {
    pub slug: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub cadence: &'static str,
    pub purpose: &'static str,
}

const fn group(
    slug: &'static str,
    name: &'static str,
    kind: &'static str,
    cadence: &'static str,
    purpose: &'static str,
) -> DemoGroup {
    DemoGroup {
        slug,
        name,
        kind,
        cadence,
        purpose,
    }
}

/// The DEMaD group, whose held meetings feed the demo jaarplan's indicator.
pub const DEMAD: &str = "demad";

pub const GROUPS: &[DemoGroup] = &[
    // l. 231–233: "samenkomst 2 keer per jaar".
    group(
        "stuurgroep-obmi",
        "Stuurgroep OBMi",
        "stuurgroep",
        "tweemaal_per_jaar",
        "De stuurgroep bepaalt twee keer per jaar de koers van het programma Open en Betrouwbare Medewerking van steden.",
    ),
    // l. 272–275: the members bring their initiatives.
    group(
        "obmi",
        "Werkgroep OBMi",
        "werkgroep",
        "zeswekelijks",
        "De steden brengen hun initiatieven rond informatiebeheer en open data samen en leren van elkaar.",
    ),
    // l. 351.
    group(
        "orba",
        "Werkgroep ORBA",
        "werkgroep",
        "zeswekelijks",
        "Opvolging van de realisatie van het bestuursakkoord: de prioritaire thema's bepaald samen met de steden.",
    ),
    // l. 415–436: no number in the ACTIES.
    group(
        "datamaturiteit",
        "Werkgroep Datamaturiteit",
        "werkgroep",
        "op_afroep",
        "De steden meten en verhogen samen de datamaturiteit van hun organisatie.",
    ),
    // l. 458: "op regelmatige basis".
    group(
        "ptr",
        "Werkgroep PTR",
        "werkgroep",
        "op_afroep",
        "Het Parkeer- en Toegangsregister: afspraken tussen de steden over gegevens en toegang.",
    ),
    // l. 498: "minstens 3 keer"; linked to the plan's indicator.
    group(
        DEMAD,
        "DEMaD-werkgroep",
        "werkgroep",
        "driemaal_per_jaar",
        "De OCMW's van de centrumsteden bouwen samen een Duurzame EffectiviteitsMeter Maatschappelijke Dienstverlening.",
    ),
    // l. 544–556: with the VVSG; the agenda template of three parts.
    group(
        "reflectiegroep-europa",
        "Interstedelijke Reflectiegroep Europa",
        "reflectiegroep",
        "driemaal_per_jaar",
        "Samen met de VVSG volgen de steden het Europese beleid op en bereiden ze standpunten voor.",
    ),
    // l. 624–625.
    group(
        "stuurgroep-speerpunten",
        "Stuurgroep Speerpuntenprogramma",
        "stuurgroep",
        "driemaal_per_jaar",
        "De stuurgroep volgt het speerpuntenprogramma Smart Cities op.",
    ),
    // l. 642.
    group(
        "automatische-rechtentoekenning",
        "Werkgroep Automatische rechtentoekenning",
        "werkgroep",
        "zeswekelijks",
        "Steden kennen rechten automatisch toe, zonder dat de burger ze moet aanvragen.",
    ),
    // l. 676–678: a standing item "stand van zaken" by Dept. Zorg, ABB and Digitaal Vlaanderen.
    group(
        "rechtenverkenner",
        "Werkgroep Rechtenverkenner",
        "werkgroep",
        "op_afroep",
        "De Rechtenverkenner in de steden, met een vaste stand van zaken door het Departement Zorg, ABB en Digitaal Vlaanderen.",
    ),
    // l. 714.
    group(
        "duurzame-energie",
        "Werkgroep Duurzame lokale energieproductie",
        "werkgroep",
        "op_afroep",
        "De steden delen hun aanpak voor duurzame, lokale energieproductie.",
    ),
    // l. 779–786.
    group(
        "e-mobiliteit",
        "Werkgroep E-mobiliteit",
        "werkgroep",
        "op_afroep",
        "Laadinfrastructuur en elektrische mobiliteit in de steden.",
    ),
    // l. 801, 809–821: the Kenniscentrum co-sets the agenda as a member.
    group(
        "stuurgroep-smart-flanders",
        "Stuurgroep Smart Flanders",
        "stuurgroep",
        "maandelijks",
        "De stuurgroep van Smart Flanders; het Kenniscentrum bepaalt mee de agenda.",
    ),
    // l. 1011–1017: "drietal sessies", agenda set by the cities.
    group(
        "patrimonium",
        "Werkgroep Patrimonium",
        "werkgroep",
        "driemaal_per_jaar",
        "Verduurzaming van het patrimonium van de steden; de steden bepalen de agenda.",
    ),
    // l. 1226–1242: three times in spring 2025 on EFRO.
    group(
        "intervisie-digitaal",
        "Werkgroep Intervisie digitaal",
        "werkgroep",
        "op_afroep",
        "Intervisie over de digitale transitie in de steden, in 2025 rond EFRO.",
    ),
    // l. 1269–1271.
    group(
        "stuurgroep-kenniscentrum-vo",
        "Stuurgroep Kenniscentrum – Vlaamse overheid",
        "stuurgroep",
        "vijfmaal_per_jaar",
        "Het Kenniscentrum en de Vlaamse overheid stemmen vijf keer per jaar hun werking af.",
    ),
];

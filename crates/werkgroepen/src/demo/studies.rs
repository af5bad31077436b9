//! The other events of the jaarplan's §3.10 (issue 13 point 10), besides the impact series of
//! [`super::events`]: the lerend netwerk InnoFiNS (l. 727–754), the lerend netwerk Mensgericht
//! ontwerpen van dienstverlening (4 sessions, 2 before the summer, l. 1185–1202), the sessions
//! Risicobeheersing on juridisch management, klimaat, bedrijfscontinuïteit and deontologie with
//! the KBO-netwerkdag, both with TNU Connect (l. 514–531), the return days of the masterclass
//! renovatiebeleid (max. 2, l. 1059–1068), and a study day of Smart Flanders (l. 815).
//!
//! Each event has registration questions. A past one is made as the pages make one — created,
//! its registrations through the public form's path — then moved to its past date
//! ([`crate::store::event_backdate`]), its attendance recorded and its evaluation answered, so
//! its result charts show something. Upcoming ones stay open; one is full with a waiting list.
//! Dates count from today. A series (or the study day) that exists is skipped as a whole, so
//! seeding twice adds nothing.

use std::collections::BTreeMap;

use chrono::Duration;
use steden_core::audit::AuditActor;
use steden_db::{Db, Tx};

use crate::model::RegistrationStatus;
use crate::store::events::{self, EventFields};
use crate::store::registrations::{self, Registrant};
use crate::store::{attendance, evaluations, event_backdate, meetings};

use super::members::{self, PEOPLE};

/// One event: slug, title, kind, days from today (negative: past), capacity (0: none),
/// how many people register.
struct Session {
    slug: &'static str,
    title: &'static str,
    kind: &'static str,
    days: i64,
    capacity: usize,
    registrants: usize,
}

const fn session(
    slug: &'static str,
    title: &'static str,
    kind: &'static str,
    days: i64,
    capacity: usize,
    registrants: usize,
) -> Session {
    Session {
        slug,
        title,
        kind,
        days,
        capacity,
        registrants,
    }
}

/// A series of events, or (without `series_slug`) events on their own.
struct Programme {
    series_slug: Option<&'static str>,
    title: &'static str,
    description: &'static str,
    place: &'static str,
    start: &'static str,
    end: &'static str,
    questions: &'static str,
    evaluation: &'static str,
    certificates: bool,
    sessions: &'static [Session],
}

const EVALUATION: &str = "Hoe tevreden ben je over de sessie?\n\
    Was de inhoud bruikbaar voor je eigen stad?\n\
    Hoe beoordeel je de sprekers?\n\
    open: Wat neem je mee naar je stad?";

const PROGRAMMES: &[Programme] = &[
    Programme {
        series_slug: Some("innofins"),
        title: "Lerend netwerk InnoFiNS",
        description: "Met onderzoekers van de Universiteit Antwerpen en UHasselt zoeken de steden \
            naar innovatieve financiering voor natuurgebaseerde oplossingen. Experts in \
            ruimtelijke planning, waterbeheer en financieel beheer wisselen ervaringen uit.",
        place: "Universiteit Antwerpen, Stadscampus",
        start: "13:30",
        end: "16:30",
        questions: "Dieetwensen\nExpertise: Financiën | Waterbeheer | Klimaatbeleid | Ruimtelijke planning *",
        evaluation: EVALUATION,
        certificates: false,
        sessions: &[
            session(
                "innofins-verdienmodellen",
                "InnoFiNS: verdienmodellen voor natuurgebaseerde oplossingen",
                "lerend_netwerk",
                -84,
                30,
                12,
            ),
            session(
                "innofins-groenblauw",
                "InnoFiNS: groenblauwe dooradering financieren",
                "lerend_netwerk",
                -28,
                30,
                10,
            ),
            session(
                "innofins-investeerders",
                "InnoFiNS: private investeerders en waterbeheer",
                "lerend_netwerk",
                42,
                30,
                6,
            ),
        ],
    },
    Programme {
        series_slug: Some("mensgericht-ontwerpen"),
        title: "Lerend netwerk Mensgericht ontwerpen van dienstverlening",
        description: "De deelnemers aan de City Deal E-inclusion by Design komen opnieuw samen: \
            ervaringen met de toolbox, mensgericht ontwerpen in de meerjarenplanning en thema's \
            voor de verdere werking van het netwerk.",
        place: "District 09, Gent",
        start: "09:30",
        end: "12:30",
        questions: "Dieetwensen\nNam je deel aan de City Deal?: Ja | Nee *",
        evaluation: EVALUATION,
        certificates: false,
        sessions: &[
            session(
                "mensgericht-evaluatie-city-deal",
                "Mensgericht ontwerpen: evaluatie van de City Deal",
                "lerend_netwerk",
                -150,
                0,
                14,
            ),
            session(
                "mensgericht-meerjarenplanning",
                "Mensgericht ontwerpen in de meerjarenplanning",
                "lerend_netwerk",
                -110,
                0,
                11,
            ),
            session(
                "mensgericht-themas",
                "Mensgericht ontwerpen: thema's voor de verdere werking",
                "lerend_netwerk",
                35,
                0,
                5,
            ),
            session(
                "mensgericht-sessie-4",
                "Mensgericht ontwerpen: vierde sessie",
                "lerend_netwerk",
                120,
                0,
                0,
            ),
        ],
    },
    Programme {
        series_slug: Some("risicobeheersing"),
        title: "Risicobeheersing en KBO",
        description: "Vervolgsessies Risicobeheersing voor de centrumsteden en de KBO-netwerkdag \
            voor de medewerkers organisatie- en risicobeheersing, vormgegeven met TNU Connect.",
        place: "Huis van de Vlaamse Steden, Brussel",
        start: "09:00",
        end: "12:30",
        questions: "Functie *\nDieetwensen\nWelke vraag wil je zeker behandeld zien?",
        evaluation: EVALUATION,
        certificates: true,
        sessions: &[
            session(
                "risicobeheersing-juridisch",
                "Risicobeheersing: juridisch management",
                "opleiding",
                -130,
                16,
                13,
            ),
            session(
                "risicobeheersing-klimaat",
                "Risicobeheersing: klimaat",
                "opleiding",
                -60,
                16,
                15,
            ),
            session(
                "risicobeheersing-bedrijfscontinuiteit",
                "Risicobeheersing: bedrijfscontinuïteit",
                "opleiding",
                21,
                16,
                19,
            ),
            session(
                "risicobeheersing-deontologie",
                "Risicobeheersing: deontologie",
                "opleiding",
                90,
                16,
                4,
            ),
            session(
                "kbo-netwerkdag",
                "KBO-netwerkdag",
                "netwerkdag",
                56,
                40,
                9,
            ),
        ],
    },
    Programme {
        series_slug: Some("masterclass-renovatiebeleid"),
        title: "Masterclass lokaal langetermijnrenovatiebeleid",
        description: "Terugkomdagen voor de deelnemers van de masterclass renovatiebeleid voor \
            het privaat patrimonium: wat werd er sindsdien in de meerjarenplanning opgenomen?",
        place: "Provinciehuis Leuven",
        start: "09:30",
        end: "16:00",
        questions: "Lokaal bestuur *\nNam je deel aan de masterclass?: Ja | Nee *\nDieetwensen",
        evaluation: EVALUATION,
        certificates: true,
        sessions: &[
            session(
                "masterclass-renovatie-terugkomdag-1",
                "Masterclass renovatiebeleid: eerste terugkomdag",
                "terugkomdag",
                -45,
                28,
                15,
            ),
            session(
                "masterclass-renovatie-terugkomdag-2",
                "Masterclass renovatiebeleid: tweede terugkomdag",
                "terugkomdag",
                70,
                28,
                7,
            ),
        ],
    },
    Programme {
        series_slug: None,
        title: "Studiedag Smart Flanders",
        description: "Goede praktijken van de centrumsteden met slimme toepassingen, gedeeld met \
            andere (provincie)steden en gemeenten: sensordata, open standaarden en \
            gedeelde platformen.",
        place: "Huis van de Vlaamse Steden, Brussel",
        start: "09:30",
        end: "16:30",
        questions: "Lokaal bestuur *\nWorkshop in de namiddag: Sensordata | Open standaarden | Gedeelde platformen *\nDieetwensen",
        evaluation: "",
        certificates: false,
        sessions: &[session(
            "studiedag-smart-flanders",
            "Studiedag Smart Flanders: slimme steden delen hun praktijk",
            "studiedag",
            49,
            60,
            8,
        )],
    },
];

/// Answers to the registration questions, varied per person.
fn answers(questions: &[events::Question], person: usize) -> BTreeMap<String, String> {
    const DIETS: &[&str] = &["", "", "vegetarisch", "", "glutenvrij", "", "halal"];
    const FREE: &[&str] = &[
        "Beleidsmedewerker",
        "Interne auditor",
        "Diensthoofd organisatiebeheersing",
        "Projectleider",
        "Stafmedewerker",
    ];
    let mut map = BTreeMap::new();
    for question in questions {
        let value = if !question.options.is_empty() {
            question.options[person % question.options.len()].clone()
        } else if question.label.starts_with("Dieet") {
            DIETS[person % DIETS.len()].to_string()
        } else if question.label.starts_with("Lokaal bestuur") {
            format!("Stad {}", PEOPLE[person % PEOPLE.len()].1)
        } else if question.label.starts_with("Welke vraag") {
            if person.is_multiple_of(3) {
                "Hoe rapporteren we risico's aan het college?".to_string()
            } else {
                String::new()
            }
        } else {
            FREE[person % FREE.len()].to_string()
        };
        if !value.is_empty() {
            map.insert(question.key.clone(), value);
        }
    }
    map
}

const TAKEAWAYS: &[&str] = &[
    "Het voorbeeld van een andere stad om mee te starten.",
    "Contacten met collega's die met hetzelfde bezig zijn.",
    "Een concrete checklist voor ons team.",
    "Meer tijd voor vragen zou welkom zijn.",
    "De aanpak past goed bij onze meerjarenplanning.",
];

/// Registers `count` people from `offset` on; returns the confirmed registrations' ids.
async fn register(
    tx: &mut Tx<'_>,
    event_id: &str,
    questions: &[events::Question],
    offset: usize,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let mut confirmed = Vec::new();
    for n in 0..count {
        let person = (offset + n) % PEOPLE.len();
        let (first, city) = PEOPLE[person];
        let mut fields = answers(questions, person);
        fields.insert("name".into(), members::name(first, city));
        fields.insert("email".into(), members::email(first, city));
        let organisation = if city == "VGC" {
            "Vlaamse Gemeenschapscommissie".to_string()
        } else {
            format!("Stad {city}")
        };
        fields.insert("organisation_text".into(), organisation);
        let done = registrations::register(
            tx,
            event_id,
            &Registrant::Anonymous,
            &fields,
            super::BASE_URL,
        )
        .await?;
        if done.status == RegistrationStatus::Bevestigd {
            confirmed.push(done.id);
        }
    }
    Ok(confirmed)
}

/// A past event: attendance (one in six absent) and the present participants' evaluations.
async fn close_past(
    tx: &mut Tx<'_>,
    event_id: &str,
    date: &str,
    evaluation: &str,
    confirmed: &[String],
    actor: &AuditActor,
) -> anyhow::Result<()> {
    event_backdate::move_to_past(tx, event_id, date, actor).await?;
    let present: Vec<String> = confirmed
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 6 != 5)
        .map(|(_, id)| id.clone())
        .collect();
    attendance::record(tx, event_id, &present, actor).await?;
    if evaluation.is_empty() {
        return Ok(());
    }
    evaluations::set_questions(tx, event_id, evaluation, actor).await?;
    let questions = evaluations::questions(&mut **tx, event_id).await?;
    // Most present participants answer; the scales lean to satisfied, not all alike.
    for (n, registration) in present.iter().enumerate().filter(|(n, _)| n % 4 != 3) {
        let mut fields = BTreeMap::new();
        for (q, question) in questions.iter().enumerate() {
            let value = if question.is_scale() {
                const SCALE: &[&str] = &["4", "5", "4", "3", "5", "4", "2", "5"];
                SCALE[(n + 3 * q) % SCALE.len()].to_string()
            } else if n % 2 == 0 {
                TAKEAWAYS[(n / 2) % TAKEAWAYS.len()].to_string()
            } else {
                continue;
            };
            fields.insert(format!("q_{}", question.id), value);
        }
        evaluations::submit(tx, event_id, registration, &fields).await?;
    }
    Ok(())
}

pub async fn seed(db: &Db, facilitator: &str) -> anyhow::Result<()> {
    let actor = AuditActor::user(facilitator);
    let series = events::list_series(db.pool()).await?;
    let today = meetings::today();
    for (p, programme) in PROGRAMMES.iter().enumerate() {
        let exists = match programme.series_slug {
            Some(slug) => series.iter().any(|s| s.slug == slug),
            None => events::find_by_slug(db.pool(), programme.sessions[0].slug)
                .await?
                .is_some(),
        };
        if exists {
            continue;
        }
        let mut tx = db.begin().await?;
        let series_id = match programme.series_slug {
            Some(slug) => {
                events::create_series(
                    &mut tx,
                    slug,
                    programme.title,
                    programme.description,
                    &actor,
                )
                .await?
            }
            None => String::new(),
        };
        for (s, session) in programme.sessions.iter().enumerate() {
            // A past event is made 30 days ahead (the form refuses the past), then moved.
            let days = if session.days < 0 { 30 } else { session.days };
            let fields = EventFields {
                slug: session.slug.into(),
                title: session.title.into(),
                kind: session.kind.into(),
                series_id: series_id.clone(),
                description_md: programme.description.into(),
                local_date: (today + Duration::days(days))
                    .format("%Y-%m-%d")
                    .to_string(),
                local_start: programme.start.into(),
                local_end: programme.end.into(),
                place: programme.place.into(),
                registration: "publiek".into(),
                capacity: if session.capacity == 0 {
                    String::new()
                } else {
                    session.capacity.to_string()
                },
                waitlist: "1".into(),
                questions: programme.questions.into(),
                certificates: if programme.certificates { "1" } else { "" }.into(),
                ..EventFields::default()
            };
            let id = events::create(&mut tx, &fields, facilitator, &actor).await?;
            let questions = events::parse_question_lines(programme.questions)
                .map_err(|message| anyhow::anyhow!(message))?;
            let offset = 5 * p + 3 * s;
            let confirmed = register(&mut tx, &id, &questions, offset, session.registrants).await?;
            if session.days < 0 {
                let date = (today + Duration::days(session.days))
                    .format("%Y-%m-%d")
                    .to_string();
                close_past(
                    &mut tx,
                    &id,
                    &date,
                    programme.evaluation,
                    &confirmed,
                    &actor,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

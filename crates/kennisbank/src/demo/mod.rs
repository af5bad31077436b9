//! The demo site for `steden serve --demo`: pages, news and projects, a Kennisbank of sample
//! documents that the project generates itself (PDF and DOCX, see [`crate::samples`]), the
//! GDPR working group's library, the Stadsgenoten publication and an archive per programme
//! period, a glossary and featured items on the home page. Everything goes through the same
//! store functions the editors' pages use, so documents are extracted by the real job.
//!
//! Idempotent: each item is created only when no item with its slug or title exists, so a
//! start that failed halfway can run it again.

pub mod content;

use anyhow::{anyhow, Context};
use steden_core::audit::AuditActor;
use steden_core::org;
use steden_db::{now_ms, Db};
use steden_plan::site::match_key;
use steden_web::DemoUser;

use crate::access;
use crate::model::PageKind;
use crate::samples;
use crate::store::collections::{self, CollectionFields, EntryFields};
use crate::store::documents::{self, DocumentFields, NewFile};
use crate::store::pages::{self, PageDraft};
use crate::store::{featured, terms};
use crate::structure::{Structure, PROGRAMME, WERKSPOOR};
use content::{DemoDocument, DOCUMENTS, NEWS, PAGES, PROJECTS, TERMS};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn user_id<'a>(users: &'a [DemoUser], email_prefix: &str) -> Option<&'a str> {
    users
        .iter()
        .find(|u| u.email.starts_with(email_prefix))
        .map(|u| u.id.as_str())
}

pub async fn seed(db: &Db, users: &[DemoUser]) -> anyhow::Result<()> {
    let kenniscentrum = access::kenniscentrum_id(db).await?;
    let actor = user_id(users, "medewerker@")
        .map(AuditActor::user)
        .unwrap_or_else(AuditActor::system);

    // The GDPR working group, with the Gent editor in it (to try the werkgroep access rule).
    let mut conn = db.pool().acquire().await?;
    let gdpr = steden_core::working_group::ensure(&mut conn, "gdpr", "Werkgroep GDPR").await?;
    for prefix in ["redacteur.gent@", "medewerker@"] {
        if let Some(id) = user_id(users, prefix) {
            steden_core::working_group::add_member(&mut conn, &gdpr, id).await?;
        }
    }
    drop(conn);

    seed_pages(db, &actor, &kenniscentrum)
        .await
        .context("demo: pagina's")?;
    let documents = seed_documents(db, &actor, &gdpr)
        .await
        .context("demo: documenten")?;
    seed_collections(db, &actor, &kenniscentrum, &documents)
        .await
        .context("demo: collecties")?;
    seed_terms(db, &actor, &kenniscentrum)
        .await
        .context("demo: begrippen")?;
    seed_featured(db, &actor, &kenniscentrum)
        .await
        .context("demo: uitgelicht")?;
    Ok(())
}

fn draft(kind: PageKind, slug: &str, title: &str, summary: &str, body: &str) -> PageDraft {
    PageDraft {
        kind: kind.as_str().to_string(),
        title: title.to_string(),
        slug: slug.to_string(),
        summary: summary.to_string(),
        body_md: body.to_string(),
        status: "gepubliceerd".to_string(),
        ..PageDraft::default()
    }
}

async fn seed_pages(db: &Db, actor: &AuditActor, kenniscentrum: &str) -> anyhow::Result<()> {
    let now = now_ms();
    // One transaction for all pages: a demo that fails halfway leaves none of them.
    let mut tx = db.begin().await?;
    for page in PAGES {
        if pages::find_by_slug(&mut *tx, PageKind::Pagina, page.slug)
            .await?
            .is_none()
        {
            let d = draft(
                PageKind::Pagina,
                page.slug,
                page.title,
                page.summary,
                page.body,
            );
            pages::create(&mut tx, &d, actor, kenniscentrum).await?;
        }
    }
    for news in NEWS {
        if pages::find_by_slug(&mut *tx, PageKind::Nieuws, news.slug)
            .await?
            .is_none()
        {
            let mut d = draft(
                PageKind::Nieuws,
                news.slug,
                news.title,
                news.summary,
                news.body,
            );
            d.publish_at = pages::local_moment_value(now - news.days_ago * DAY_MS);
            pages::create(&mut tx, &d, actor, kenniscentrum).await?;
        }
    }
    // One news item scheduled for next week and one draft, to show the publication states.
    let scheduled = [
        (
            "studiedag-klimaat",
            "Studiedag klimaatregie in de steden",
            "gepland",
            7,
        ),
        (
            "concept-jaarverslag",
            "Jaarverslag 2025 (concept)",
            "concept",
            0,
        ),
    ];
    for (slug, title, status, days_ahead) in scheduled {
        if pages::find_by_slug(&mut *tx, PageKind::Nieuws, slug)
            .await?
            .is_none()
        {
            let mut d = draft(
                PageKind::Nieuws,
                slug,
                title,
                "Voorbeeld van een bericht dat nog niet online staat.",
                "Dit bericht is nog niet zichtbaar voor bezoekers.\n\n*Voorbeeldbericht van de demo.*",
            );
            d.status = status.to_string();
            if days_ahead > 0 {
                d.publish_at = pages::local_moment_value(now + days_ahead * DAY_MS);
            }
            pages::create(&mut tx, &d, actor, kenniscentrum).await?;
        }
    }
    for (slug, title, summary, body, ongoing) in PROJECTS {
        if pages::find_by_slug(&mut *tx, PageKind::Project, slug)
            .await?
            .is_none()
        {
            let mut d = draft(PageKind::Project, slug, title, summary, body);
            d.project_state = if *ongoing { "lopend" } else { "afgerond" }.to_string();
            pages::create(&mut tx, &d, actor, kenniscentrum).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Where a demo document is filed: the programme of the published jaarplan whose title starts
/// like the demo's name ("Klimaat", "O(mgeving) B(eleid) ..."), and its werkspoor of that
/// title, as item ids. An older programme name that the jaarplan does not have (Armoede,
/// Stadsmonitor, ...) leaves the document without a programme: the store refuses names that
/// are not in the plan.
fn place_for(doc: &DemoDocument, structure: &Structure) -> (Option<String>, Option<String>) {
    let name = match_key(doc.programme);
    let Some(programme) = structure.plans.first().and_then(|plan| {
        plan.items.iter().find(|i| {
            let title = match_key(&i.title);
            i.depth == PROGRAMME
                && !name.is_empty()
                && (title.starts_with(&name) || name.starts_with(&title))
        })
    }) else {
        return (None, None);
    };
    let werkspoor = documents::resolve(
        structure,
        doc.werkspoor,
        WERKSPOOR,
        Some(&programme.id),
        None,
    )
    .map(|w| w.id.clone());
    (Some(programme.id.clone()), werkspoor)
}

async fn organisation_ids(db: &Db, slugs: &[&str]) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for slug in slugs {
        if let Some(org) = org::find_by_slug(db.pool(), slug).await? {
            ids.push(org.id);
        }
    }
    Ok(ids)
}

fn file_for(doc: &DemoDocument) -> Option<NewFile> {
    let slug = crate::model::slugify(doc.title);
    match doc.format {
        "pdf" => Some(NewFile {
            filename: format!("{slug}.pdf"),
            bytes: samples::pdf(doc.title, &paragraphs_of(doc)),
        }),
        "docx" => Some(NewFile {
            filename: format!("{slug}.docx"),
            bytes: samples::docx(doc.title, &paragraphs_of(doc)),
        }),
        _ => None,
    }
}

fn paragraphs_of(doc: &DemoDocument) -> Vec<&'static str> {
    let mut paragraphs = vec![doc.summary];
    paragraphs.extend(doc.paragraphs.iter().copied());
    paragraphs.push("Dit is een voorbeelddocument van de demo van het Stedenplatform.");
    paragraphs
}

/// Creates the demo documents; returns (title, id) of each.
async fn seed_documents(
    db: &Db,
    actor: &AuditActor,
    gdpr_group: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let structure = Structure::read(db).await?;
    let gent = org::find_by_slug(db.pool(), "gent")
        .await?
        .ok_or_else(|| anyhow!("organisatie gent ontbreekt"))?
        .id;
    let mut created = Vec::new();
    for doc in DOCUMENTS {
        let existing = documents::find_id_by_title(db.pool(), doc.title).await?;
        if let Some(id) = existing {
            created.push((doc.title.to_string(), id));
            continue;
        }
        let (access, organisation, group) = match doc.access {
            "werkgroep-gdpr" => ("werkgroep", None, Some(gdpr_group.to_string())),
            "organisatie-gent" => ("organisatie", Some(gent.clone()), None),
            other => (other, None, None),
        };
        let (programme, werkspoor) = place_for(doc, &structure);
        let fields = DocumentFields {
            title: doc.title.to_string(),
            summary: doc.summary.to_string(),
            doc_type: doc.doc_type.to_string(),
            programme,
            werkspoor,
            themes: doc.themes.iter().map(|t| t.to_string()).collect(),
            organisations: organisation_ids(db, doc.organisations).await?,
            period: None,
            doc_date: Some(doc.date.to_string()),
            language: "nl".to_string(),
            access: access.to_string(),
            access_organisation_id: organisation,
            access_group_id: group,
            external_url: (doc.format == "link")
                .then(|| "https://www.vlaanderen.be/digitaal-vlaanderen".to_string()),
        };
        let mut tx = db.begin().await?;
        let document = documents::create(&mut tx, &fields, file_for(doc), actor)
            .await
            .with_context(|| format!("document {}", doc.title))?;
        tx.commit().await?;
        created.push((doc.title.to_string(), document.id));
    }
    Ok(created)
}

fn id_of<'a>(documents: &'a [(String, String)], title_start: &str) -> Option<&'a str> {
    documents
        .iter()
        .find(|(title, _)| title.starts_with(title_start))
        .map(|(_, id)| id.as_str())
}

async fn seed_collections(
    db: &Db,
    actor: &AuditActor,
    kenniscentrum: &str,
    documents: &[(String, String)],
) -> anyhow::Result<()> {
    struct Spec {
        slug: &'static str,
        title: &'static str,
        description: &'static str,
        kind: &'static str,
        period: &'static str,
        /// (document title start, section, evaluation status, action points)
        entries: &'static [(&'static str, &'static str, &'static str, &'static str)],
    }
    let specs = [
        Spec {
            slug: "gdpr-bibliotheek",
            title: "GDPR-bibliotheek: standaarddocumenten",
            description: "De werkgroep GDPR verzamelt en evalueert standaarddocumenten voor lokale besturen, per thema. Bij elk document staat hoe ver de evaluatie is en welke actiepunten er zijn.\n\n*Voorbeeldcollectie van de demo.*",
            kind: "thematisch",
            period: "",
            entries: &[
                ("Standaard verwerkersovereenkomst", "Contracten", "goedgekeurd", "Jaarlijks nakijken op nieuwe rechtspraak."),
                ("Model register van verwerkingsactiviteiten", "Register van verwerkingen", "in-evaluatie", "Velden voor bewaartermijnen afstemmen met het archief."),
                ("Sjabloon gegevensbeschermingseffectbeoordeling", "Risicobeheer", "te-evalueren", "Voorleggen aan de DPO's in de volgende workshop."),
            ],
        },
        Spec {
            slug: "stadsgenoten",
            title: "Stadsgenoten",
            description: "De publicatie Stadsgenoten verbindt stedelijke organisatie en diversiteit, met een werkboek voor teams.\n\n*Voorbeeldcollectie van de demo.*",
            kind: "publicatie",
            period: "",
            entries: &[
                ("Stadsgenoten: diversiteit", "", "", ""),
                ("Stadsgenoten: werkboek", "", "", ""),
            ],
        },
        Spec { slug: "archief-2007-2011", title: "Archief 2007-2011", description: "Het materiaal van de eerste programmaperiode.", kind: "archief", period: "2007-2011", entries: &[] },
        Spec { slug: "archief-2012-2016", title: "Archief 2012-2016", description: "Het materiaal van de tweede programmaperiode.", kind: "archief", period: "2012-2016", entries: &[] },
        Spec { slug: "archief-2017-2021", title: "Archief 2017-2021", description: "Het materiaal van de derde programmaperiode.", kind: "archief", period: "2017-2021", entries: &[] },
        Spec { slug: "archief-2022-2026", title: "Archief 2022-2026", description: "Het materiaal van de lopende programmaperiode.", kind: "archief", period: "2022-2026", entries: &[] },
    ];
    for spec in specs {
        if collections::find_by_slug(db.pool(), spec.slug)
            .await?
            .is_some()
        {
            continue;
        }
        let mut tx = db.begin().await?;
        let collection = collections::create(
            &mut tx,
            &CollectionFields {
                title: spec.title.to_string(),
                slug: spec.slug.to_string(),
                description: spec.description.to_string(),
                kind: spec.kind.to_string(),
                period: spec.period.to_string(),
            },
            actor,
            kenniscentrum,
        )
        .await?;
        for (title, section, status, actions) in spec.entries {
            if let Some(document_id) = id_of(documents, title) {
                let fields = EntryFields {
                    section: section.to_string(),
                    evaluation_status: status.to_string(),
                    action_points: actions.to_string(),
                };
                collections::add_entry(
                    &mut tx,
                    &collection.id,
                    document_id,
                    &fields,
                    actor,
                    kenniscentrum,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(())
}

async fn seed_terms(db: &Db, actor: &AuditActor, kenniscentrum: &str) -> anyhow::Result<()> {
    let existing = terms::list(db.pool()).await?;
    if !existing.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let mut ids = Vec::new();
    for (term, definition, source, synonyms, _) in TERMS {
        let created = terms::create(
            &mut tx,
            &terms::TermFields {
                term: term.to_string(),
                definition: definition.to_string(),
                source: source.to_string(),
                synonyms: synonyms.join(", "),
                related: Vec::new(),
            },
            actor,
            kenniscentrum,
        )
        .await?;
        ids.push((term.to_string(), created.id));
    }
    for (term, definition, source, synonyms, related) in TERMS {
        if related.is_empty() {
            continue;
        }
        let id = &ids
            .iter()
            .find(|(t, _)| t == term)
            .expect("created above")
            .1;
        // Relations are symmetric and saving a term rewrites all of its relations, so each
        // save names both the terms it lists and the terms that list it.
        let listing_it = TERMS
            .iter()
            .filter(|(_, _, _, _, theirs)| theirs.contains(term))
            .map(|(other, ..)| other);
        let related_ids = related
            .iter()
            .chain(listing_it)
            .filter_map(|r| ids.iter().find(|(t, _)| t == r).map(|(_, id)| id.clone()))
            .collect();
        terms::update(
            &mut tx,
            id,
            &terms::TermFields {
                term: term.to_string(),
                definition: definition.to_string(),
                source: source.to_string(),
                synonyms: synonyms.join(", "),
                related: related_ids,
            },
            actor,
            kenniscentrum,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn seed_featured(db: &Db, actor: &AuditActor, kenniscentrum: &str) -> anyhow::Result<()> {
    if !featured::entries(db.pool()).await?.is_empty() {
        return Ok(());
    }
    let mut targets = Vec::new();
    if let Some(page) =
        pages::find_by_slug(db.pool(), PageKind::Nieuws, "nieuwe-kennisbank-online").await?
    {
        targets.push(format!("nieuws:{}", page.id));
    }
    if let Some(collection) = collections::find_by_slug(db.pool(), "stadsgenoten").await? {
        targets.push(format!("collectie:{}", collection.id));
    }
    let klimaat =
        documents::find_id_by_title(db.pool(), "Klimaatgovernance in de centrumsteden").await?;
    if let Some(id) = klimaat {
        targets.push(format!("document:{id}"));
    }
    if let Some(page) =
        pages::find_by_slug(db.pool(), PageKind::Project, "rechtenverkenner-2-0").await?
    {
        targets.push(format!("project:{}", page.id));
    }
    let mut tx = db.begin().await?;
    for target in targets {
        featured::add(&mut tx, &target, actor, kenniscentrum).await?;
    }
    tx.commit().await?;
    Ok(())
}

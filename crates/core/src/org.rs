//! Organisations: the Kenniscentrum, the centrumsteden, the VGC, OCMW's and partners, with
//! their official codes. Codes (REFNIS) change when municipalities merge, so each one is kept
//! with the period in which it is valid and looked up for a date, never used as a constant.

use chrono::NaiveDate;
use sqlx::{Any, Executor, Row};
use steden_db::{new_id, now_ms, AnyRow, Db, Tx};

use crate::audit::{self, AuditActor, Changes, NewEntry};
use crate::error::{CoreError, CoreResult};

/// The code scheme of Statbel's municipality codes.
pub const REFNIS: &str = "refnis";

/// What kind of organisation this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    Kenniscentrum,
    Centrumstad,
    Vgc,
    Ocmw,
    Partner,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Kenniscentrum,
        OrgKind::Centrumstad,
        OrgKind::Vgc,
        OrgKind::Ocmw,
        OrgKind::Partner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Kenniscentrum => "kenniscentrum",
            OrgKind::Centrumstad => "centrumstad",
            OrgKind::Vgc => "vgc",
            OrgKind::Ocmw => "ocmw",
            OrgKind::Partner => "partner",
        }
    }

    pub fn parse(value: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organisation {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Organisation {
    fn from_row(row: &AnyRow) -> Organisation {
        let kind: String = row.get("kind");
        Organisation {
            id: row.get("id"),
            slug: row.get("slug"),
            name: row.get("name"),
            // Only this module writes the column, from an OrgKind.
            kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Partner),
            created_at: row.get("created_at"),
            updated_at: row.get("updated_at"),
        }
    }
}

/// An official code of an organisation, valid from `valid_from` up to and including
/// `valid_until` (either may be open).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgCode {
    pub scheme: String,
    pub code: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

impl OrgCode {
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date)
            && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// The code of `scheme` valid on `date`, among `codes`.
pub fn code_on<'a>(codes: &'a [OrgCode], scheme: &str, date: NaiveDate) -> Option<&'a str> {
    codes
        .iter()
        .find(|c| c.scheme == scheme && c.valid_on(date))
        .map(|c| c.code.as_str())
}

const COLUMNS: &str = "id, slug, name, kind, created_at, updated_at";

/// Every organisation, by name.
pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<Organisation>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations ORDER BY name"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(Organisation::from_row).collect())
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Organisation> {
    find(exec, id)
        .await?
        .ok_or(CoreError::NotFound("organisatie"))
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    id: &str,
) -> CoreResult<Option<Organisation>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(Organisation::from_row))
}

pub async fn find_by_slug<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    slug: &str,
) -> CoreResult<Option<Organisation>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM organisations WHERE slug = $1"
    ))
    .bind(slug)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(Organisation::from_row))
}

fn parse_stored_date(value: Option<String>) -> Option<NaiveDate> {
    value.and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok())
}

/// The codes of one organisation, oldest first.
pub async fn codes<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: &str,
) -> CoreResult<Vec<OrgCode>> {
    let rows = sqlx::query(
        "SELECT scheme, code, valid_from, valid_until FROM organisation_codes
         WHERE organisation_id = $1 ORDER BY scheme, valid_from, code",
    )
    .bind(organisation_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| OrgCode {
            scheme: row.get("scheme"),
            code: row.get("code"),
            valid_from: parse_stored_date(row.get("valid_from")),
            valid_until: parse_stored_date(row.get("valid_until")),
        })
        .collect())
}

/// The REFNIS code of an organisation on `date`, if it has one then.
pub async fn refnis_on<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    organisation_id: &str,
    date: NaiveDate,
) -> CoreResult<Option<String>> {
    let all = codes(exec, organisation_id).await?;
    Ok(code_on(&all, REFNIS, date).map(str::to_string))
}

/// The REFNIS code of every organisation on `date` (for lists), as (organisation id, code).
pub async fn refnis_codes_on(db: &Db, date: NaiveDate) -> CoreResult<Vec<(String, String)>> {
    let day = date.format("%Y-%m-%d").to_string();
    // 'YYYY-MM-DD' text compares like the dates it holds.
    let rows = sqlx::query(
        "SELECT organisation_id, code FROM organisation_codes
         WHERE scheme = $1 AND (valid_from IS NULL OR valid_from <= $2)
           AND (valid_until IS NULL OR valid_until >= $2)",
    )
    .bind(REFNIS)
    .bind(&day)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A new organisation.
#[derive(Debug, Clone)]
pub struct NewOrganisation<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: OrgKind,
}

fn validate(new: &NewOrganisation<'_>) -> CoreResult<()> {
    let mut errors = Vec::new();
    let name = new.name.trim();
    if name.is_empty() {
        errors.push(crate::FieldError::new("name", "Vul een naam in."));
    } else if name.chars().count() > 200 {
        errors.push(crate::FieldError::new(
            "name",
            "De naam is te lang (maximaal 200 tekens).",
        ));
    }
    let slug_ok = !new.slug.is_empty()
        && new.slug.len() <= 80
        && new
            .slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug_ok {
        errors.push(crate::FieldError::new(
            "slug",
            "De korte naam mag alleen kleine letters, cijfers en koppeltekens bevatten.",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Invalid(errors))
    }
}

/// Creates an organisation, unless one with this slug exists (then returns that one and
/// `false`). Safe when two processes do it at once: the unique slug decides.
pub async fn ensure(
    tx: &mut Tx<'_>,
    new: &NewOrganisation<'_>,
    actor: &AuditActor,
) -> CoreResult<(Organisation, bool)> {
    validate(new)?;
    let now = now_ms();
    let id = new_id();
    // Insert first: on SQLite this takes the write lock at once, so two starting servers
    // queue instead of deadlocking on a read-then-write upgrade.
    let inserted = sqlx::query(
        "INSERT INTO organisations (id, slug, name, kind, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (slug) DO NOTHING",
    )
    .bind(&id)
    .bind(new.slug)
    .bind(new.name.trim())
    .bind(new.kind.as_str())
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    let org = find_by_slug(&mut **tx, new.slug)
        .await?
        .ok_or(CoreError::NotFound("organisatie"))?;
    if inserted {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: Some(&org.id),
                entity_type: "organisation",
                entity_id: &org.id,
                action: "create",
                summary: &format!("Organisatie {} aangemaakt", org.name),
                changes: Changes::new()
                    .created("name", &org.name)
                    .created("slug", &org.slug)
                    .created("kind", org.kind.as_str()),
            },
        )
        .await?;
    }
    Ok((org, inserted))
}

/// Adds a code with its validity period (dates as `YYYY-MM-DD`), unless it is already there.
pub async fn add_code(
    tx: &mut Tx<'_>,
    organisation_id: &str,
    scheme: &str,
    code: &str,
    valid_from: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    actor: &AuditActor,
) -> CoreResult<bool> {
    if let (Some(from), Some(until)) = (valid_from, valid_until) {
        if until < from {
            return Err(CoreError::invalid(
                "valid_until",
                "De einddatum ligt voor de begindatum.",
            ));
        }
    }
    let fmt = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let inserted = sqlx::query(
        "INSERT INTO organisation_codes (organisation_id, scheme, code, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id, scheme, code) DO NOTHING",
    )
    .bind(organisation_id)
    .bind(scheme)
    .bind(code)
    .bind(fmt(valid_from))
    .bind(fmt(valid_until))
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        audit::record(
            tx,
            NewEntry {
                actor,
                organisation_id: Some(organisation_id),
                entity_type: "organisation",
                entity_id: organisation_id,
                action: "add_code",
                summary: &format!("Code {scheme} {code} toegevoegd"),
                changes: Changes::new()
                    .created("code", code)
                    .created("valid_from", fmt(valid_from))
                    .created("valid_until", fmt(valid_until)),
            },
        )
        .await?;
    }
    Ok(inserted)
}

/// One default organisation: slug, name, kind and its REFNIS codes (code, from, until).
type Seed = (
    &'static str,
    &'static str,
    OrgKind,
    &'static [(&'static str, Option<&'static str>, Option<&'static str>)],
);

/// The organisations every installation starts with. Hasselt merged with Kortessem on
/// 1 January 2025 and received a new code; Antwerpen kept its code after absorbing Borsbeek.
const DEFAULTS: &[Seed] = &[
    (
        "kenniscentrum",
        "Kenniscentrum Vlaamse Steden",
        OrgKind::Kenniscentrum,
        &[],
    ),
    (
        "aalst",
        "Aalst",
        OrgKind::Centrumstad,
        &[("41002", None, None)],
    ),
    (
        "antwerpen",
        "Antwerpen",
        OrgKind::Centrumstad,
        &[("11002", None, None)],
    ),
    (
        "brugge",
        "Brugge",
        OrgKind::Centrumstad,
        &[("31005", None, None)],
    ),
    (
        "genk",
        "Genk",
        OrgKind::Centrumstad,
        &[("71016", None, None)],
    ),
    (
        "gent",
        "Gent",
        OrgKind::Centrumstad,
        &[("44021", None, None)],
    ),
    (
        "hasselt",
        "Hasselt",
        OrgKind::Centrumstad,
        &[
            ("71022", None, Some("2024-12-31")),
            ("71072", Some("2025-01-01"), None),
        ],
    ),
    (
        "kortrijk",
        "Kortrijk",
        OrgKind::Centrumstad,
        &[("34022", None, None)],
    ),
    (
        "leuven",
        "Leuven",
        OrgKind::Centrumstad,
        &[("24062", None, None)],
    ),
    (
        "mechelen",
        "Mechelen",
        OrgKind::Centrumstad,
        &[("12025", None, None)],
    ),
    (
        "oostende",
        "Oostende",
        OrgKind::Centrumstad,
        &[("35013", None, None)],
    ),
    (
        "roeselare",
        "Roeselare",
        OrgKind::Centrumstad,
        &[("36015", None, None)],
    ),
    (
        "sint-niklaas",
        "Sint-Niklaas",
        OrgKind::Centrumstad,
        &[("46021", None, None)],
    ),
    (
        "turnhout",
        "Turnhout",
        OrgKind::Centrumstad,
        &[("13040", None, None)],
    ),
    ("vgc", "Vlaamse Gemeenschapscommissie", OrgKind::Vgc, &[]),
    ("vvsg", "VVSG", OrgKind::Partner, &[]),
];

/// Seeds the default organisations and their codes. Idempotent and safe to run at every
/// start, also from several servers at once; returns how many organisations were new.
pub async fn seed_defaults(db: &Db) -> CoreResult<usize> {
    let actor = AuditActor::system();
    let mut tx = db.begin().await?;
    let mut created = 0;
    for (slug, name, kind, codes) in DEFAULTS {
        let (org, inserted) = ensure(
            &mut tx,
            &NewOrganisation {
                slug,
                name,
                kind: *kind,
            },
            &actor,
        )
        .await?;
        created += usize::from(inserted);
        for (code, from, until) in *codes {
            let date =
                |d: &Option<&str>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            add_code(
                &mut tx,
                &org.id,
                REFNIS,
                code,
                date(from),
                date(until),
                &actor,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;
    use steden_db::testing::each_backend;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn validity_periods_are_inclusive() {
        let codes = vec![
            OrgCode {
                scheme: REFNIS.into(),
                code: "71022".into(),
                valid_from: None,
                valid_until: Some(day("2024-12-31")),
            },
            OrgCode {
                scheme: REFNIS.into(),
                code: "71072".into(),
                valid_from: Some(day("2025-01-01")),
                valid_until: None,
            },
        ];
        assert_eq!(code_on(&codes, REFNIS, day("2024-12-31")), Some("71022"));
        assert_eq!(code_on(&codes, REFNIS, day("2025-01-01")), Some("71072"));
        assert_eq!(code_on(&codes, "nis", day("2025-01-01")), None);
    }

    #[tokio::test]
    async fn seeding_is_idempotent_and_hasselt_changes_code() {
        each_backend(&crate::all_migrations(), |db| async move {
            // Two servers starting at once on one database.
            let (a, b) = tokio::join!(seed_defaults(&db), seed_defaults(&db));
            assert_eq!(a.unwrap() + b.unwrap(), 16);
            assert_eq!(seed_defaults(&db).await.unwrap(), 0);

            let all = list(db.pool()).await.unwrap();
            assert_eq!(all.len(), 16);
            let count = |kind| all.iter().filter(|o| o.kind == kind).count();
            assert_eq!(count(OrgKind::Centrumstad), 13);
            assert_eq!(count(OrgKind::Kenniscentrum), 1);
            assert_eq!(count(OrgKind::Vgc), 1);
            assert_eq!(count(OrgKind::Partner), 1);
            let codes: i64 = sqlx::query("SELECT COUNT(*) FROM organisation_codes")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .get(0);
            assert_eq!(codes, 14);
            let entries: i64 = sqlx::query(
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'organisation' AND action = 'create'",
            )
            .fetch_one(db.pool())
            .await
            .unwrap()
            .get(0);
            assert_eq!(entries, 16, "one audit entry per organisation, not per seeding");

            let hasselt = find_by_slug(db.pool(), "hasselt").await.unwrap().unwrap();
            let before = refnis_on(db.pool(), &hasselt.id, day("2024-12-31")).await.unwrap();
            let after = refnis_on(db.pool(), &hasselt.id, day("2025-01-01")).await.unwrap();
            assert_eq!(before.as_deref(), Some("71022"));
            assert_eq!(after.as_deref(), Some("71072"));
            let gent = find_by_slug(db.pool(), "gent").await.unwrap().unwrap();
            assert_eq!(
                refnis_on(db.pool(), &gent.id, day("2026-11-28")).await.unwrap().as_deref(),
                Some("44021")
            );
            let kc = find_by_slug(db.pool(), "kenniscentrum").await.unwrap().unwrap();
            assert_eq!(refnis_on(db.pool(), &kc.id, day("2026-11-28")).await.unwrap(), None);

            let listed = refnis_codes_on(&db, day("2025-06-01")).await.unwrap();
            assert_eq!(listed.len(), 13);
            assert!(listed.iter().any(|(id, code)| *id == hasselt.id && code == "71072"));
            assert!(!listed.iter().any(|(_, code)| code == "71022"));
        })
        .await;
    }
}

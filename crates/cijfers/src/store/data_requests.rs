//! Joint data requests (issue 15 point 8): a register of what the cities ask data suppliers
//! together, who takes part, the status with its dates, and the files delivered (imports made
//! from the request's page). Who may do what is in [`crate::access`]; these functions trust
//! their caller on that.

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

/// The statuses, in the order a request goes through them.
pub const STATUSES: [&str; 6] = [
    "draft",
    "sent",
    "in_progress",
    "delivered",
    "refused",
    "closed",
];

/// The Dutch name of a status.
pub fn status_nl(status: &str) -> &'static str {
    match status {
        "draft" => "Ontwerp",
        "sent" => "Verstuurd",
        "in_progress" => "In behandeling",
        "delivered" => "Geleverd",
        "refused" => "Afgewezen",
        "closed" => "Afgesloten",
        _ => "Onbekend",
    }
}

/// A request as stored, with its cities.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRequest {
    pub id: String,
    pub supplier: String,
    pub title: String,
    pub question: String,
    pub contact_name: String,
    pub contact_email: String,
    pub status: String,
    pub requested_on: Option<String>,
    pub expected_on: Option<String>,
    pub delivered_on: Option<String>,
    pub demo: bool,
    pub updated_at: i64,
    /// The participating organisations' ids.
    pub cities: Vec<String>,
}

/// What the form holds, as typed (dates as typed too).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestFields {
    pub supplier: String,
    pub title: String,
    pub question: String,
    pub contact_name: String,
    pub contact_email: String,
    pub status: String,
    pub requested_on: String,
    pub expected_on: String,
    pub delivered_on: String,
    pub cities: Vec<String>,
}

/// Checked fields: trimmed, dates as 'YYYY-MM-DD'.
struct Valid {
    supplier: String,
    title: String,
    question: String,
    contact_name: String,
    contact_email: String,
    status: String,
    requested_on: Option<String>,
    expected_on: Option<String>,
    delivered_on: Option<String>,
}

fn date(errors: &mut Vec<FieldError>, field: &str, label: &str, text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match steden_core::time::iso_date(text) {
        Some(iso) => Some(iso),
        None => {
            errors.push(FieldError::new(
                field,
                format!("{label} is geen datum. Schrijf ze als dd/mm/jjjj."),
            ));
            None
        }
    }
}

impl RequestFields {
    /// Every problem at once, in Dutch, or the checked fields. `known_cities` are the ids of
    /// the organisations that may take part.
    fn validate(&self, known_cities: &[String]) -> CoreResult<Valid> {
        let mut errors = Vec::new();
        let supplier = self.supplier.trim().to_string();
        let title = self.title.trim().to_string();
        if supplier.is_empty() {
            errors.push(FieldError::new("supplier", "Vul de leverancier in."));
        } else if supplier.chars().count() > 120 {
            errors.push(FieldError::new(
                "supplier",
                "De leverancier is te lang (hoogstens 120 tekens).",
            ));
        }
        if title.is_empty() {
            errors.push(FieldError::new("title", "Vul een titel in."));
        } else if title.chars().count() > 200 {
            errors.push(FieldError::new(
                "title",
                "De titel is te lang (hoogstens 200 tekens).",
            ));
        }
        if self.question.chars().count() > 10_000 {
            errors.push(FieldError::new(
                "question",
                "De vraag is te lang (hoogstens 10.000 tekens).",
            ));
        }
        let contact_email = self.contact_email.trim().to_string();
        if !contact_email.is_empty()
            && (!contact_email.contains('@') || contact_email.contains(char::is_whitespace))
        {
            errors.push(FieldError::new(
                "contact_email",
                "Het e-mailadres van de contactpersoon is ongeldig.",
            ));
        }
        if !STATUSES.contains(&self.status.as_str()) {
            errors.push(FieldError::new("status", "Kies een status."));
        }
        if self.cities.iter().any(|c| !known_cities.contains(c)) {
            errors.push(FieldError::new(
                "cities",
                "Kies alleen steden uit de lijst.",
            ));
        }
        let requested_on = date(
            &mut errors,
            "requested_on",
            "De aanvraagdatum",
            &self.requested_on,
        );
        let expected_on = date(
            &mut errors,
            "expected_on",
            "De verwachte datum",
            &self.expected_on,
        );
        let delivered_on = date(
            &mut errors,
            "delivered_on",
            "De leverdatum",
            &self.delivered_on,
        );
        if self.status == "delivered"
            && delivered_on.is_none()
            && self.delivered_on.trim().is_empty()
        {
            errors.push(FieldError::new(
                "delivered_on",
                "Vul de leverdatum in voor een geleverde aanvraag.",
            ));
        }
        if let (Some(asked), Some(came)) = (&requested_on, &delivered_on) {
            if came < asked {
                errors.push(FieldError::new(
                    "delivered_on",
                    "De leverdatum ligt vóór de aanvraagdatum.",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        Ok(Valid {
            supplier,
            title,
            question: self.question.trim().to_string(),
            contact_name: self.contact_name.trim().chars().take(120).collect(),
            contact_email,
            status: self.status.clone(),
            requested_on,
            expected_on,
            delivered_on,
        })
    }
}

const COLUMNS: &str = "id, supplier, title, question, contact_name, contact_email, status,
     requested_on, expected_on, delivered_on, CAST(demo AS BIGINT) AS demo, updated_at";

fn from_row(row: &sqlx::any::AnyRow) -> DataRequest {
    DataRequest {
        id: row.get("id"),
        supplier: row.get("supplier"),
        title: row.get("title"),
        question: row.get("question"),
        contact_name: row.get("contact_name"),
        contact_email: row.get("contact_email"),
        status: row.get("status"),
        requested_on: row.get("requested_on"),
        expected_on: row.get("expected_on"),
        delivered_on: row.get("delivered_on"),
        demo: row.get::<i64, _>("demo") != 0,
        updated_at: row.get("updated_at"),
        cities: Vec::new(),
    }
}

async fn cities_of<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    request_id: &str,
) -> CoreResult<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT organisation_id FROM cijfers_data_request_cities WHERE request_id = $1
         ORDER BY organisation_id",
    )
    .bind(request_id)
    .fetch_all(exec)
    .await?)
}

/// One request with its cities.
pub async fn find(tx_or_pool: &sqlx::AnyPool, id: &str) -> CoreResult<Option<DataRequest>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_data_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(tx_or_pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut request = from_row(&row);
    request.cities = cities_of(tx_or_pool, id).await?;
    Ok(Some(request))
}

/// The requests, newest change first: every one (`taking_part` None, for staff) or those that
/// one of `taking_part` takes part in; filtered by status and supplier when not empty.
pub async fn list(
    pool: &sqlx::AnyPool,
    taking_part: Option<&[String]>,
    status: &str,
    supplier: &str,
) -> CoreResult<Vec<DataRequest>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_data_requests
         WHERE ($1 = '' OR status = $1) AND ($2 = '' OR supplier = $2)
         ORDER BY updated_at DESC, id"
    ))
    .bind(status)
    .bind(supplier)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for row in &rows {
        let mut request = from_row(row);
        request.cities = cities_of(pool, &request.id).await?;
        let visible = match taking_part {
            None => true,
            Some(orgs) => request.cities.iter().any(|c| orgs.contains(c)),
        };
        if visible {
            out.push(request);
        }
    }
    Ok(out)
}

async fn write_cities(tx: &mut Tx<'_>, id: &str, cities: &[String]) -> CoreResult<()> {
    sqlx::query("DELETE FROM cijfers_data_request_cities WHERE request_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut seen = Vec::new();
    for city in cities {
        if seen.contains(&city) {
            continue;
        }
        seen.push(city);
        sqlx::query(
            "INSERT INTO cijfers_data_request_cities (request_id, organisation_id) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(city)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Creates a request; returns its id.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &RequestFields,
    known_cities: &[String],
    demo: bool,
    actor: &AuditActor,
) -> CoreResult<String> {
    let v = fields.validate(known_cities)?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cijfers_data_requests (id, supplier, title, question, contact_name,
             contact_email, status, requested_on, expected_on, delivered_on, demo, created_by,
             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&id)
    .bind(&v.supplier)
    .bind(&v.title)
    .bind(&v.question)
    .bind(&v.contact_name)
    .bind(&v.contact_email)
    .bind(&v.status)
    .bind(&v.requested_on)
    .bind(&v.expected_on)
    .bind(&v.delivered_on)
    .bind(i16::from(demo))
    .bind(actor.user_id.as_deref())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    write_cities(tx, &id, &fields.cities).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_data_request",
            entity_id: &id,
            action: "create",
            summary: &format!("Data-aanvraag bij {}: {}", v.supplier, v.title),
            changes: Changes::new().created("status", &v.status),
        },
    )
    .await?;
    Ok(id)
}

/// Changes a request (its status and dates, cities and the rest).
pub async fn update(
    tx: &mut Tx<'_>,
    current: &DataRequest,
    fields: &RequestFields,
    known_cities: &[String],
    actor: &AuditActor,
) -> CoreResult<()> {
    let v = fields.validate(known_cities)?;
    sqlx::query(
        "UPDATE cijfers_data_requests SET supplier = $2, title = $3, question = $4,
             contact_name = $5, contact_email = $6, status = $7, requested_on = $8,
             expected_on = $9, delivered_on = $10, updated_at = $11
         WHERE id = $1",
    )
    .bind(&current.id)
    .bind(&v.supplier)
    .bind(&v.title)
    .bind(&v.question)
    .bind(&v.contact_name)
    .bind(&v.contact_email)
    .bind(&v.status)
    .bind(&v.requested_on)
    .bind(&v.expected_on)
    .bind(&v.delivered_on)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    write_cities(tx, &current.id, &fields.cities).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_data_request",
            entity_id: &current.id,
            action: "update",
            summary: &format!("Data-aanvraag {} gewijzigd", v.title),
            changes: Changes::new().field("status", current.status.as_str(), v.status.as_str()),
        },
    )
    .await?;
    Ok(())
}

/// Records that upload `import_id` is a file delivered for request `request_id`.
pub async fn add_file<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    request_id: &str,
    import_id: &str,
) -> CoreResult<()> {
    sqlx::query(
        "INSERT INTO cijfers_data_request_files (request_id, import_id, created_at)
         VALUES ($1, $2, $3) ON CONFLICT (request_id, import_id) DO NOTHING",
    )
    .bind(request_id)
    .bind(import_id)
    .bind(now_ms())
    .execute(exec)
    .await?;
    Ok(())
}

/// A delivered file: its upload.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredFile {
    pub import_id: String,
    pub filename: String,
    pub status: String,
    pub owner_org_id: Option<String>,
    pub created_at: i64,
}

/// The files delivered for a request, newest first.
pub async fn files<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    request_id: &str,
) -> CoreResult<Vec<DeliveredFile>> {
    let rows = sqlx::query(
        "SELECT i.id, i.filename, i.status, i.owner_org_id, f.created_at
         FROM cijfers_data_request_files f JOIN cijfers_imports i ON i.id = f.import_id
         WHERE f.request_id = $1 ORDER BY f.created_at DESC, i.id",
    )
    .bind(request_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|r| DeliveredFile {
            import_id: r.get("id"),
            filename: r.get("filename"),
            status: r.get("status"),
            owner_org_id: r.get("owner_org_id"),
            created_at: r.get("created_at"),
        })
        .collect())
}

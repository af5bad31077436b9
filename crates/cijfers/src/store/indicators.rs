//! Indicators: what is measured, how it aggregates, whose it is and whether it is published.

use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::{ConstraintViolation, CoreError};
use steden_db::{new_id, now_ms, Tx};

use crate::model::{Aggregation, Indicator};

const COLUMNS: &str = "id, code, name, definition, unit, source, theme, decimals, aggregation, \
    weight_code, numerator_code, denominator_code, owner_org_id, \
    CAST(published AS BIGINT) AS published, CAST(demo AS BIGINT) AS demo, min_count, \
    dominance_pct, protection_pct, CAST(auto_secondary AS BIGINT) AS auto_secondary, \
    CAST(disclosure_passed AS BIGINT) AS disclosure_passed, created_at, updated_at";

fn from_row(row: &AnyRow) -> Indicator {
    let aggregation: String = row.get("aggregation");
    Indicator {
        id: row.get("id"),
        code: row.get("code"),
        name: row.get("name"),
        definition: row.get("definition"),
        unit: row.get("unit"),
        source: row.get("source"),
        theme: row.get("theme"),
        decimals: row.get("decimals"),
        aggregation: Aggregation::parse(&aggregation).unwrap_or(Aggregation::Sum),
        weight_code: row.get("weight_code"),
        numerator_code: row.get("numerator_code"),
        denominator_code: row.get("denominator_code"),
        owner_org_id: row.get("owner_org_id"),
        published: row.get::<i64, _>("published") != 0,
        demo: row.get::<i64, _>("demo") != 0,
        min_count: row.get("min_count"),
        dominance_pct: row.get("dominance_pct"),
        protection_pct: row.get("protection_pct"),
        auto_secondary: row.get::<i64, _>("auto_secondary") != 0,
        disclosure_passed: row.get::<i64, _>("disclosure_passed") != 0,
        created_at: row.get("created_at"),
        updated_at: row.get("updated_at"),
    }
}

/// What a form, an import's metadata or the demo gives for an indicator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorFields {
    pub code: String,
    pub name: String,
    pub definition: String,
    pub unit: String,
    pub source: String,
    pub theme: String,
    pub decimals: i64,
    pub aggregation: String,
    pub weight_code: String,
    pub numerator_code: String,
    pub denominator_code: String,
    pub published: bool,
    pub demo: bool,
    pub min_count: Option<i64>,
    pub dominance_pct: Option<i64>,
}

/// A code is letters, digits, `_`, `-` and `.`, at most 60 characters.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 60
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl IndicatorFields {
    /// Checks the fields; every problem at once, in Dutch.
    pub fn validate(&self) -> CoreResult<Aggregation> {
        let mut errors = Vec::new();
        if !valid_code(self.code.trim()) {
            errors.push(FieldError::new(
                "code",
                "De code bestaat uit letters, cijfers, '_', '-' of '.' (hoogstens 60 tekens).",
            ));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "Geef een naam van hoogstens 200 tekens.",
            ));
        }
        if !(0..=6).contains(&self.decimals) {
            errors.push(FieldError::new(
                "decimals",
                "Het aantal decimalen ligt tussen 0 en 6.",
            ));
        }
        let aggregation = Aggregation::parse(self.aggregation.trim());
        match aggregation {
            None => errors.push(FieldError::new(
                "aggregation",
                "Kies hoe de waarden samengeteld worden: som, gewogen gemiddelde of verhouding.",
            )),
            Some(Aggregation::WeightedMean) if !valid_code(self.weight_code.trim()) => {
                errors.push(FieldError::new(
                    "weight_code",
                    "Een gewogen gemiddelde heeft de code van de gewichtsindicator nodig.",
                ))
            }
            Some(Aggregation::Ratio)
                if !valid_code(self.numerator_code.trim())
                    || !valid_code(self.denominator_code.trim()) =>
            {
                errors.push(FieldError::new(
                    "numerator_code",
                    "Een verhouding heeft de codes van teller en noemer nodig.",
                ))
            }
            _ => {}
        }
        if self
            .min_count
            .is_some_and(|n| !(0..=1_000_000).contains(&n))
        {
            errors.push(FieldError::new(
                "min_count",
                "De minimumcelwaarde ligt tussen 0 en 1 000 000.",
            ));
        }
        if self.dominance_pct.is_some_and(|n| !(1..=100).contains(&n)) {
            errors.push(FieldError::new(
                "dominance_pct",
                "De dominantiegrens ligt tussen 1 en 100 procent.",
            ));
        }
        match aggregation {
            Some(aggregation) if errors.is_empty() => Ok(aggregation),
            _ => Err(CoreError::Invalid(errors)),
        }
    }
}

fn optional(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty()).then_some(text)
}

/// Creates an indicator owned by `owner_org_id` (`None`: shared).
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &IndicatorFields,
    owner_org_id: Option<&str>,
    actor: &AuditActor,
) -> CoreResult<String> {
    let aggregation = fields.validate()?;
    let id = new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cijfers_indicators (id, code, name, definition, unit, source, theme, decimals,
             aggregation, weight_code, numerator_code, denominator_code, owner_org_id, published,
             demo, min_count, dominance_pct, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)",
    )
    .bind(&id)
    .bind(fields.code.trim())
    .bind(fields.name.trim())
    .bind(fields.definition.trim())
    .bind(fields.unit.trim())
    .bind(fields.source.trim())
    .bind(fields.theme.trim())
    .bind(fields.decimals)
    .bind(aggregation.as_str())
    .bind(optional(&fields.weight_code))
    .bind(optional(&fields.numerator_code))
    .bind(optional(&fields.denominator_code))
    .bind(owner_org_id)
    .bind(i16::from(fields.published))
    .bind(i16::from(fields.demo))
    .bind(fields.min_count)
    .bind(fields.dominance_pct)
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("code", "Er bestaat al een indicator met deze code.")?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: owner_org_id,
            entity_type: "cijfers_indicator",
            entity_id: &id,
            action: "create",
            summary: &format!("Indicator {} aangemaakt", fields.code.trim()),
            changes: Changes::new().created("name", fields.name.trim()),
        },
    )
    .await?;
    Ok(id)
}

/// Changes an indicator's fields (its code and owner stay).
pub async fn update(
    tx: &mut Tx<'_>,
    current: &Indicator,
    fields: &IndicatorFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let mut checked = fields.clone();
    checked.code = current.code.clone();
    let aggregation = checked.validate()?;
    sqlx::query(
        "UPDATE cijfers_indicators SET name = $1, definition = $2, unit = $3, source = $4,
             theme = $5, decimals = $6, aggregation = $7, weight_code = $8, numerator_code = $9,
             denominator_code = $10, published = $11, min_count = $12, dominance_pct = $13,
             updated_at = $14
         WHERE id = $15",
    )
    .bind(fields.name.trim())
    .bind(fields.definition.trim())
    .bind(fields.unit.trim())
    .bind(fields.source.trim())
    .bind(fields.theme.trim())
    .bind(fields.decimals)
    .bind(aggregation.as_str())
    .bind(optional(&fields.weight_code))
    .bind(optional(&fields.numerator_code))
    .bind(optional(&fields.denominator_code))
    .bind(i16::from(fields.published))
    .bind(fields.min_count)
    .bind(fields.dominance_pct)
    .bind(now_ms())
    .bind(&current.id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: current.owner_org_id.as_deref(),
            entity_type: "cijfers_indicator",
            entity_id: &current.id,
            action: "update",
            summary: &format!("Indicator {} gewijzigd", current.code),
            changes: Changes::new()
                .field("name", current.name.as_str(), fields.name.trim())
                .field("published", current.published, fields.published),
        },
    )
    .await?;
    Ok(())
}

/// The indicator with this code, if any.
pub async fn find_by_code<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    code: &str,
) -> CoreResult<Option<Indicator>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_indicators WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(exec)
    .await?;
    Ok(row.as_ref().map(from_row))
}

/// The indicator with this code, or not found.
pub async fn get_by_code<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    code: &str,
) -> CoreResult<Indicator> {
    find_by_code(exec, code)
        .await?
        .ok_or(CoreError::NotFound("indicator"))
}

/// Every indicator, by theme and code.
pub async fn list<'e, E: Executor<'e, Database = Any>>(exec: E) -> CoreResult<Vec<Indicator>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_indicators ORDER BY theme, code"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The public indicators (published and their last disclosure check passed), by theme and
/// code (the public pages and the API).
pub async fn list_published<'e, E: Executor<'e, Database = Any>>(
    exec: E,
) -> CoreResult<Vec<Indicator>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM cijfers_indicators WHERE published = 1 AND disclosure_passed = 1
         ORDER BY theme, code"
    ))
    .fetch_all(exec)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

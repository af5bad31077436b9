//! The themes of the fact sheets (steekkaarten): a name, an intro text and an ordered list of
//! indicators, some marked as key figures. Kenniscentrum staff make them in the browser
//! (`web::themes`, checked by `access::require_manage_themes`); one theme gives a fact sheet for
//! every city.

use sqlx::{AnyPool, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{CoreResult, FieldError};
use steden_core::{ConstraintViolation, CoreError};
use steden_db::{new_id, now_ms, Tx};

/// The most indicators one theme holds: a fact sheet stays a few printed pages.
pub const MAX_INDICATORS: usize = 40;

/// A theme with its indicators in their order.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub intro: String,
    pub demo: bool,
    pub updated_at: i64,
    pub indicators: Vec<ThemeIndicator>,
}

/// One indicator of a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeIndicator {
    pub code: String,
    pub name: String,
    pub published: bool,
    pub key_figure: bool,
}

/// One line of a theme's list as the form gives it, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeEntry {
    pub code: String,
    pub key_figure: bool,
}

/// What a theme's form holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThemeFields {
    pub name: String,
    pub intro: String,
    pub indicators: Vec<ThemeEntry>,
}

/// The URL part of a theme's name: lower case letters and digits with '-' between words,
/// accents dropped ("Armoede & Wonen" → "armoede-wonen").
pub fn slugify(name: &str) -> String {
    steden_core::slug::slug_words(name)
        .chars()
        .take(80)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

impl ThemeFields {
    /// Checks the fields that need no database; every problem at once, in Dutch.
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 120 || slugify(name).is_empty() {
            errors.push(FieldError::new(
                "name",
                "Geef een naam van hoogstens 120 tekens, met minstens één letter of cijfer.",
            ));
        }
        // "nieuw" is the new-theme form's address.
        if slugify(name) == "nieuw" {
            errors.push(FieldError::new("name", "Kies een andere naam dan 'Nieuw'."));
        }
        if self.intro.chars().count() > 4000 {
            errors.push(FieldError::new(
                "intro",
                "De inleiding is hoogstens 4000 tekens lang.",
            ));
        }
        if self.indicators.is_empty() {
            errors.push(FieldError::new(
                "indicators",
                "Kies minstens één indicator voor het thema.",
            ));
        } else if self.indicators.len() > MAX_INDICATORS {
            errors.push(FieldError::new(
                "indicators",
                format!("Een thema heeft hoogstens {MAX_INDICATORS} indicatoren."),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for entry in &self.indicators {
            if !seen.insert(entry.code.as_str()) {
                errors.push(FieldError::new(
                    "indicators",
                    format!("De indicator {} staat twee keer in de lijst.", entry.code),
                ));
            }
        }
        errors
    }
}

/// The indicator ids of `fields`, in order; an unknown code is a Dutch field error.
async fn resolve(tx: &mut Tx<'_>, fields: &ThemeFields) -> CoreResult<Vec<(String, bool)>> {
    let mut errors = fields.check();
    let mut ids = Vec::new();
    for entry in &fields.indicators {
        let row = sqlx::query("SELECT id FROM cijfers_indicators WHERE code = $1")
            .bind(entry.code.trim())
            .fetch_optional(&mut **tx)
            .await?;
        match row {
            Some(row) => ids.push((row.get::<String, _>(0), entry.key_figure)),
            None => errors.push(FieldError::new(
                "indicators",
                format!("De indicator {} bestaat niet.", entry.code),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(CoreError::Invalid(errors))
    }
}

async fn write_indicators(
    tx: &mut Tx<'_>,
    theme_id: &str,
    ids: &[(String, bool)],
) -> CoreResult<()> {
    sqlx::query("DELETE FROM cijfers_theme_indicators WHERE theme_id = $1")
        .bind(theme_id)
        .execute(&mut **tx)
        .await?;
    for (position, (indicator_id, key)) in ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO cijfers_theme_indicators (theme_id, indicator_id, position, key_figure)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(theme_id)
        .bind(indicator_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(i16::from(*key))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Creates a theme; returns its slug. The caller has checked the permission.
pub async fn create(
    tx: &mut Tx<'_>,
    fields: &ThemeFields,
    demo: bool,
    actor: &AuditActor,
) -> CoreResult<String> {
    let ids = resolve(tx, fields).await?;
    let id = new_id();
    let slug = slugify(fields.name.trim());
    let now = now_ms();
    sqlx::query(
        "INSERT INTO cijfers_themes (id, slug, name, intro, demo, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(&id)
    .bind(&slug)
    .bind(fields.name.trim())
    .bind(fields.intro.trim())
    .bind(i16::from(demo))
    .bind(now)
    .execute(&mut **tx)
    .await
    .on_unique("name", "Er bestaat al een thema met deze naam.")?;
    write_indicators(tx, &id, &ids).await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_theme",
            entity_id: &id,
            action: "create",
            summary: &format!("Thema {} aangemaakt", fields.name.trim()),
            changes: Changes::new().created("name", fields.name.trim()),
        },
    )
    .await?;
    Ok(slug)
}

/// Changes a theme's name, intro and indicators (its slug stays, so links keep working).
pub async fn update(
    tx: &mut Tx<'_>,
    current: &Theme,
    fields: &ThemeFields,
    actor: &AuditActor,
) -> CoreResult<()> {
    let ids = resolve(tx, fields).await?;
    sqlx::query("UPDATE cijfers_themes SET name = $1, intro = $2, updated_at = $3 WHERE id = $4")
        .bind(fields.name.trim())
        .bind(fields.intro.trim())
        .bind(now_ms())
        .bind(&current.id)
        .execute(&mut **tx)
        .await?;
    write_indicators(tx, &current.id, &ids).await?;
    let old_codes: Vec<&str> = current.indicators.iter().map(|i| i.code.as_str()).collect();
    let new_codes: Vec<&str> = fields.indicators.iter().map(|i| i.code.trim()).collect();
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_theme",
            entity_id: &current.id,
            action: "update",
            summary: &format!("Thema {} gewijzigd", fields.name.trim()),
            changes: Changes::new()
                .field("name", current.name.as_str(), fields.name.trim())
                .field("indicators", old_codes.join(","), new_codes.join(",")),
        },
    )
    .await?;
    Ok(())
}

/// Deletes a theme (its list goes with it; the indicators stay).
pub async fn delete(tx: &mut Tx<'_>, current: &Theme, actor: &AuditActor) -> CoreResult<()> {
    sqlx::query("DELETE FROM cijfers_themes WHERE id = $1")
        .bind(&current.id)
        .execute(&mut **tx)
        .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: "cijfers_theme",
            entity_id: &current.id,
            action: "delete",
            summary: &format!("Thema {} verwijderd", current.name),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(())
}

const THEME_COLUMNS: &str =
    "id, slug, name, intro, CAST(demo AS BIGINT) AS demo, updated_at FROM cijfers_themes";

fn theme_of(row: &sqlx::any::AnyRow) -> Theme {
    Theme {
        id: row.get("id"),
        slug: row.get("slug"),
        name: row.get("name"),
        intro: row.get("intro"),
        demo: row.get::<i64, _>("demo") != 0,
        updated_at: row.get("updated_at"),
        indicators: Vec::new(),
    }
}

async fn with_indicators(pool: &AnyPool, mut theme: Theme) -> CoreResult<Theme> {
    let rows = sqlx::query(
        "SELECT i.code, i.name, CAST(i.published AS BIGINT) AS published,
                CAST(t.key_figure AS BIGINT) AS key_figure
         FROM cijfers_theme_indicators t JOIN cijfers_indicators i ON i.id = t.indicator_id
         WHERE t.theme_id = $1 ORDER BY t.position, i.code",
    )
    .bind(&theme.id)
    .fetch_all(pool)
    .await?;
    theme.indicators = rows
        .iter()
        .map(|row| ThemeIndicator {
            code: row.get("code"),
            name: row.get("name"),
            published: row.get::<i64, _>("published") != 0,
            key_figure: row.get::<i64, _>("key_figure") != 0,
        })
        .collect();
    Ok(theme)
}

/// The theme with this slug, with its indicators, if any.
pub async fn find(pool: &AnyPool, slug: &str) -> CoreResult<Option<Theme>> {
    let row = sqlx::query(&format!("SELECT {THEME_COLUMNS} WHERE slug = $1"))
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    match row {
        Some(row) => Ok(Some(with_indicators(pool, theme_of(&row)).await?)),
        None => Ok(None),
    }
}

/// Every theme by name, with its indicators.
pub async fn list(pool: &AnyPool) -> CoreResult<Vec<Theme>> {
    let rows = sqlx::query(&format!("SELECT {THEME_COLUMNS} ORDER BY name, slug"))
        .fetch_all(pool)
        .await?;
    let mut themes = Vec::with_capacity(rows.len());
    for row in &rows {
        themes.push(with_indicators(pool, theme_of(row)).await?);
    }
    Ok(themes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_without_accents() {
        assert_eq!(slugify("Armoede & Wonen"), "armoede-wonen");
        assert_eq!(slugify("  Één thema — 2025 "), "een-thema-2025");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn the_form_is_checked_in_dutch_all_at_once() {
        let fields = ThemeFields {
            name: " ".into(),
            intro: String::new(),
            indicators: vec![
                ThemeEntry {
                    code: "a".into(),
                    key_figure: true,
                },
                ThemeEntry {
                    code: "a".into(),
                    key_figure: false,
                },
            ],
        };
        let errors = fields.check();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[1].message.contains("twee keer"));
    }
}

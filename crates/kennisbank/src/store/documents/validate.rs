//! Checking a document's fields and file before anything is stored.

use steden_core::{CoreError, FieldError};

use crate::extract::{self, ExtractError, Format};
use crate::model::documents::{DocumentFields, NewFile, MAX_UPLOAD_BYTES};
use crate::model::{self, Access, DocType, Language};

/// Checked fields, ready to store.
#[derive(Debug, Clone)]
pub(crate) struct Valid {
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) doc_type: DocType,
    pub(crate) programme: Option<String>,
    pub(crate) werkspoor: Option<String>,
    pub(crate) themes: Vec<String>,
    pub(crate) organisations: Vec<String>,
    pub(crate) period: Option<String>,
    pub(crate) doc_date: Option<String>,
    pub(crate) language: Language,
    pub(crate) access: Access,
    pub(crate) access_organisation_id: Option<String>,
    pub(crate) access_group_id: Option<String>,
    pub(crate) external_url: Option<String>,
}

pub(crate) fn optional(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A date as 'YYYY-MM-DD' from 'YYYY-MM-DD' or 'dd/mm/jjjj'.
pub(crate) fn parse_date(value: &str) -> Option<String> {
    let value = value.trim();
    let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(value, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(value, "%d-%m-%Y"))
        .ok()?;
    Some(date.format("%Y-%m-%d").to_string())
}

fn valid_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        (host.contains('.') && !host.starts_with('.')) || host.starts_with("localhost")
    }) && url.len() <= 2000
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

/// Checks the fields on their own (without the database: organisation and group ids are
/// checked on save). Returns the errors by form field name, in Dutch.
pub fn validate(fields: &DocumentFields) -> Result<(), Vec<FieldError>> {
    check(fields).map(|_| ())
}

pub(crate) fn check(fields: &DocumentFields) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = fields.title.trim().to_string();
    if title.is_empty() {
        errors.push(FieldError::new("title", "Geef het document een titel."));
    } else if title.chars().count() > 300 {
        errors.push(FieldError::new(
            "title",
            "De titel mag hoogstens 300 tekens lang zijn.",
        ));
    }
    let summary = fields.summary.trim().to_string();
    if summary.chars().count() > 5000 {
        errors.push(FieldError::new(
            "summary",
            "De samenvatting mag hoogstens 5000 tekens lang zijn.",
        ));
    }
    let doc_type = DocType::parse(fields.doc_type.trim());
    if doc_type.is_none() {
        errors.push(FieldError::new("doc_type", "Kies het soort document."));
    }
    let programme = optional(&fields.programme);
    let werkspoor = optional(&fields.werkspoor);
    for (name, value) in [("programme", &programme), ("werkspoor", &werkspoor)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > 200) {
            errors.push(FieldError::new(name, "Hoogstens 200 tekens."));
        }
    }
    let mut themes: Vec<String> = Vec::new();
    for theme in &fields.themes {
        let theme = theme.split_whitespace().collect::<Vec<_>>().join(" ");
        if !theme.is_empty() && !themes.iter().any(|t| t.eq_ignore_ascii_case(&theme)) {
            themes.push(theme);
        }
    }
    if themes.len() > 20 {
        errors.push(FieldError::new("themes", "Geef hoogstens 20 thema's."));
    }
    if themes.iter().any(|t| t.chars().count() > 80) {
        errors.push(FieldError::new(
            "themes",
            "Een thema mag hoogstens 80 tekens lang zijn.",
        ));
    }
    let mut organisations: Vec<String> = Vec::new();
    for org in &fields.organisations {
        let org = org.trim();
        if !org.is_empty() && !organisations.iter().any(|o| o == org) {
            organisations.push(org.to_string());
        }
    }
    let doc_date = match optional(&fields.doc_date) {
        None => None,
        Some(raw) => match parse_date(&raw) {
            Some(date) => Some(date),
            None => {
                errors.push(FieldError::new(
                    "doc_date",
                    "Geef de datum als dd/mm/jjjj of jjjj-mm-dd.",
                ));
                None
            }
        },
    };
    let period = match optional(&fields.period) {
        Some(p) if model::PERIODS.contains(&p.as_str()) => Some(p),
        Some(_) => {
            errors.push(FieldError::new(
                "period",
                "Kies een programmaperiode uit de lijst.",
            ));
            None
        }
        None => doc_date
            .as_deref()
            .and_then(model::period_of)
            .map(str::to_string),
    };
    let language = if fields.language.trim().is_empty() {
        Some(Language::Nl)
    } else {
        Language::parse(fields.language.trim())
    };
    if language.is_none() {
        errors.push(FieldError::new("language", "Kies een taal uit de lijst."));
    }
    let access = Access::parse(fields.access.trim());
    let mut access_organisation_id = None;
    let mut access_group_id = None;
    match access {
        None => errors.push(FieldError::new(
            "access",
            "Kies wie het document mag openen.",
        )),
        Some(Access::Organisatie) => {
            access_organisation_id = optional(&fields.access_organisation_id);
            if access_organisation_id.is_none() {
                errors.push(FieldError::new(
                    "access_organisation_id",
                    "Kies de organisatie die het document mag openen.",
                ));
            }
        }
        Some(Access::Werkgroep) => {
            access_group_id = optional(&fields.access_group_id);
            if access_group_id.is_none() {
                errors.push(FieldError::new(
                    "access_group_id",
                    "Kies de werkgroep die het document mag openen.",
                ));
            }
        }
        Some(Access::Publiek | Access::Leden) => {}
    }
    let external_url = optional(&fields.external_url);
    if let Some(url) = &external_url {
        if !valid_url(url) {
            errors.push(FieldError::new(
                "external_url",
                "Geef een volledig webadres dat begint met https:// of http://.",
            ));
        }
    } else if doc_type == Some(DocType::Link) {
        errors.push(FieldError::new(
            "external_url",
            "Een document van het soort ‘Link’ heeft een webadres nodig.",
        ));
    }
    match (doc_type, language, access) {
        (Some(doc_type), Some(language), Some(access)) if errors.is_empty() => Ok(Valid {
            title,
            summary,
            doc_type,
            programme,
            werkspoor,
            themes,
            organisations,
            period,
            doc_date,
            language,
            access,
            access_organisation_id,
            access_group_id,
            external_url,
        }),
        _ => Err(errors),
    }
}

/// Checks an upload: size, format by content, and a name that does not promise another kind
/// of file. Returns the detected format, or the Dutch reason it is refused.
pub fn check_file(file: &NewFile) -> Result<Format, String> {
    if file.bytes.len() > MAX_UPLOAD_BYTES {
        return Err(format!(
            "Het bestand is te groot ({:.1} MB); het maximum is 25 MB.",
            file.bytes.len() as f64 / (1024.0 * 1024.0)
        )
        .replace('.', ","));
    }
    let format = extract::detect(&file.bytes, &file.filename).map_err(|e| reason(&e))?;
    if format == Format::Markdown {
        // Any UTF-8 text sniffs as Markdown: only accept it under a text file's name, so that
        // HTML, SVG or scripts are never stored as documents.
        let extension = file
            .filename
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        if let Some(ext) = extension {
            if !matches!(ext.as_str(), "md" | "markdown" | "txt") {
                return Err(reason(&ExtractError::Unsupported(format!(
                    "bestanden met de extensie .{ext}"
                ))));
            }
        }
    }
    Ok(format)
}

/// A Dutch sentence for an extraction error (ending with a full stop).
pub fn reason(error: &ExtractError) -> String {
    let text = error.to_string();
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

pub(crate) fn invalid(errors: Vec<FieldError>) -> CoreError {
    CoreError::Invalid(errors)
}

/// Checks `fields` together with the file question: a document has a file or an external
/// link, not both and not neither. `has_file` says whether it will have a file.
pub(crate) fn check_all(
    fields: &DocumentFields,
    file: Option<&NewFile>,
    has_file: bool,
) -> Result<(Valid, Option<Format>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let valid = check(fields);
    let format = match file {
        Some(file) => match check_file(file) {
            Ok(format) => Some(format),
            Err(message) => {
                errors.push(FieldError::new("file", message));
                None
            }
        },
        None => None,
    };
    let has_link = optional(&fields.external_url).is_some();
    let is_link_type = fields.doc_type.trim() == DocType::Link.as_str();
    if has_file && (has_link || is_link_type) && file.is_some() {
        errors.push(FieldError::new(
            "file",
            "Kies een bestand of een webadres, niet allebei.",
        ));
    } else if has_file && (has_link || is_link_type) {
        errors.push(FieldError::new(
            "external_url",
            "Dit document heeft al een bestand; een document heeft een bestand of een webadres, niet allebei.",
        ));
    } else if !has_file && !has_link && !is_link_type {
        errors.push(FieldError::new(
            "file",
            "Kies een bestand om op te laden, of geef een webadres.",
        ));
    }
    match valid {
        Ok(valid) if errors.is_empty() => Ok((valid, format)),
        Ok(_) => Err(errors),
        Err(mut field_errors) => {
            field_errors.extend(errors);
            Err(field_errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> DocumentFields {
        DocumentFields {
            title: "Klimaatrapport".into(),
            doc_type: "rapport".into(),
            access: "publiek".into(),
            doc_date: Some("12/03/2019".into()),
            themes: vec![
                " klimaat ".into(),
                "Klimaat".into(),
                "".into(),
                "data".into(),
            ],
            ..DocumentFields::default()
        }
    }

    #[test]
    fn checks_fields_and_derives_the_period() {
        let valid = check(&fields()).unwrap();
        assert_eq!(valid.doc_date.as_deref(), Some("2019-03-12"));
        assert_eq!(valid.period.as_deref(), Some("2017-2021"));
        assert_eq!(valid.themes, vec!["klimaat", "data"]);
        assert_eq!(valid.language, Language::Nl);

        let errors = check(&DocumentFields {
            access: "organisatie".into(),
            doc_type: "link".into(),
            external_url: Some("javascript:alert(1)".into()),
            ..DocumentFields::default()
        })
        .unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            vec!["title", "access_organisation_id", "external_url"]
        );
    }

    #[test]
    fn html_is_never_a_text_document() {
        let html = NewFile {
            filename: "evil.html".into(),
            bytes: b"<script>alert(1)</script>".to_vec(),
        };
        assert!(check_file(&html).unwrap_err().contains(".html"));
        let md = NewFile {
            filename: "notities.md".into(),
            bytes: b"# Titel\n\nTekst".to_vec(),
        };
        assert_eq!(check_file(&md), Ok(Format::Markdown));
    }
}

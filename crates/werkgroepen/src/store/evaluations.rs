//! The evaluation form after an event (`wg_eval_questions`, `wg_eval_responses`,
//! `wg_eval_answers`, slice S12): scale questions (1 to 5) and open questions, one response per
//! confirmed participant (through the signed link of the evaluation mail), and the results per
//! question. The organiser sets the questions; the caller checks that with
//! `access::may_organise_event`.

use std::collections::BTreeMap;

use sqlx::{Any, Executor, Row};
use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::{ConstraintViolation, CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::{new_id, now_ms, Tx};

/// Design §3.9 style: once is enough.
pub const ALREADY_ANSWERED: &str = "Je vulde de evaluatie al in. Bedankt!";

const SCALE_MAX: i64 = 5;
const MAX_QUESTIONS: usize = 20;
const MAX_TEXT_CHARS: usize = 2_000;

/// One question of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalQuestion {
    pub id: String,
    pub position: i64,
    /// `schaal` or `open`.
    pub kind: String,
    pub text: String,
    pub scale_max: Option<i64>,
    /// Must be answered (typed with `*` at the end of its line).
    pub required: bool,
}

impl EvalQuestion {
    pub fn is_scale(&self) -> bool {
        self.kind == "schaal"
    }
}

/// The questions of an event, in order.
pub async fn questions<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    event_id: &str,
) -> CoreResult<Vec<EvalQuestion>> {
    let rows = sqlx::query(
        "SELECT id, position, kind, text, scale_max, CAST(required AS BIGINT) AS required
         FROM wg_eval_questions
         WHERE event_id = $1 ORDER BY position, id",
    )
    .bind(event_id)
    .fetch_all(exec)
    .await?;
    Ok(rows
        .iter()
        .map(|row| EvalQuestion {
            id: row.get("id"),
            position: row.get("position"),
            kind: row.get("kind"),
            text: row.get("text"),
            scale_max: row.get("scale_max"),
            required: row.get::<i64, _>("required") != 0,
        })
        .collect())
}

/// The questions as typed in the organiser's form: one per line, `open: …` for an open
/// question, any other line a scale from 1 to 5; `*` at the end for a required one.
pub fn question_lines(questions: &[EvalQuestion]) -> String {
    questions
        .iter()
        .map(|q| {
            let star = if q.required { " *" } else { "" };
            if q.is_scale() {
                format!("{}{star}", q.text)
            } else {
                format!("open: {}{star}", q.text)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces the questions with those typed, one per line (see [`question_lines`]). Refused
/// once someone has answered: the answers would no longer match their questions.
pub async fn set_questions(
    tx: &mut Tx<'_>,
    event_id: &str,
    lines: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    let mut parsed = Vec::new();
    for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (line, required) = match line.strip_suffix('*') {
            Some(rest) => (rest.trim(), true),
            None => (line, false),
        };
        let (kind, text) = match line.strip_prefix("open:") {
            Some(text) => ("open", text.trim()),
            None => ("schaal", line),
        };
        if text.is_empty() || text.chars().count() > 300 {
            return Err(CoreError::invalid(
                "eval_questions",
                "Elke vraag heeft een tekst van hoogstens 300 tekens.",
            ));
        }
        parsed.push((kind, text.to_string(), required));
    }
    if parsed.len() > MAX_QUESTIONS {
        return Err(CoreError::invalid(
            "eval_questions",
            "Stel hoogstens 20 vragen.",
        ));
    }
    let answered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM wg_eval_responses WHERE event_id = $1")
            .bind(event_id)
            .fetch_one(&mut **tx)
            .await?;
    if answered > 0 {
        return Err(CoreError::invalid(
            "eval_questions",
            "Er zijn al antwoorden op de evaluatie; de vragen liggen vast.",
        ));
    }
    sqlx::query("DELETE FROM wg_eval_questions WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut **tx)
        .await?;
    for (position, (kind, text, required)) in parsed.iter().enumerate() {
        sqlx::query(
            "INSERT INTO wg_eval_questions (id, event_id, position, kind, text, scale_max,
                required)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(event_id)
        .bind(position as i64 + 1)
        .bind(*kind)
        .bind(text)
        .bind((*kind == "schaal").then_some(SCALE_MAX))
        .bind(i64::from(*required))
        .execute(&mut **tx)
        .await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: super::events::ENTITY,
            entity_id: event_id,
            action: "evaluation_questions",
            summary: &format!("Evaluatieformulier: {} vragen", parsed.len()),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(parsed.len())
}

/// Whether the registration already answered.
pub async fn has_answered<'e, E: Executor<'e, Database = Any>>(
    exec: E,
    registration_id: &str,
) -> CoreResult<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM wg_eval_responses WHERE registration_id = $1")
            .bind(registration_id)
            .fetch_one(exec)
            .await?;
    Ok(n > 0)
}

/// Stores one participant's answers (`q_<question id>` → value). Scale answers must lie on the
/// scale, open ones are kept to 2 000 characters; a question may stay empty unless it is
/// required. A second response of the same registration is refused (also when two arrive at once: the unique
/// `registration_id` decides).
pub async fn submit(
    tx: &mut Tx<'_>,
    event_id: &str,
    registration_id: &str,
    fields: &BTreeMap<String, String>,
) -> CoreResult<()> {
    let questions = questions(&mut **tx, event_id).await?;
    let mut errors = Vec::new();
    let mut answers = Vec::new();
    for question in &questions {
        let key = format!("q_{}", question.id);
        let value = fields.get(&key).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if question.required {
                errors.push(FieldError::new(
                    key,
                    format!("Beantwoord de vraag '{}'.", question.text),
                ));
            }
            continue;
        }
        if question.is_scale() {
            let max = question.scale_max.unwrap_or(SCALE_MAX);
            match value.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => answers.push((question, Some(n), None)),
                _ => errors.push(FieldError::new(
                    key,
                    format!("Kies een waarde van 1 tot {max}."),
                )),
            }
        } else if value.chars().count() > MAX_TEXT_CHARS {
            errors.push(FieldError::new(
                key,
                format!("Het antwoord is te lang (maximaal {MAX_TEXT_CHARS} tekens)."),
            ));
        } else {
            answers.push((question, None, Some(value.to_string())));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    if has_answered(&mut **tx, registration_id).await? {
        return Err(CoreError::invalid("", ALREADY_ANSWERED));
    }
    let response_id = new_id();
    sqlx::query(
        "INSERT INTO wg_eval_responses (id, event_id, registration_id, submitted_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(&response_id)
    .bind(event_id)
    .bind(registration_id)
    .bind(now_ms())
    .execute(&mut **tx)
    .await
    .on_unique("", ALREADY_ANSWERED)?;
    for (question, scale, text) in answers {
        sqlx::query(
            "INSERT INTO wg_eval_answers (response_id, question_id, scale_value, text)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&response_id)
        .bind(&question.id)
        .bind(scale)
        .bind(text)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub question: EvalQuestion,
    /// For a scale: how many chose 1, 2, … up to the maximum.
    pub counts: Vec<i64>,
    /// For a scale: the mean of the answers given.
    pub average: Option<f64>,
    /// For an open question: the answers, oldest first.
    pub texts: Vec<String>,
}

/// The results per question, and how many responded.
pub async fn results<'e, E: Executor<'e, Database = Any> + Copy>(
    exec: E,
    event_id: &str,
) -> CoreResult<(i64, Vec<QuestionResult>)> {
    let responses: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM wg_eval_responses WHERE event_id = $1")
            .bind(event_id)
            .fetch_one(exec)
            .await?;
    let rows = sqlx::query(
        "SELECT a.question_id, a.scale_value, a.text FROM wg_eval_answers a
         JOIN wg_eval_responses r ON r.id = a.response_id
         WHERE r.event_id = $1 ORDER BY r.submitted_at, r.id",
    )
    .bind(event_id)
    .fetch_all(exec)
    .await?;
    let mut results = Vec::new();
    for question in questions(exec, event_id).await? {
        let max = question.scale_max.unwrap_or(SCALE_MAX).max(1);
        let mut counts = vec![0; max as usize];
        let mut texts = Vec::new();
        for row in rows
            .iter()
            .filter(|r| r.get::<String, _>("question_id") == question.id)
        {
            if let Some(value) = row.get::<Option<i64>, _>("scale_value") {
                if (1..=max).contains(&value) {
                    counts[(value - 1) as usize] += 1;
                }
            }
            if let Some(text) = row.get::<Option<String>, _>("text") {
                texts.push(text);
            }
        }
        let given: i64 = counts.iter().sum();
        let average = (question.is_scale() && given > 0).then(|| {
            counts
                .iter()
                .enumerate()
                .map(|(i, n)| (i as i64 + 1) * n)
                .sum::<i64>() as f64
                / given as f64
        });
        results.push(QuestionResult {
            question,
            counts,
            average,
            texts,
        });
    }
    Ok((responses, results))
}

/// Mails the evaluation form to every confirmed participant not marked absent (through the
/// `werkgroepen.mail_event` job; a participant already mailed is skipped by the job's log).
/// Only after the event has ended.
pub async fn send(
    tx: &mut Tx<'_>,
    event_id: &str,
    base_url: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    let event = super::events::find(&mut **tx, event_id)
        .await?
        .ok_or(CoreError::NotFound("activiteit"))?;
    if now_ms() < event.ends_at {
        return Err(CoreError::invalid(
            "",
            "De evaluatie kan pas na de activiteit verstuurd worden.",
        ));
    }
    if questions(&mut **tx, event_id).await?.is_empty() {
        return Err(CoreError::invalid(
            "eval_questions",
            "Stel eerst de vragen van de evaluatie op.",
        ));
    }
    let recipients: Vec<String> = super::registrations::list_for_event(&mut **tx, event_id)
        .await?
        .into_iter()
        .filter(|r| {
            r.status == crate::model::RegistrationStatus::Bevestigd && r.attended != Some(false)
        })
        .map(|r| r.id)
        .collect();
    for id in &recipients {
        super::registrations::enqueue_mail(
            tx,
            event_id,
            id,
            super::registrations::MailKind::Evaluatie,
            base_url,
        )
        .await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: None,
            entity_type: super::events::ENTITY,
            entity_id: event_id,
            action: "evaluation_sent",
            summary: &format!("Evaluatie verstuurd naar {} deelnemers", recipients.len()),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(recipients.len())
}

//! The disclosure gate on the data team's indicator form: its two settings (protection level,
//! secondary suppression by the platform), saving with the check when the indicator is to be
//! published, and the report of the last check (src/gate). The report holds true values: it
//! is only on the data team's page.

use steden_core::audit::AuditActor;
use steden_core::error::{CoreResult, FieldError};
use steden_core::CoreError;
use steden_db::Tx;
use steden_web::page::PageContext;
use steden_web::AppError;

use crate::gate::{self, number_nl, Check, Trigger};
use crate::model::Indicator;
use crate::store::disclosure;
use crate::store::indicators::{self, IndicatorFields};

/// At most this many cells of a report on the page (the rest are counted).
pub const CELLS_SHOWN: usize = 500;

/// The form's two disclosure settings, checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    pub protection_pct: Option<i64>,
    pub auto_secondary: bool,
}

impl Settings {
    /// Reads the settings as typed; a Dutch message for a protection level that is no whole
    /// number between 1 and 100.
    pub fn parse(protection_pct: &str, auto_secondary: bool) -> CoreResult<Settings> {
        let text = protection_pct.trim().trim_end_matches('%').trim();
        let protection_pct = if text.is_empty() {
            None
        } else {
            match text.parse::<i64>() {
                Ok(n) if (1..=100).contains(&n) => Some(n),
                _ => {
                    return Err(CoreError::Invalid(vec![FieldError::new(
                        "protection_pct",
                        "Het beschermingsniveau is een geheel getal tussen 1 en 100 (procent).",
                    )]))
                }
            }
        };
        Ok(Settings {
            protection_pct,
            auto_secondary,
        })
    }
}

/// After saving an indicator's fields in `tx`: stores the settings and, when the indicator is
/// to be published, runs the check. `Ok(Some(check))` when the check refuses publication: the
/// caller rolls back and records the refusal ([`record_refusal`]).
pub async fn settle_publication(
    tx: &mut Tx<'_>,
    code: &str,
    fields: &IndicatorFields,
    settings: Settings,
    actor: &AuditActor,
) -> CoreResult<Option<Check>> {
    let saved = indicators::get_by_code(&mut **tx, code).await?;
    disclosure::set_settings(
        tx,
        &saved.id,
        settings.protection_pct,
        settings.auto_secondary,
    )
    .await?;
    if !fields.published {
        return Ok(None);
    }
    let fresh = indicators::get_by_code(&mut **tx, code).await?;
    let check = gate::run(tx, &fresh, actor, Trigger::Publish).await?;
    Ok((!check.passed).then_some(check))
}

/// The Dutch refusal as a form error on the published checkbox.
pub fn refusal_error(check: &Check) -> CoreError {
    CoreError::Invalid(vec![FieldError::new("published", check.refusal_nl())])
}

/// Records a refused publication in its own transaction (the form's was rolled back).
pub async fn record_refusal(
    ctx: &PageContext,
    indicator: &Indicator,
    actor: &AuditActor,
    check: &Check,
) -> Result<(), AppError> {
    let mut tx = ctx.state().db().begin().await?;
    gate::record_refusal(&mut tx, indicator, actor, check).await?;
    tx.commit().await?;
    Ok(())
}

/// One suppressed cell as the page shows it.
pub struct CellLine {
    pub period: String,
    pub place: String,
    pub rule: String,
    pub value: String,
    pub interval: String,
    pub required: String,
    pub leaks: bool,
}

/// The last check as the page shows it.
pub struct Report {
    pub when: String,
    pub by: String,
    pub trigger: String,
    pub passed: bool,
    pub applied: bool,
    pub summary: String,
    pub cells: Vec<CellLine>,
    pub more: usize,
}

/// The report of an indicator's last check, if it has one.
pub async fn report(ctx: &PageContext, indicator_id: &str) -> Result<Option<Report>, AppError> {
    let Some(run) = disclosure::latest_run(ctx.state().db().pool(), indicator_id).await? else {
        return Ok(None);
    };
    let more = run.cells.len().saturating_sub(CELLS_SHOWN);
    let cells = run
        .cells
        .iter()
        .take(CELLS_SHOWN)
        .map(|c| CellLine {
            period: c.period.clone(),
            place: c.place.clone(),
            rule: c.rule.clone(),
            value: number_nl(c.value),
            interval: format!(
                "{} – {}",
                number_nl(c.lower),
                c.upper
                    .map_or_else(|| ctx.t("cijfers-gate-unbounded"), number_nl)
            ),
            required: number_nl(c.required_width),
            leaks: c.leaks,
        })
        .collect();
    let trigger = ctx.t(&format!("cijfers-gate-trigger-{}", run.trigger));
    Ok(Some(Report {
        when: ctx.datetime(&run.ran_at),
        by: run
            .ran_by_name
            .unwrap_or_else(|| ctx.t("cijfers-gate-by-platform")),
        trigger,
        passed: run.passed,
        applied: run.applied,
        summary: run.summary,
        cells,
        more,
    }))
}

//! The disclosure check as the gate of publication (issue 15, points 3 and 10).
//!
//! [`run`] builds, per period, the table an indicator publishes from its stored values
//! ([`tables`]: sectors in wijken and municipalities, municipalities in provinces or regions,
//! old municipalities in merged ones), applies primary suppression (minimum count, dominance,
//! values suppressed at the source) and — unless the data team keeps its own pattern —
//! secondary suppression, audits the pattern by linear programming, writes the outcome per
//! value (`passed`, `primary`, `secondary`; the source's status stays) and the indicator's
//! verdict, and records the run with every suppressed cell's interval. Everything happens in the
//! caller's transaction. The public reads (`store::values::public_series`, `Indicator::
//! is_public`) show only values that passed, of indicators whose last check passed.
//!
//! Publishing (the admin form) calls [`run`] and rolls back when it fails, then records the
//! refusal with [`record_refusal`]; an import into a published indicator calls [`run`] in the
//! import's transaction (a failure hides the indicator until a new check passes).

pub mod tables;

use std::collections::{BTreeMap, HashMap};

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::Tx;

use crate::disclosure::{
    audit as audit_pattern, secondary_suppression, AuditReport, CellStatus, DisclosureParams,
    DominanceRule, ProtectionLevel, SuppressionPattern, Verdict,
};
use crate::model::{Aggregation, Indicator, ValueStatus};
use crate::store::disclosure::{self as store, GateRow, Outcome, RunCell};
use crate::store::geo;

/// Why a check runs (kept with the run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Publish,
    Import,
    Demo,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Publish => "publish",
            Trigger::Import => "import",
            Trigger::Demo => "demo",
        }
    }
}

/// The protection level when the indicator names none: 30 % of the value (tau-Argus' usual).
pub const DEFAULT_PROTECTION_PCT: i64 = 30;

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub passed: bool,
    /// One Dutch paragraph for the data team.
    pub summary: String,
    /// Every suppressed value with its rule and interval.
    pub cells: Vec<RunCell>,
    /// The suppressed values as (place id, period id, outcome).
    pub suppressed: Vec<(String, String, Outcome)>,
}

impl Check {
    /// The cells narrower than the protection level.
    pub fn leaks(&self) -> impl Iterator<Item = &RunCell> {
        self.cells.iter().filter(|c| c.leaks)
    }

    /// Why publication is refused, in Dutch, naming the cells (at most 20).
    pub fn refusal_nl(&self) -> String {
        let leaks: Vec<String> = self
            .leaks()
            .take(20)
            .map(|c| {
                format!(
                    "{} ({}): ligt tussen {} en {}, vereist is een breedte van {}",
                    c.place,
                    c.period,
                    number_nl(c.lower),
                    c.upper.map_or_else(|| "onbegrensd".into(), number_nl),
                    number_nl(c.required_width)
                )
            })
            .collect();
        if leaks.is_empty() {
            format!("Publicatie geweigerd: {}", self.summary)
        } else {
            let more = self.leaks().count().saturating_sub(leaks.len());
            let tail = if more > 0 {
                format!(" En nog {more} cellen.")
            } else {
                String::new()
            };
            format!(
                "Publicatie geweigerd: deze afgeschermde cellen zijn uit de gepubliceerde totalen \
                 terug te rekenen of te nauw te begrenzen: {}.{tail} Scherm meer cellen af of \
                 laat het platform secundair afschermen.",
                leaks.join("; ")
            )
        }
    }
}

pub use crate::model::number_nl;

/// The indicator's rules as the disclosure library takes them. The data hold no individual
/// contributions, so the dominance rule (one unit above `dominance_pct` %) is passed on but
/// cannot fire until a source delivers them.
pub fn params_of(indicator: &Indicator) -> DisclosureParams {
    let defaults = DisclosureParams::default();
    DisclosureParams {
        min_count: indicator
            .min_count
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0),
        dominance: indicator.dominance_pct.map(|k| DominanceRule {
            n: 1,
            k_percent: (k as f64).clamp(1.0, 99.99),
        }),
        protection: ProtectionLevel {
            percent: indicator
                .protection_pct
                .unwrap_or(DEFAULT_PROTECTION_PCT)
                .clamp(0, 1000) as f64,
            min_width: defaults.protection.min_width,
        },
        protect_secondary: false,
        ..defaults
    }
}

/// The check of an indicator on what is stored now, without writing anything.
pub async fn evaluate(tx: &mut Tx<'_>, indicator: &Indicator) -> CoreResult<Check> {
    let rows = store::rows(&mut **tx, &indicator.id).await?;
    let weight_code = match indicator.aggregation {
        Aggregation::Sum => None,
        Aggregation::WeightedMean => indicator.weight_code.as_deref(),
        Aggregation::Ratio => indicator.denominator_code.as_deref(),
    };
    let weights = match weight_code {
        Some(code) => store::values_by_key(&mut **tx, code).await?,
        None => HashMap::new(),
    };
    let mut wijken_of: HashMap<String, Vec<String>> = HashMap::new();
    for (wijk, sector) in store::wijk_members(&mut **tx).await? {
        wijken_of.entry(sector).or_default().push(wijk);
    }
    let merged_into: HashMap<String, String> = geo::crosswalk(&mut **tx)
        .await?
        .into_iter()
        .map(|line| (line.old_code, line.new_code))
        .collect();
    let ctx = tables::Context {
        aggregation: indicator.aggregation,
        weights: &weights,
        wijken_of: &wijken_of,
        merged_into: &merged_into,
    };
    Ok(check_rows(
        &rows,
        &ctx,
        &params_of(indicator),
        indicator.auto_secondary,
    ))
}

/// The check of stored rows (every period), pure.
pub fn check_rows(
    rows: &[GateRow],
    ctx: &tables::Context<'_>,
    params: &DisclosureParams,
    auto_secondary: bool,
) -> Check {
    let mut periods: BTreeMap<(&str, &str), Vec<&GateRow>> = BTreeMap::new();
    for row in rows {
        periods
            .entry((row.starts_on.as_str(), row.period_id.as_str()))
            .or_default()
            .push(row);
    }
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let mut cells = Vec::new();
    let mut suppressed = Vec::new();
    for period_rows in periods.values() {
        let mut outcome: Vec<Outcome> = period_rows
            .iter()
            .map(|r| {
                if r.status == ValueStatus::Suppressed {
                    Outcome::Primary
                } else {
                    Outcome::Passed
                }
            })
            .collect();
        let period = period_rows
            .first()
            .map(|r| r.period.clone())
            .unwrap_or_default();
        let result = tables::build(period_rows, ctx).and_then(|built| {
            let pattern = tables::initial_pattern(&built, params)?;
            let (pattern, report): (SuppressionPattern, AuditReport) = if auto_secondary {
                let protected = secondary_suppression(&built.table, pattern, params)?;
                (protected.pattern, protected.report)
            } else {
                let report = audit_pattern(&built.table, &pattern, params)?;
                (pattern, report)
            };
            Ok((built, pattern, report))
        });
        match result {
            Ok((built, pattern, report)) => {
                notes.extend(built.notes.iter().map(|n| format!("{period}: {n}")));
                for (cell, status) in pattern.status.iter().enumerate() {
                    let Some(Some(i)) = built.origin.get(cell) else {
                        continue;
                    };
                    if let Some(slot) = outcome.get_mut(*i) {
                        *slot = match status {
                            CellStatus::Published => Outcome::Passed,
                            CellStatus::Primary(_) => Outcome::Primary,
                            CellStatus::Secondary => Outcome::Secondary,
                        };
                    }
                }
                for audit in &report.cells {
                    let (Some(Some(i)), Some(&scale)) =
                        (built.origin.get(audit.cell), built.scale.get(audit.cell))
                    else {
                        continue; // a rest cell: not the platform's to publish
                    };
                    let Some(row) = period_rows.get(*i) else {
                        continue;
                    };
                    let scale = if scale > 0.0 { scale } else { 1.0 };
                    let rule = match &audit.status {
                        CellStatus::Primary(reason) => reason.reason_nl(),
                        CellStatus::Secondary => {
                            "secundair: beschermt een primair afgeschermde cel".into()
                        }
                        CellStatus::Published => String::new(),
                    };
                    cells.push(RunCell {
                        period: row.period.clone(),
                        place: row.name.clone(),
                        rule,
                        secondary: audit.status == CellStatus::Secondary,
                        value: row.value.unwrap_or(audit.value / scale),
                        lower: audit.lower / scale,
                        upper: audit.upper.map(|u| u / scale),
                        required_width: audit.required_width / scale,
                        leaks: audit.verdict == Verdict::Leaks,
                    });
                }
            }
            Err(err) => {
                // Nothing of a period that cannot be checked is public.
                outcome.iter_mut().for_each(|o| *o = Outcome::Pending);
                problems.push(format!("{period}: {err}"));
            }
        }
        for (row, o) in period_rows.iter().zip(outcome) {
            if o != Outcome::Passed {
                suppressed.push((row.geo_item_id.clone(), row.period_id.clone(), o));
            }
        }
    }
    let leaks = cells.iter().filter(|c| c.leaks).count();
    let passed = problems.is_empty() && leaks == 0;
    let primary = suppressed
        .iter()
        .filter(|s| s.2 == Outcome::Primary)
        .count();
    let secondary = suppressed
        .iter()
        .filter(|s| s.2 == Outcome::Secondary)
        .count();
    let mut summary = if passed {
        format!(
            "Controle geslaagd: {} waarden over {} perioden, {primary} primair en {secondary} \
             secundair afgeschermd; geen afgeschermde waarde is uit de gepubliceerde cijfers \
             terug te rekenen.",
            rows.len(),
            periods.len()
        )
    } else if leaks > 0 {
        format!(
            "Controle mislukt: {leaks} afgeschermde cellen zijn terug te rekenen of te nauw te \
             begrenzen."
        )
    } else {
        "Controle mislukt.".to_string()
    };
    for text in problems.iter().chain(notes.iter()) {
        summary.push(' ');
        summary.push_str(text);
    }
    Check {
        passed,
        summary,
        cells,
        suppressed,
    }
}

/// Runs the check and writes its outcome (per value, the indicator's verdict, the run and an
/// audit entry) in the caller's transaction. A failed check is written too: the indicator is
/// then hidden from the public until a check passes.
pub async fn run(
    tx: &mut Tx<'_>,
    indicator: &Indicator,
    actor: &AuditActor,
    trigger: Trigger,
) -> CoreResult<Check> {
    let check = evaluate(tx, indicator).await?;
    store::apply(tx, &indicator.id, &check.suppressed, check.passed).await?;
    // cj-link: what the public sees may have changed: plan indicators that follow it pull again.
    crate::plan_link::indicator_changed(tx, indicator).await?;
    store::record_run(
        tx,
        &indicator.id,
        actor.user_id.as_deref(),
        trigger.as_str(),
        check.passed,
        true,
        &check.summary,
        &check.cells,
    )
    .await?;
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: indicator.owner_org_id.as_deref(),
            entity_type: "cijfers_indicator",
            entity_id: &indicator.id,
            action: "disclosure_check",
            summary: &format!(
                "Geheimhoudingscontrole van {}: {}",
                indicator.code,
                if check.passed { "geslaagd" } else { "mislukt" }
            ),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(check)
}

/// Records a refused publication after its transaction was rolled back: the run and its
/// report, nothing else (the values and the indicator stay as they were).
pub async fn record_refusal(
    tx: &mut Tx<'_>,
    indicator: &Indicator,
    actor: &AuditActor,
    check: &Check,
) -> CoreResult<()> {
    store::record_run(
        tx,
        &indicator.id,
        actor.user_id.as_deref(),
        Trigger::Publish.as_str(),
        false,
        false,
        &check.summary,
        &check.cells,
    )
    .await?;
    Ok(())
}

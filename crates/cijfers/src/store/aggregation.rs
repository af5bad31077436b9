//! Aggregation with the database: sector values to a city's wijken (written, so the wijken
//! have their own series), and a municipality's series on today's geography through the REFNIS
//! crosswalk (read, computed on the fly). The arithmetic is [`crate::aggregate`]'s.

use std::collections::{BTreeMap, HashMap};

use steden_core::audit::{self, AuditActor, Changes, NewEntry};
use steden_core::error::CoreResult;
use steden_db::{Db, Tx};

use crate::aggregate::{self, Rule, Series};
use crate::model::{Aggregation, GeoLevel, Indicator, Period, ValueStatus};
use crate::store::{geo, indicators, values};

/// The rule of `indicator`: a ratio in percent when its unit says so.
pub fn rule_of(indicator: &Indicator) -> Rule {
    match indicator.aggregation {
        Aggregation::Sum => Rule::Sum,
        Aggregation::WeightedMean => Rule::WeightedMean,
        Aggregation::Ratio => Rule::Ratio {
            factor: if indicator.unit.contains('%') || indicator.unit.contains("procent") {
                100.0
            } else {
                1.0
            },
        },
    }
}

/// What the rule of `indicator` needs at `level`, by period.
async fn inputs(
    conn: &mut sqlx::AnyConnection,
    indicator: &Indicator,
    level: GeoLevel,
) -> CoreResult<BTreeMap<String, Series>> {
    let mut by_period: BTreeMap<String, Series> = BTreeMap::new();
    let mut fill = |maps: HashMap<String, HashMap<String, f64>>,
                    pick: fn(&mut Series) -> &mut HashMap<String, f64>| {
        for (period, map) in maps {
            *pick(by_period.entry(period).or_default()) = map;
        }
    };
    let related = |code: &Option<String>| code.clone().unwrap_or_default();
    match indicator.aggregation {
        Aggregation::Sum => fill(
            values::by_period(&mut *conn, &indicator.id, level).await?,
            |s| &mut s.own,
        ),
        Aggregation::WeightedMean => {
            fill(
                values::by_period(&mut *conn, &indicator.id, level).await?,
                |s| &mut s.own,
            );
            let weight =
                indicators::get_by_code(&mut *conn, &related(&indicator.weight_code)).await?;
            fill(
                values::by_period(&mut *conn, &weight.id, level).await?,
                |s| &mut s.weight,
            );
        }
        Aggregation::Ratio => {
            let numerator =
                indicators::get_by_code(&mut *conn, &related(&indicator.numerator_code)).await?;
            let denominator =
                indicators::get_by_code(&mut *conn, &related(&indicator.denominator_code)).await?;
            fill(
                values::by_period(&mut *conn, &numerator.id, level).await?,
                |s| &mut s.numerator,
            );
            fill(
                values::by_period(&mut *conn, &denominator.id, level).await?,
                |s| &mut s.denominator,
            );
        }
    }
    Ok(by_period)
}

/// Computes the values of `indicator` for every wijk of `municipality_code` from its sectors'
/// values, for every period with sector values, and writes them (replacing earlier ones).
/// Returns how many values were written.
pub async fn aggregate_to_wijken(
    tx: &mut Tx<'_>,
    indicator: &Indicator,
    municipality_code: &str,
    actor: &AuditActor,
) -> CoreResult<usize> {
    let wijken = geo::list_wijken(&mut **tx, municipality_code).await?;
    let mut members = Vec::new();
    for wijk in &wijken {
        members.push((wijk, geo::wijk_sector_codes(&mut **tx, &wijk.id).await?));
    }
    let by_period = inputs(tx, indicator, GeoLevel::Sector).await?;
    let rule = rule_of(indicator);
    let mut written = 0;
    for (period_code, series) in &by_period {
        let Some(period) = Period::parse(period_code) else {
            continue;
        };
        let period_id = values::ensure_period(tx, &period).await?;
        for (wijk, sectors) in &members {
            let parts: Vec<&str> = sectors.iter().map(String::as_str).collect();
            if let Some(value) = aggregate::combine(rule, &parts, series) {
                values::upsert(
                    tx,
                    &values::NewValue {
                        indicator_id: &indicator.id,
                        geo_item_id: &wijk.id,
                        period_id: &period_id,
                        value: Some(value),
                        status: ValueStatus::Definitive,
                        import_id: None,
                    },
                )
                .await?;
                written += 1;
            }
        }
    }
    if written > 0 {
        // New wijk values change the published table: the old check no longer holds.
        super::disclosure::mark_unchecked(tx, &indicator.id).await?;
    }
    audit::record(
        tx,
        NewEntry {
            actor,
            organisation_id: indicator.owner_org_id.as_deref(),
            entity_type: "cijfers_indicator",
            entity_id: &indicator.id,
            action: "aggregate",
            summary: &format!(
                "{} naar de wijken van {municipality_code} samengeteld ({written} waarden)",
                indicator.code
            ),
            changes: Changes::new(),
        },
    )
    .await?;
    Ok(written)
}

/// The series of `indicator` for municipality `code` on today's geography: before a merger,
/// the old municipalities it absorbed combined by the indicator's rule. Periods oldest first;
/// `None` where a part is missing.
pub async fn merged_series(
    db: &Db,
    indicator: &Indicator,
    code: &str,
) -> CoreResult<Vec<(String, Option<f64>)>> {
    let mut conn = db.pool().acquire().await?;
    let crosswalk = geo::crosswalk(&mut *conn).await?;
    let by_period = inputs(&mut conn, indicator, GeoLevel::Gemeente).await?;
    let periods = values::periods_of(&mut *conn, &indicator.id).await?;
    let rule = rule_of(indicator);
    Ok(periods
        .into_iter()
        .filter_map(|(period, starts_on)| {
            let series = by_period.get(&period)?;
            let parts = aggregate::municipality_parts(&crosswalk, code, &starts_on);
            Some((period, aggregate::combine(rule, &parts, series)))
        })
        .collect())
}

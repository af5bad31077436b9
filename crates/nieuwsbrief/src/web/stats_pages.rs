//! The editors' reading statistics (design §3.2, §3.5): `/nieuwsbrief/beheer/statistieken`
//! compares the sent campaigns and their sections, `/nieuwsbrief/beheer/statistieken/{id}`
//! shows one campaign per section, per link and over time (a server-rendered SVG beside a
//! table with the same figures). Human and "waarschijnlijk automatisch" counts stand side by
//! side; the ratios are what the counters honestly allow (no unique readers: a reader who
//! opens twice counts twice). Managers switch per-person statistics here.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use steden_web::flash::{self, Flash};
use steden_web::i18n::Lang;
use steden_web::page::{render, PageContext};
use steden_web::{AppError, AppState};

use crate::linkedin::chart::{self, Bar};
use crate::paths;
use crate::store::campaigns;
use crate::store::stats::{self, StatHourCount, StatLinkCount, StatSectionCount, StatTotals};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(paths::STATISTICS, get(overview))
        .route(paths::STATISTICS_SETTING, post(save_setting))
        .route("/nieuwsbrief/beheer/statistieken/{id}", get(campaign))
}

/// `part` in percent of `whole`, one decimal, or "–" when there is no whole.
pub(crate) fn percent(part: i64, whole: i64, lang: Lang) -> String {
    if whole <= 0 {
        return "–".into();
    }
    let tenths = (part * 1000 + whole / 2) / whole;
    let text = format!("{}.{} %", tenths / 10, tenths % 10);
    match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    }
}

/// One campaign's row in the comparison (and the head of its own page).
struct Row {
    subject: String,
    href: String,
    sent_on: String,
    sent: i64,
    totals: StatTotals,
    opens_per_sent: String,
    clicks_per_sent: String,
    click_to_open: String,
    bounces: i64,
}

fn row(ctx: &PageContext, c: &stats::CampaignTotals) -> Row {
    let t = &c.totals;
    Row {
        subject: c.subject.clone(),
        href: paths::campaign_statistics(&c.id),
        sent_on: c.started_at.map(|at| ctx.date(&at)).unwrap_or_default(),
        sent: c.sent,
        opens_per_sent: percent(t.opens, c.sent, ctx.lang),
        clicks_per_sent: percent(t.clicks, c.sent, ctx.lang),
        click_to_open: percent(t.clicks, t.opens, ctx.lang),
        bounces: t.hard_bounces + t.soft_bounces,
        totals: t.clone(),
    }
}

struct SectionRow {
    title: String,
    campaigns: i64,
    links: i64,
    clicks: i64,
    clicks_machine: i64,
    share: String,
}

fn section_rows(ctx: &PageContext, sections: &[StatSectionCount]) -> Vec<SectionRow> {
    let total: i64 = sections.iter().map(|s| s.clicks).sum();
    sections
        .iter()
        .map(|s| SectionRow {
            title: if s.title.is_empty() {
                ctx.t("nb-stats-template-links")
            } else {
                s.title.clone()
            },
            campaigns: s.campaigns,
            links: s.links,
            clicks: s.clicks,
            clicks_machine: s.clicks_machine,
            share: percent(s.clicks, total, ctx.lang),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "nieuwsbrief/stats/overview.html")]
struct OverviewPage {
    ctx: PageContext,
    errors: steden_web::form::FormErrors,
    rows: Vec<Row>,
    sections: Vec<SectionRow>,
    may_manage: bool,
    track_individuals: bool,
    setting_action: &'static str,
}

async fn overview(ctx: PageContext) -> Result<Response, AppError> {
    let staff = super::admin::editor(&ctx).await?;
    let db = ctx.state().db();
    let campaigns = stats::sent_campaigns(db.pool(), 50).await?;
    let sections = stats::section_comparison(db.pool()).await?;
    let title = ctx.t("nb-stats-title");
    let dashboard = ctx.t("nb-admin-title");
    render(&OverviewPage {
        errors: steden_web::form::FormErrors::none(),
        rows: campaigns.iter().map(|c| row(&ctx, c)).collect(),
        sections: section_rows(&ctx, &sections),
        may_manage: crate::access::is_manager(&staff.actor, &staff.kenniscentrum_id),
        track_individuals: stats::track_individuals(db.pool()).await?,
        setting_action: paths::STATISTICS_SETTING,
        ctx: ctx.crumb(dashboard, paths::ADMIN).titled(title),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingForm {
    track_individuals: String,
}

async fn save_setting(
    ctx: PageContext,
    Form(form): Form<SettingForm>,
) -> Result<Response, AppError> {
    let staff = super::admin::staff(&ctx).await?;
    crate::access::require_manager(&staff.actor, &staff.kenniscentrum_id)?;
    let on = form.track_individuals == "1";
    let mut tx = ctx.state().db().begin().await?;
    stats::set_track_individuals(
        &mut tx,
        &staff.actor,
        &staff.kenniscentrum_id,
        on,
        &staff.audit,
        steden_db::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(flash::redirect_with(
        Flash::success(ctx.t("nb-stats-setting-saved")),
        paths::STATISTICS,
    ))
}

struct LinkRow {
    link_no: i64,
    url: String,
    section: String,
    clicks: i64,
    clicks_machine: i64,
}

struct TimeRow {
    label: String,
    counts: StatHourCount,
}

#[derive(Template)]
#[template(path = "nieuwsbrief/stats/campaign.html")]
struct CampaignPage {
    ctx: PageContext,
    head: Row,
    sections: Vec<SectionRow>,
    links: Vec<LinkRow>,
    times: Vec<TimeRow>,
    by_day: bool,
    opens_chart: String,
    clicks_chart: String,
    events: i64,
    sending_href: String,
}

/// More hours than this are shown per day.
const MAX_HOURS: usize = 48;

/// The hours, or the days when there are many hours (Brussels time).
fn time_rows(ctx: &PageContext, hours: &[StatHourCount]) -> (Vec<TimeRow>, bool) {
    let by_day = hours.len() > MAX_HOURS;
    let mut rows: Vec<TimeRow> = Vec::new();
    for h in hours {
        let label = if by_day {
            ctx.date(&h.hour)
        } else {
            ctx.datetime(&h.hour)
        };
        match rows.last_mut() {
            Some(last) if last.label == label => {
                last.counts.opens += h.opens;
                last.counts.opens_machine += h.opens_machine;
                last.counts.clicks += h.clicks;
                last.counts.clicks_machine += h.clicks_machine;
            }
            _ => rows.push(TimeRow {
                label,
                counts: h.clone(),
            }),
        }
    }
    (rows, by_day)
}

async fn campaign(ctx: PageContext, Path(id): Path<String>) -> Result<Response, AppError> {
    super::admin::editor(&ctx).await?;
    let db = ctx.state().db();
    let found = campaigns::get(db.pool(), &id).await?;
    let totals = stats::totals(db.pool(), &id).await?;
    let head = row(
        &ctx,
        &stats::CampaignTotals {
            id: found.id.clone(),
            subject: found.subject.clone(),
            status: found.status,
            started_at: found.started_at,
            sent: found.sent,
            totals,
        },
    );
    let sections = section_rows(&ctx, &stats::section_counts(db.pool(), &id).await?);
    let links = stats::link_counts(db.pool(), &id)
        .await?
        .into_iter()
        .map(|l: StatLinkCount| LinkRow {
            link_no: l.link_no,
            url: l.url,
            section: l
                .section
                .unwrap_or_else(|| ctx.t("nb-stats-template-links")),
            clicks: l.clicks,
            clicks_machine: l.clicks_machine,
        })
        .collect();
    let (times, by_day) = time_rows(&ctx, &stats::hour_counts(db.pool(), &id).await?);
    let bars = |pick: fn(&StatHourCount) -> i64| -> Vec<Bar> {
        times
            .iter()
            .map(|t| Bar {
                label: t.label.clone(),
                value: pick(&t.counts),
            })
            .collect()
    };
    let opens_chart = chart::bars_svg(
        "nb-stats-opens",
        &ctx.t("nb-stats-chart-opens"),
        &ctx.t("nb-stats-chart-desc"),
        &bars(|c| c.opens),
        ctx.lang,
    );
    let clicks_chart = chart::bars_svg(
        "nb-stats-clicks",
        &ctx.t("nb-stats-chart-clicks"),
        &ctx.t("nb-stats-chart-desc"),
        &bars(|c| c.clicks),
        ctx.lang,
    );
    let title = ctx.t_with(
        "nb-stats-campaign-title",
        &[("subject", found.subject.as_str())],
    );
    let overview = ctx.t("nb-stats-title");
    let dashboard = ctx.t("nb-admin-title");
    render(&CampaignPage {
        head,
        sections,
        links,
        times,
        by_day,
        opens_chart,
        clicks_chart,
        events: stats::event_count(db.pool(), &id).await?,
        sending_href: paths::campaign_sending(&id),
        ctx: ctx
            .crumb(dashboard, paths::ADMIN)
            .crumb(overview, paths::STATISTICS)
            .titled(title),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_to_a_tenth_and_say_dash_without_a_whole() {
        assert_eq!(percent(1, 3, Lang::Nl), "33,3 %");
        assert_eq!(percent(2, 3, Lang::En), "66.7 %");
        assert_eq!(percent(5, 0, Lang::Nl), "–");
    }
}

//! What the collection pages share: choices, dates and Dutch labels.

use steden_web::page::PageContext;

use crate::model::{CollectionKind, DocType, EvaluationStatus};

// ---------------------------------------------------------------------------------------------
// Labels

pub(super) fn kind_label(ctx: &PageContext, kind: CollectionKind) -> String {
    ctx.t(&format!("kb-collection-kind-{}", kind.as_str()))
}

pub(super) fn kind_heading(ctx: &PageContext, kind: CollectionKind) -> String {
    ctx.t(&format!("kb-collection-group-{}", kind.as_str()))
}

pub(super) fn doc_type_label(doc_type: &str) -> String {
    DocType::parse(doc_type).map_or_else(|| doc_type.to_string(), |t| t.label().to_string())
}

/// An evaluation status as shown: a word, an icon and a badge style (colour is extra).
pub(super) struct StatusView {
    pub(super) label: String,
    pub(super) icon: &'static str,
    pub(super) class: &'static str,
}

pub(super) fn status_view(ctx: &PageContext, status: Option<EvaluationStatus>) -> StatusView {
    match status {
        None => StatusView {
            label: ctx.t("kb-collection-status-none"),
            icon: "info",
            class: "badge-neutral",
        },
        Some(s) => StatusView {
            label: ctx.t(&format!("kb-collection-status-{}", s.as_str())),
            icon: match s {
                EvaluationStatus::TeEvalueren => "circle",
                EvaluationStatus::InEvaluatie => "clock",
                EvaluationStatus::Geevalueerd => "check",
                EvaluationStatus::Goedgekeurd => "success",
            },
            class: match s {
                EvaluationStatus::TeEvalueren => "badge-neutral",
                EvaluationStatus::InEvaluatie => "badge-warning",
                EvaluationStatus::Geevalueerd => "badge-info",
                EvaluationStatus::Goedgekeurd => "badge-success",
            },
        },
    }
}

//! The links between the pages of a long list, as one partial for every list of the platform.
//!
//! The handler builds a [`Pagination`] from the current page, the number of pages and how a
//! page's address is made; the template includes the markup:
//!
//! ```text
//! // handler
//! let pagination = Pagination::new(&ctx, page, pages, |n| format!("/nieuws?pagina={n}"));
//! // template
//! {% import "partials/pagination.html" as p %}
//! {% call p::pagination(pagination) %}
//! ```
//!
//! It shows nothing for a single page. With many pages it shows the first, the last and two
//! on each side of the current one, with an ellipsis for a gap, so the row stays short on a
//! phone. The current page is marked `aria-current="page"`; the previous and next links carry
//! `rel="prev"`/`rel="next"`.

use crate::page::PageContext;

/// The navigation between pages of one list.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// The `aria-label` of the `<nav>`.
    pub label: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub previous_label: String,
    pub next_label: String,
    /// "Pagina", read before each number by screen readers.
    pub page_word: String,
    /// "Pagina 3 van 25", shown above the links; empty for none.
    pub summary: String,
    pub links: Vec<PageLink>,
}

/// One numbered page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLink {
    pub number: u64,
    pub href: String,
    pub current: bool,
    /// An ellipsis stands before this page (pages were left out).
    pub gap_before: bool,
}

/// How many pages are shown on each side of the current one.
const AROUND_CURRENT: u64 = 2;

impl Pagination {
    /// Page `page` (from 1) of `pages`, with the shell's Dutch or English labels.
    pub fn new(ctx: &PageContext, page: u64, pages: u64, href: impl Fn(u64) -> String) -> Self {
        let mut pagination = Self::with_labels(
            ctx.t("pagination-label"),
            ctx.t("pagination-previous"),
            ctx.t("pagination-next"),
            ctx.t("pagination-page"),
            page,
            pages,
            href,
        );
        let shown = |n: u64| ctx.int(&i64::try_from(n).unwrap_or(i64::MAX));
        let current = pagination
            .links
            .iter()
            .find(|link| link.current)
            .map_or(1, |link| link.number);
        pagination.summary = ctx.t_with(
            "pagination-of",
            &[
                ("page", shown(current).as_str()),
                ("pages", shown(pages.max(1)).as_str()),
            ],
        );
        pagination
    }

    /// Like [`Pagination::new`], with the module's own words (e.g. "Nieuwer"/"Ouder" for news).
    pub fn with_labels(
        label: String,
        previous_label: String,
        next_label: String,
        page_word: String,
        page: u64,
        pages: u64,
        href: impl Fn(u64) -> String,
    ) -> Self {
        let pages = pages.max(1);
        let page = page.clamp(1, pages);
        let mut links = Vec::new();
        let mut last_shown = 0;
        for number in 1..=pages {
            let near = number.abs_diff(page) <= AROUND_CURRENT;
            if number == 1 || number == pages || near {
                links.push(PageLink {
                    number,
                    href: href(number),
                    current: number == page,
                    gap_before: last_shown != 0 && number > last_shown + 1,
                });
                last_shown = number;
            }
        }
        Pagination {
            label,
            previous: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            previous_label,
            next_label,
            page_word,
            summary: String::new(),
            links: if pages > 1 { links } else { Vec::new() },
        }
    }

    /// Whether there is more than one page (the partial shows nothing otherwise).
    pub fn is_needed(&self) -> bool {
        !self.links.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    fn of(page: u64, pages: u64) -> Pagination {
        Pagination::with_labels(
            "Paginering".into(),
            "Vorige".into(),
            "Volgende".into(),
            "Pagina".into(),
            page,
            pages,
            |n| format!("/lijst?pagina={n}"),
        )
    }

    fn numbers(p: &Pagination) -> Vec<(u64, bool)> {
        p.links.iter().map(|l| (l.number, l.gap_before)).collect()
    }

    #[test]
    fn long_lists_show_the_ends_and_the_neighbourhood() {
        let p = of(10, 20);
        assert_eq!(
            numbers(&p),
            [
                (1, false),
                (8, true),
                (9, false),
                (10, false),
                (11, false),
                (12, false),
                (20, true)
            ]
        );
        assert_eq!(p.previous.as_deref(), Some("/lijst?pagina=9"));
        assert_eq!(p.next.as_deref(), Some("/lijst?pagina=11"));
        assert!(p.links.iter().any(|l| l.current && l.number == 10));
    }

    #[test]
    fn first_last_and_out_of_range_pages() {
        let first = of(1, 3);
        assert_eq!(numbers(&first), [(1, false), (2, false), (3, false)]);
        assert_eq!(first.previous, None);
        let last = of(99, 3);
        assert_eq!(last.next, None, "a page past the end counts as the last");
        assert!(last.links[2].current);
        assert!(!of(1, 1).is_needed());
        assert!(!of(1, 0).is_needed());
    }

    #[derive(Template)]
    #[template(
        source = r#"{% import "partials/pagination.html" as p %}{% call p::pagination(pagination) %}"#,
        ext = "html"
    )]
    struct Sample {
        pagination: Pagination,
    }

    #[test]
    fn the_partial_marks_the_current_page_and_the_relations() {
        let html = Sample {
            pagination: of(2, 9),
        }
        .render()
        .unwrap();
        assert!(
            html.contains(r#"<nav class="pagination" aria-label="Paginering">"#),
            "{html}"
        );
        assert!(
            html.contains(r#"href="/lijst?pagina=1" rel="prev""#),
            "{html}"
        );
        assert!(
            html.contains(r#"href="/lijst?pagina=3" rel="next""#),
            "{html}"
        );
        assert!(html.contains(r#"aria-current="page""#), "{html}");
        assert!(html.contains("…"), "{html}");
        let single = Sample {
            pagination: of(1, 1),
        }
        .render()
        .unwrap();
        assert!(!single.contains("<nav"), "{single}");
    }
}

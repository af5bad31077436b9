//! The links of a rendered mail, numbered from 1 in document order (`nb_campaign_links`): the
//! click statistics will send every click through its number, so that the redirect can only
//! ever go to an address the campaign holds. The recipient's own links (the slots of
//! [`crate::frozen`]) and non-web links (`mailto:`) are not numbered.

use scraper::{Html, Selector};

use crate::store::campaigns::FrozenLink;

/// The numbered links of `html`; each gets the first section whose blocks hold its address
/// (`None` for the template's own links: the logo, the site, the archive).
pub(super) fn number(html: &str, section_urls: &[(String, Vec<String>)]) -> Vec<FrozenLink> {
    let document = Html::parse_document(html);
    let anchors = Selector::parse("a[href]").expect("a valid selector");
    document
        .select(&anchors)
        .filter_map(|a| a.value().attr("href"))
        .map(str::trim)
        .filter(|href| href.starts_with("https://") || href.starts_with("http://"))
        .filter(|href| !crate::frozen::ALL.iter().any(|slot| href.contains(slot)))
        .enumerate()
        .map(|(index, url)| FrozenLink {
            link_no: index as i64 + 1,
            url: url.to_string(),
            section_id: section_urls
                .iter()
                .find(|(_, urls)| urls.iter().any(|u| u == url))
                .map(|(id, _)| id.clone()),
        })
        .collect()
}

//! The statistics in a sent message (design §3.5): every numbered link of the frozen HTML
//! (`nb_campaign_links`, in document order) and the same addresses in the text part point to
//! the signed redirect `/nieuwsbrief/k/{token}`, and a 1×1 pixel (`alt=""`) before `</body>`
//! counts the open. The recipient's own links (preferences, unsubscribe: the slots of
//! [`crate::frozen`]) and `mailto:` links are not numbered and stay as they are.
//!
//! The frozen content is cut once per sending run into pieces ([`Tracked`]); a message is then
//! put together in one pass. Without per-person tracking every message of the same ten
//! seconds is the same, so it is made once per tick and shared.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use steden_core::error::CoreResult;
use steden_core::signed_link::Signer;
use steden_db::Db;

use super::{sign_click, sign_open, tick_of};
use crate::send::message::CampaignMail;
use crate::send::setup::SendSetup;
use crate::store::stats;

/// The pixel's address for a token.
pub fn open_path(token: &str) -> String {
    format!("/nieuwsbrief/o/{token}.gif")
}

/// The redirect's address for a token.
pub fn click_path(token: &str) -> String {
    format!("/nieuwsbrief/k/{token}")
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Click(i64),
    Pixel,
}

/// The frozen HTML and text cut where the statistics' addresses go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    html: Vec<Piece>,
    text: Vec<Piece>,
}

fn unescape_attribute(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(last)) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(Piece::Text(text.to_string()));
    }
}

/// Cuts `html` at the `href` of every `<a>` that is one of `links` (number, address), taken
/// in document order as [`crate::render`] numbered them; an address out of order is matched by
/// its value (the first number that has it). The pixel goes before the last `</body>`.
fn cut_html(html: &str, links: &[(i64, String)]) -> Vec<Piece> {
    let by_url: HashMap<&str, i64> = links
        .iter()
        .rev()
        .map(|(no, url)| (url.as_str(), *no))
        .collect();
    let mut pieces = Vec::new();
    let mut next = 0usize;
    let mut rest = html;
    let lower = html.to_ascii_lowercase();
    let mut offset = 0usize;
    // Each `<a` start tag in turn.
    while let Some(found) = lower[offset..]
        .match_indices("<a")
        .map(|(i, _)| offset + i)
        .find(|&i| {
            lower[i + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_whitespace())
        })
    {
        let tag_end = match lower[found..].find('>') {
            Some(end) => found + end,
            None => break,
        };
        offset = tag_end;
        let tag = &lower[found..tag_end];
        let Some(href_at) = tag.find(" href=\"").or_else(|| tag.find("\thref=\"")) else {
            continue;
        };
        let value_start = found + href_at + 7;
        let Some(value_len) = html[value_start..tag_end].find('"') else {
            continue;
        };
        let value = unescape_attribute(html[value_start..value_start + value_len].trim());
        let number = match links.get(next) {
            Some((no, url)) if *url == value => {
                next += 1;
                Some(*no)
            }
            _ => by_url.get(value.as_str()).copied(),
        };
        if let Some(number) = number {
            let consumed = html.len() - rest.len();
            push_text(&mut pieces, &html[consumed..value_start]);
            pieces.push(Piece::Click(number));
            rest = &html[value_start + value_len..];
        }
    }
    let consumed = html.len() - rest.len();
    let tail = &html[consumed..];
    match tail.to_ascii_lowercase().rfind("</body>") {
        Some(at) => {
            push_text(&mut pieces, &tail[..at]);
            pieces.push(Piece::Pixel);
            push_text(&mut pieces, &tail[at..]);
        }
        None => {
            push_text(&mut pieces, tail);
            pieces.push(Piece::Pixel);
        }
    }
    pieces
}

/// Cuts `text` at every address that is exactly one of `links` (a run of non-space characters
/// starting with `http://` or `https://`, without a closing bracket or full stop after it).
fn cut_text(text: &str, links: &[(i64, String)]) -> Vec<Piece> {
    let by_url: HashMap<&str, i64> = links
        .iter()
        .rev()
        .map(|(no, url)| (url.as_str(), *no))
        .collect();
    let mut pieces = Vec::new();
    let mut copied = 0usize;
    let mut at = 0usize;
    while let Some(found) = text[at..].find("http").map(|i| at + i) {
        let run_len = text[found..]
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"')
            .unwrap_or(text.len() - found);
        let mut candidate = &text[found..found + run_len];
        let mut number = by_url.get(candidate).copied();
        while number.is_none() && candidate.ends_with([')', '.', ',', ';']) {
            candidate = &candidate[..candidate.len() - 1];
            number = by_url.get(candidate).copied();
        }
        match number {
            Some(number) if !candidate.is_empty() => {
                push_text(&mut pieces, &text[copied..found]);
                pieces.push(Piece::Click(number));
                copied = found + candidate.len();
                at = copied;
            }
            _ => at = found + run_len.max(4),
        }
    }
    push_text(&mut pieces, &text[copied..]);
    pieces
}

impl Tracked {
    /// The frozen `html` and `text` of a campaign with its numbered `links`.
    pub fn new(html: &str, text: &str, links: &[(i64, String)]) -> Tracked {
        Tracked {
            html: cut_html(html, links),
            text: cut_text(text, links),
        }
    }
}

fn assemble(pieces: &[Piece], pixel: &str, click: &dyn Fn(i64) -> String) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Click(no) => out.push_str(&click(*no)),
            Piece::Pixel => out.push_str(pixel),
        }
    }
    out
}

/// The [`Tracking`] of a sending run of `mail`: its numbered links, and — only when the
/// managers' switch is on — the recipients who agreed to per-person statistics.
pub async fn tracking(
    db: &Db,
    mail: &Arc<CampaignMail>,
    signer: Arc<Signer>,
    setup: &SendSetup,
) -> CoreResult<Tracking> {
    let links = stats::links(db.pool(), &mail.id).await?;
    let individuals = if stats::track_individuals(db.pool()).await? {
        stats::tracking_recipients(db.pool(), &mail.id).await?
    } else {
        HashSet::new()
    };
    Ok(Tracking::new(
        mail.clone(),
        &links,
        signer,
        &setup.base_url,
        individuals,
    ))
}

/// What a sending run needs to put the statistics into each message.
pub struct Tracking {
    campaign: Arc<CampaignMail>,
    tracked: Tracked,
    signer: Arc<Signer>,
    base_url: String,
    /// The recipients followed per person (empty unless the managers' switch is on).
    individuals: HashSet<String>,
    shared: Mutex<Option<(i64, Arc<CampaignMail>)>>,
}

impl Tracking {
    /// For `campaign` (its frozen content) and its `links`; `individuals` are the recipients
    /// whose tokens carry their id.
    pub fn new(
        campaign: Arc<CampaignMail>,
        links: &[(i64, String)],
        signer: Arc<Signer>,
        base_url: &str,
        individuals: HashSet<String>,
    ) -> Tracking {
        Tracking {
            tracked: Tracked::new(&campaign.html, &campaign.text, links),
            campaign,
            signer,
            base_url: base_url.trim_end_matches('/').to_string(),
            individuals,
            shared: Mutex::new(None),
        }
    }

    /// The campaign's content for `subscriber_id`'s message sent at `now`: links through the
    /// redirect, the pixel in; the recipient slots still to fill.
    pub fn mail_for(&self, subscriber_id: &str, now: i64) -> Arc<CampaignMail> {
        let tick = tick_of(now);
        if self.individuals.contains(subscriber_id) {
            return Arc::new(self.make(tick, Some(subscriber_id)));
        }
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, mail)) = shared.as_ref() {
            if *at == tick {
                return mail.clone();
            }
        }
        let mail = Arc::new(self.make(tick, None));
        *shared = Some((tick, mail.clone()));
        mail
    }

    fn make(&self, tick: i64, subscriber: Option<&str>) -> CampaignMail {
        let campaign = &self.campaign;
        let open = sign_open(&self.signer, &campaign.id, tick, subscriber);
        let pixel = format!(
            "<img src=\"{}{}\" width=\"1\" height=\"1\" alt=\"\" \
             style=\"display:block;border:0;width:1px;height:1px;overflow:hidden\">",
            self.base_url,
            open_path(&open)
        );
        // One token per link, the same in both parts.
        let mut urls: HashMap<i64, String> = HashMap::new();
        for piece in self.tracked.html.iter().chain(self.tracked.text.iter()) {
            if let Piece::Click(no) = piece {
                urls.entry(*no).or_insert_with(|| {
                    let token = sign_click(&self.signer, &campaign.id, *no, tick, subscriber);
                    format!("{}{}", self.base_url, click_path(&token))
                });
            }
        }
        let lookup = |no: i64| urls.get(&no).cloned().unwrap_or_default();
        CampaignMail::new(
            campaign.id.clone(),
            campaign.subject.clone(),
            assemble(&self.tracked.html, &pixel, &lookup),
            assemble(&self.tracked.text, "", &lookup),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Vec<(i64, String)> {
        vec![
            (1, "https://site.test/a?x=1&y=2".into()),
            (2, "https://site.test/b".into()),
            (3, "https://site.test/a?x=1&y=2".into()),
        ]
    }

    #[test]
    fn html_links_are_cut_in_order_and_slots_and_mailto_stay() {
        let html = "<html><head><link href=\"https://site.test/b\"></head><body>\
            <a href=\"https://site.test/a?x=1&amp;y=2\">A</a> <a class=\"x\" href=\"https://site.test/b\">B</a>\
            <a href=\"mailto:x@y.test\">m</a><a href=\"%%NB_AFMELDEN_URL%%\">af</a>\
            <a href=\"https://site.test/a?x=1&amp;y=2\">A2</a></body></html>";
        let pieces = cut_html(html, &links());
        let clicks: Vec<i64> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Click(n) => Some(*n),
                _ => None,
            })
            .collect();
        assert_eq!(clicks, vec![1, 2, 3]);
        let out = assemble(&pieces, "<img alt=\"\">", &|n| format!("K{n}"));
        assert!(out.contains("<a href=\"K1\">A</a>"));
        assert!(out.contains("<a class=\"x\" href=\"K2\">B</a>"));
        assert!(out.contains("mailto:x@y.test"));
        assert!(out.contains("%%NB_AFMELDEN_URL%%"));
        assert!(out.contains("<link href=\"https://site.test/b\">"));
        assert!(out.ends_with("<img alt=\"\"></body></html>"));
    }

    #[test]
    fn text_addresses_are_replaced_whole() {
        let text = "Lees (https://site.test/b). Meer: https://site.test/bc en https://site.test/a?x=1&y=2\n";
        let out = assemble(&cut_text(text, &links()), "", &|n| format!("K{n}"));
        assert_eq!(out, "Lees (K2). Meer: https://site.test/bc en K1\n");
    }
}

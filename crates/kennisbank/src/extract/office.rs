//! DOCX, PPTX and ODT: ZIP packages of XML, read with `zip` and `quick-xml`.
//!
//! Only the parts holding the body text are unpacked (`word/document.xml`,
//! the slides in presentation order, `content.xml`), plus the metadata title
//! (`docProps/core.xml` or `meta.xml`, `dc:title`). Every unpacked byte counts against the
//! shared budget in [`Guard`], so a zip bomb in a read part stops at the limit. The text parts
//! are parsed while they are unpacked, never held whole in memory, and one XML event may span at
//! most [`MAX_EVENT`] bytes; the small parts read whole (relationships, manifest) at most
//! [`MAX_SMALL_PART`]. So memory stays near the text kept, whatever the archive unpacks to.

use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::error::ExtractError;
use super::guard::{Guard, TextSink};
use super::types::{Extracted, Format, Limits};

pub(super) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Most bytes one XML event (a tag or a text node) may span while parsing a text part.
pub(super) const MAX_EVENT: u64 = 16 * 1024 * 1024;

/// Most bytes of a part that is read whole (presentation order, relationships, manifest).
pub(super) const MAX_SMALL_PART: u64 = 16 * 1024 * 1024;

/// Which elements carry text in one XML dialect (matched on local names, so any prefix works).
struct Markup {
    /// Text is taken only inside these elements.
    text_in: &'static [&'static str],
    /// The end of one of these ends a paragraph (a line break).
    paragraphs: &'static [&'static str],
    /// Empty elements standing for a tab.
    tabs: &'static [&'static str],
    /// Empty elements standing for a line break.
    breaks: &'static [&'static str],
    /// Empty elements standing for a space (ODT's `text:s`).
    spaces: &'static [&'static str],
}

const DOCX: Markup = Markup {
    text_in: &["t"],
    paragraphs: &["p"],
    tabs: &["tab"],
    breaks: &["br", "cr"],
    spaces: &[],
};

const PPTX: Markup = Markup {
    text_in: &["t"],
    paragraphs: &["p"],
    tabs: &[],
    breaks: &["br"],
    spaces: &[],
};

const ODT: Markup = Markup {
    text_in: &["p", "h"],
    paragraphs: &["p", "h"],
    tabs: &["tab"],
    breaks: &["line-break"],
    spaces: &["s"],
};

/// Extracts DOCX, PPTX or ODT text.
pub(super) fn extract(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    guard: &Guard,
) -> Result<Extracted, ExtractError> {
    let mut archive = open_zip(bytes, limits, guard)?;
    let mut sink = TextSink::new(limits.max_text_chars);
    let (parts, title) = match format {
        Format::Docx => {
            parse_entry(&mut archive, "word/document.xml", &DOCX, &mut sink, guard)?;
            (1, title_from(&mut archive, "docProps/core.xml", guard)?)
        }
        Format::Pptx => {
            let slides = slide_names(&mut archive, guard)?;
            for name in &slides {
                parse_entry(&mut archive, name, &PPTX, &mut sink, guard)?;
                sink.newline();
            }
            (
                slides.len(),
                title_from(&mut archive, "docProps/core.xml", guard)?,
            )
        }
        _ => {
            refuse_encrypted_odt(&mut archive, guard)?;
            parse_entry(&mut archive, "content.xml", &ODT, &mut sink, guard)?;
            (1, title_from(&mut archive, "meta.xml", guard)?)
        }
    };
    let (text, truncated) = sink.finish();
    Ok(Extracted {
        text,
        title,
        pages_or_parts: parts,
        truncated,
        notice: None,
    })
}

/// Opens the archive (reads the central directory only) and checks the number of entries.
pub(super) fn open_zip<'a>(
    bytes: &'a [u8],
    limits: &Limits,
    guard: &Guard,
) -> Result<Archive<'a>, ExtractError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| ExtractError::Malformed(format!("geen geldig ZIP-archief ({e})")))?;
    if archive.len() > limits.max_entries {
        return Err(guard.too_large());
    }
    Ok(archive)
}

/// The unpacked bytes of the small entry `name`, or `None` when the archive has no such entry.
fn entry(
    archive: &mut Archive,
    name: &str,
    guard: &Guard,
) -> Result<Option<Vec<u8>>, ExtractError> {
    guard.check_time()?;
    match open_entry(archive, name)? {
        Some(file) => guard.read_all(file, MAX_SMALL_PART).map(Some),
        None => Ok(None),
    }
}

fn open_entry<'a, 'b>(
    archive: &'a mut Archive<'b>,
    name: &str,
) -> Result<Option<zip::read::ZipFile<'a, Cursor<&'b [u8]>>>, ExtractError> {
    match archive.by_name(name) {
        Ok(file) => Ok(Some(file)),
        Err(zip::result::ZipError::FileNotFound) => Ok(None),
        Err(e) => Err(ExtractError::Malformed(format!(
            "onderdeel {name} kan niet gelezen worden ({e})"
        ))),
    }
}

/// Parses the text part `name` while unpacking it.
fn parse_entry(
    archive: &mut Archive,
    name: &str,
    markup: &Markup,
    sink: &mut TextSink,
    guard: &Guard,
) -> Result<(), ExtractError> {
    guard.check_time()?;
    let file = open_entry(archive, name)?
        .ok_or_else(|| ExtractError::Malformed(format!("onderdeel {name} ontbreekt")))?;
    parse(file, markup, sink, guard)
}

/// The slides in presentation order: `p:sldIdLst` in `ppt/presentation.xml`, resolved through
/// `ppt/_rels/presentation.xml.rels`. When those parts are missing or do not add up, the
/// `ppt/slides/slideN.xml` entries ordered by N.
fn slide_names(archive: &mut Archive, guard: &Guard) -> Result<Vec<String>, ExtractError> {
    let listed = presentation_order(archive, guard)?.filter(|names| {
        !names.is_empty() && names.iter().all(|n| archive.index_for_name(n).is_some())
    });
    Ok(listed.unwrap_or_else(|| slides_by_number(archive)))
}

fn presentation_order(
    archive: &mut Archive,
    guard: &Guard,
) -> Result<Option<Vec<String>>, ExtractError> {
    let Some(presentation) = entry(archive, "ppt/presentation.xml", guard)? else {
        return Ok(None);
    };
    let Some(rels) = entry(archive, "ppt/_rels/presentation.xml.rels", guard)? else {
        return Ok(None);
    };
    let mut ids = Vec::new();
    let mut targets = HashMap::new();
    for_each_element(&presentation, |e| {
        if e.local_name().as_ref() == "sldId" {
            ids.extend(attribute(e, |key| {
                key.contains(':') && key.ends_with(":id")
            }));
        }
    });
    for_each_element(&rels, |e| {
        if e.local_name().as_ref() == "Relationship" {
            if let (Some(id), Some(target)) = (
                attribute(e, |key| key == "Id"),
                attribute(e, |key| key == "Target"),
            ) {
                targets.insert(id, target);
            }
        }
    });
    Ok(ids
        .iter()
        .map(|id| targets.get(id).map(|t| part_path("ppt/", t)))
        .collect())
}

/// A relationship target as an archive path: absolute (`/ppt/...`) or relative to `base`.
fn part_path(base: &str, target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    }
}

/// The unescaped value of the first attribute whose qualified name `wanted` accepts.
fn attribute(e: &BytesStart, wanted: impl Fn(&str) -> bool) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| wanted(a.key.as_ref()))
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Calls `f` for every start or empty element, stopping quietly at the first XML error (the
/// callers have a fallback).
fn for_each_element(xml: &[u8], mut f: impl FnMut(&BytesStart)) {
    let mut reader = quick_xml::Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// `ppt/slides/slideN.xml` entries ordered by N.
fn slides_by_number(archive: &Archive) -> Vec<String> {
    let mut slides: Vec<(u32, String)> = archive
        .file_names()
        .filter_map(|name| name.ok())
        .filter_map(|name| {
            let n = name
                .strip_prefix("ppt/slides/slide")?
                .strip_suffix(".xml")?
                .parse()
                .ok()?;
            Some((n, name.into_owned()))
        })
        .collect();
    slides.sort();
    slides.into_iter().map(|(_, name)| name).collect()
}

/// ODF packages list encrypted parts with `manifest:encryption-data` in their manifest.
fn refuse_encrypted_odt(archive: &mut Archive, guard: &Guard) -> Result<(), ExtractError> {
    match entry(archive, "META-INF/manifest.xml", guard)? {
        Some(manifest) if manifest.windows(15).any(|w| w == b"encryption-data") => {
            Err(ExtractError::Encrypted(Format::Odt))
        }
        _ => Ok(()),
    }
}

/// The text of the first `title` element (`dc:title`) in a metadata part, if any.
pub(super) fn title_from(
    archive: &mut Archive,
    name: &str,
    guard: &Guard,
) -> Result<Option<String>, ExtractError> {
    guard.check_time()?;
    let Some(file) = open_entry(archive, name)? else {
        return Ok(None);
    };
    let markup = Markup {
        text_in: &["title"],
        paragraphs: &["title"],
        tabs: &[],
        breaks: &[],
        spaces: &[],
    };
    let mut sink = TextSink::new(1000);
    // A damaged metadata part should not cost the document its text.
    match parse(file, &markup, &mut sink, guard) {
        Ok(()) => {}
        // A bomb or the deadline in the metadata stops the whole extraction, like in the body.
        Err(
            e @ (ExtractError::DecompressedTooLarge { .. }
            | ExtractError::ElementTooLarge { .. }
            | ExtractError::Timeout),
        ) => return Err(e),
        Err(_) => return Ok(None),
    }
    let (text, _) = sink.finish();
    let title = text.lines().next().unwrap_or("").trim().to_string();
    Ok((!title.is_empty()).then_some(title))
}

/// Walks the XML events of one part while it is unpacked, collecting text as `markup` says.
fn parse(
    part: impl Read,
    markup: &Markup,
    sink: &mut TextSink,
    guard: &Guard,
) -> Result<(), ExtractError> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(guard.reader(part, MAX_EVENT)));
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut events = 0u32;
    loop {
        events = events.wrapping_add(1);
        if events.is_multiple_of(4096) {
            guard.check_time()?;
        }
        if sink.is_full() {
            return Ok(());
        }
        buf.clear();
        reader.get_mut().get_mut().mark();
        let event = reader.read_event_into(&mut buf).map_err(|e| match e {
            quick_xml::Error::Io(io) => guard.io_error(&io),
            e => ExtractError::Malformed(format!("ongeldige XML ({e})")),
        })?;
        match event {
            Event::Start(e) if markup.text_in.contains(&e.local_name().as_ref()) => depth += 1,
            Event::End(e) => {
                let name = e.local_name();
                if markup.text_in.contains(&name.as_ref()) {
                    depth = depth.saturating_sub(1);
                }
                if markup.paragraphs.contains(&name.as_ref()) {
                    sink.newline();
                }
            }
            Event::Empty(e) => empty_element(e.local_name().as_ref(), markup, sink),
            Event::Text(t) if depth > 0 => sink.push(&t.xml10_content()),
            Event::CData(t) if depth > 0 => sink.push(&t.xml10_content()),
            Event::GeneralRef(r) if depth > 0 => push_reference(&r, sink),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn empty_element(name: &str, markup: &Markup, sink: &mut TextSink) {
    if markup.tabs.contains(&name) {
        sink.push("\t");
    } else if markup.breaks.contains(&name) {
        sink.push("\n");
    } else if markup.spaces.contains(&name) {
        sink.push(" ");
    } else if markup.paragraphs.contains(&name) {
        sink.newline();
    }
}

/// `&amp;`-style and `&#233;`-style references inside text.
fn push_reference(r: &quick_xml::events::BytesRef, sink: &mut TextSink) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        sink.push(c.encode_utf8(&mut [0; 4]));
        return;
    }
    let named = match r.as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return,
    };
    sink.push(named);
}

//! Reading an uploaded XLSX workbook safely, for every module that imports spreadsheets.
//!
//! An XLSX is a zip of XML parts, and both can be hostile: a zip bomb (a few kilobytes that
//! unpack to gigabytes), a directory claiming millions of entries, XML that makes a parser
//! panic. So the zip's directory is read first (with the `zip` crate) and the sizes its
//! entries declare are summed and their compression ratios judged; calamine reads the first
//! sheet only when those are sane. The zip reader itself stops an entry that inflates past its
//! declared size, so the declared sum bounds what calamine can unpack. A panic inside calamine
//! becomes a refusal, never a crashed request.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

/// The highest compression ratio of an entry over [`RATIO_FROM_BYTES`]: spreadsheet XML packs
/// 5 to 30 times, a zip bomb a thousand times and more.
pub const MAX_RATIO: u64 = 200;
/// Entries smaller than this unpacked are not judged by their ratio (they cannot hurt).
const RATIO_FROM_BYTES: u64 = 1024 * 1024;
/// Entries of a workbook (a workbook has a dozen or so).
const MAX_ENTRIES: usize = 1_000;

/// Why a workbook is not read, in Dutch, for the person who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XlsxRefusal(pub String);

impl std::fmt::Display for XlsxRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `bytes` look like an XLSX workbook: a zip holding `xl/workbook.xml`. Reads only the
/// zip's directory.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(bytes))
            .map(|archive| archive.index_for_name("xl/workbook.xml").is_some())
            .unwrap_or(false)
}

/// Checks a workbook's zip directory before anything is unpacked: the number of entries, the
/// sum of their declared sizes (at most `max_unpacked` bytes) and each entry's compression
/// ratio.
pub fn check_package(bytes: &[u8], max_unpacked: u64) -> Result<(), XlsxRefusal> {
    let unreadable = || {
        XlsxRefusal(
            "Dit is geen leesbaar XLSX-bestand (bewaar het opnieuw als Excel-werkmap).".into(),
        )
    };
    let bomb = || {
        XlsxRefusal(format!(
            "Dit XLSX-bestand pakt uit tot meer dan {} MB of is ongewoon sterk samengeperst (een zip-bom?): niet ingelezen.",
            max_unpacked / (1024 * 1024)
        ))
    };
    let entries = end_record_entries(bytes).ok_or_else(unreadable)?;
    if entries > MAX_ENTRIES {
        return Err(bomb());
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|_| unreadable())?;
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        if size > RATIO_FROM_BYTES && size / packed > MAX_RATIO {
            return Err(bomb());
        }
        total = total.saturating_add(size);
        if total > max_unpacked {
            return Err(bomb());
        }
    }
    Ok(())
}

/// The number of entries the zip's end record declares (read before the directory, so a zip
/// claiming millions of entries is refused without reading them).
fn end_record_entries(bytes: &[u8]) -> Option<usize> {
    const SIGNATURE: &[u8] = b"PK\x05\x06";
    let tail = &bytes[bytes.len().saturating_sub(22 + 65_535)..];
    let at = tail
        .windows(4)
        .rposition(|w| w == SIGNATURE)
        .filter(|at| at + 22 <= tail.len())?;
    let entries = u16::from_le_bytes([tail[at + 10], tail[at + 11]]) as usize;
    // 0xFFFF points to a zip64 record: far beyond a workbook, so refused as too many.
    Some(if entries == 0xFFFF {
        usize::MAX
    } else {
        entries
    })
}

/// The first sheet of a workbook, after [`check_package`].
pub fn first_sheet(bytes: &[u8], max_unpacked: u64) -> Result<Range<Data>, XlsxRefusal> {
    check_package(bytes, max_unpacked)?;
    // calamine parses untrusted ZIP and XML: a panic deep inside must become a refusal.
    catch_unwind(AssertUnwindSafe(|| {
        let mut workbook: Xlsx<Cursor<&[u8]>> = open_workbook_from_rs(Cursor::new(bytes)).ok()?;
        workbook.worksheet_range_at(0)?.ok()
    }))
    .ok()
    .flatten()
    .ok_or_else(|| {
        XlsxRefusal(
            "Het eerste werkblad van dit XLSX-bestand is niet leesbaar (bewaar het opnieuw als Excel-werkmap).".into(),
        )
    })
}

/// A cell as text: empty for an empty or error cell, a whole number without decimals, a date
/// as `YYYY-MM-DD`.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::DateTime(moment) if moment.is_datetime() => {
            let (year, month, day, ..) = moment.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_bomb_is_refused_before_anything_is_unpacked() {
        let bomb = zip_of(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/sheet1.xml", &vec![b' '; 20 * 1024 * 1024]),
        ]);
        assert!(is_workbook(&bomb));
        let refusal = check_package(&bomb, 50 * 1024 * 1024).unwrap_err();
        assert!(refusal.0.contains("zip-bom"), "{refusal}");
        // Within the ratio but over the sum: refused too.
        // Noise does not pack: its ratio is about 1.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let plain: Vec<u8> = (0..3 * 1024 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let big = zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("a", &plain)]);
        assert!(check_package(&big, 2 * 1024 * 1024).is_err());
        assert!(check_package(&big, 50 * 1024 * 1024).is_ok());
    }

    #[test]
    fn what_is_no_workbook_is_refused_with_a_reason() {
        assert!(!is_workbook(b"indicator;geo;period;value\n"));
        assert!(!is_workbook(&zip_of(&[("data.csv", b"a;b\n")])));
        let broken = zip_of(&[("xl/workbook.xml", b"<not a workbook")]);
        let refusal = first_sheet(&broken, 1024 * 1024).unwrap_err();
        assert!(refusal.0.contains("niet leesbaar"), "{refusal}");
    }

    #[test]
    fn cells_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(2024.0)), "2024");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::String("Gent".into())), "Gent");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}

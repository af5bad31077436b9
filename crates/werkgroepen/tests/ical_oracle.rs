//! The independent reader of our iCalendar output: `tests/ical_check.py` with Python's
//! `icalendar` (pinned in .ci/run). Without python3 or the package the callers skip the
//! comparison (printing "skipped"), unless `STEDEN_REQUIRE_ICAL=1` (CI) makes that a failure,
//! as tests/cadence_dateutil.rs does for dateutil.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ical_check.py");

/// Every calendar of `texts` as the Python parser reads it (one JSON object each).
fn run(texts: &[String]) -> Result<Vec<Value>, String> {
    let mut child = Command::new("python3")
        .arg(SCRIPT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(serde_json::to_string(texts).unwrap().as_bytes())
        .map_err(|e| e.to_string())?;
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    match serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())? {
        Value::Array(items) => Ok(items),
        other => Err(format!("not a list: {other}")),
    }
}

/// Whether python3 can import icalendar at all (a missing package skips; a parse error of our
/// output must fail, so it is not folded into "missing").
fn available() -> Result<(), String> {
    let output = Command::new("python3")
        .args(["-c", "import icalendar"])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The parsed calendars, or `None` when the parser is missing and not required.
pub fn parse(texts: &[String]) -> Option<Vec<Value>> {
    if let Err(why) = available() {
        assert!(
            std::env::var("STEDEN_REQUIRE_ICAL").as_deref() != Ok("1"),
            "python3 with icalendar is required (STEDEN_REQUIRE_ICAL=1): {why}"
        );
        println!("skipped: no python3 with icalendar ({})", why.trim());
        return None;
    }
    Some(run(texts).unwrap_or_else(|why| panic!("icalendar could not read our output: {why}")))
}

//! Running an outside extractor (poppler's `pdftotext`, `pdfinfo`, `pdfimages`, `pdftoppm`;
//! `tesseract`) as a child process under hard limits, so that no upload can take the server's
//! memory or time with it.
//!
//! Each child gets, set by the kernel before it runs (`setrlimit` in a `pre_exec` hook):
//! an address-space limit ([`CHILD_MEMORY`]: an allocation beyond it fails and the tool ends),
//! a CPU-time limit (the seconds left until the deadline), no core dumps and a cap on the size
//! of files it writes. The parent kills it at the deadline (wall clock) and reads at most
//! `max_stdout` bytes of its output: once that is reached the child is killed and the output
//! counts as cut. Whatever the file does, the child cannot grow past these limits, and its
//! memory is returned to the system when it ends.

use std::ffi::OsStr;
use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::error::ExtractError;
use super::guard::Guard;

/// Address space one child may use. Poppler and tesseract need well under 200 MB for normal
/// reports (see docs/KENNISBANK.md); with two job workers the children and the server stay
/// under 1 GB together.
pub(crate) const CHILD_MEMORY: u64 = 384 * 1024 * 1024;

/// Largest file a child may write (the rendered page images for OCR).
const CHILD_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// How long a child may run when the caller set no deadline.
const DEFAULT_TIME: Duration = Duration::from_secs(120);

/// How often the parent looks at the child while waiting.
const POLL: Duration = Duration::from_millis(10);

/// UTF-8 bytes that hold `chars` characters at most, plus one so that a cut is seen.
pub(crate) fn max_bytes(chars: usize) -> usize {
    chars.saturating_mul(4).saturating_add(1).min(1 << 30)
}

/// What a child left behind.
pub(crate) struct Output {
    /// At most `max_stdout` bytes of the child's output.
    pub(crate) stdout: Vec<u8>,
    /// The exit code; `None` when the output reached `max_stdout` and the child was stopped
    /// there.
    pub(crate) code: Option<i32>,
}

/// Runs `program` with `args` under the limits above and the guard's deadline.
///
/// Answers [`ExtractError::ToolMissing`] when the program is not installed,
/// [`ExtractError::Timeout`] at the deadline and [`ExtractError::TooDemanding`] when the child
/// was ended by a signal (the kernel's CPU limit, or an abort on a failed allocation).
pub(crate) fn run(
    program: &'static str,
    args: &[&OsStr],
    guard: &Guard,
    max_stdout: usize,
) -> Result<Output, ExtractError> {
    guard.check_time()?;
    let deadline = guard
        .deadline()
        .unwrap_or_else(|| Instant::now() + DEFAULT_TIME);
    let cpu_seconds = deadline
        .saturating_duration_since(Instant::now())
        .as_secs()
        .saturating_add(1);
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        // One thread for tesseract (it would start one per core) and few malloc arenas, so
        // that the address-space limit measures data and not reserved thread memory.
        .env("OMP_THREAD_LIMIT", "1")
        .env("MALLOC_ARENA_MAX", "2");
    // SAFETY: the hook runs in the forked child before exec and only calls setrlimit, which
    // is async-signal-safe; it allocates nothing and touches no lock.
    unsafe {
        command.pre_exec(move || {
            limit(libc::RLIMIT_AS, CHILD_MEMORY)?;
            limit(libc::RLIMIT_CPU, cpu_seconds)?;
            limit(libc::RLIMIT_CORE, 0)?;
            limit(libc::RLIMIT_FSIZE, CHILD_FILE_SIZE)
        });
    }
    let mut child = command.spawn().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ExtractError::ToolMissing(program),
        _ => ExtractError::Malformed(format!("{program} kon niet starten ({e})")),
    })?;
    let Some(stdout) = child.stdout.take() else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(ExtractError::Malformed(format!(
            "{program} gaf geen uitvoer"
        )));
    };
    let reader = thread::spawn(move || read_bounded(stdout, max_stdout));
    let mut reader = Some(reader);
    let mut read: Option<(Vec<u8>, bool)> = None;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| gone(program, e))? {
            break status;
        }
        if reader.as_ref().is_some_and(|r| r.is_finished()) {
            let (stdout, cut) = join(reader.take(), program)?;
            if cut {
                // The output reached its bound: the rest is not wanted, so the child stops.
                let _ = child.kill();
                let _ = child.wait();
                return Ok(Output { stdout, code: None });
            }
            read = Some((stdout, cut));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::Timeout);
        }
        thread::sleep(POLL);
    };
    let (stdout, cut) = match read {
        Some(read) => read,
        None => join(reader, program)?,
    };
    if cut {
        return Ok(Output { stdout, code: None });
    }
    classify(status).map(|code| Output {
        stdout,
        code: Some(code),
    })
}

fn join(
    reader: Option<thread::JoinHandle<(Vec<u8>, bool)>>,
    program: &str,
) -> Result<(Vec<u8>, bool), ExtractError> {
    reader
        .ok_or_else(|| ExtractError::Malformed(format!("de uitvoer van {program} ging verloren")))?
        .join()
        .map_err(|_| ExtractError::Malformed(format!("de uitvoer van {program} ging verloren")))
}

/// The exit code, or [`ExtractError::TooDemanding`] when a signal ended the child.
fn classify(status: ExitStatus) -> Result<i32, ExtractError> {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ok(code),
        (None, Some(signal)) => {
            tracing::warn!(signal, "extractor ended by a signal (a limit was reached)");
            Err(ExtractError::TooDemanding)
        }
        (None, None) => Err(ExtractError::TooDemanding),
    }
}

fn gone(program: &str, e: io::Error) -> ExtractError {
    ExtractError::Malformed(format!("{program} liep vast ({e})"))
}

fn limit(resource: libc::__rlimit_resource_t, value: u64) -> io::Result<()> {
    let rlim = libc::rlimit {
        rlim_cur: value,
        rlim_max: value,
    };
    // SAFETY: setrlimit reads the struct we pass and changes only this (child) process.
    if unsafe { libc::setrlimit(resource, &rlim) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Reads up to `max` bytes; `true` when there was more (the reading stopped at the bound).
fn read_bounded(mut from: impl Read, max: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        match from.read(&mut chunk) {
            Ok(0) | Err(_) => return (out, false),
            Ok(n) => {
                let room = max - out.len();
                if n > room {
                    out.extend_from_slice(&chunk[..room]);
                    return (out, true);
                }
                out.extend_from_slice(&chunk[..n]);
            }
        }
    }
}

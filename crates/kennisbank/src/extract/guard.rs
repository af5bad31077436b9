//! Bounds on work done for one document: a decompression budget shared by all ZIP entries
//! (counted while reading, never trusting the sizes the archive's headers claim), a deadline
//! checked inside loops, and a text sink that stops at the character limit.

use std::cell::Cell;
use std::io::{self, Read};
use std::time::Instant;

use super::error::ExtractError;

/// Why a guarded read stopped; carried inside an [`io::Error`] and turned back into an
/// [`ExtractError`] by [`io_error`].
#[derive(Debug)]
pub(crate) enum Stop {
    Budget,
    Deadline,
    /// More than the allowed bytes between two [`CountingReader::mark`]s: one XML element or
    /// text node too large to hold (the bound, in bytes).
    Run(u64),
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Stop {}

/// The work bounds of one extraction: bytes still allowed to be unpacked and the deadline.
pub(crate) struct Guard {
    remaining: Cell<u64>,
    max: u64,
    deadline: Option<Instant>,
}

impl Guard {
    pub(crate) fn new(max_decompressed: u64, deadline: Option<Instant>) -> Self {
        Guard {
            remaining: Cell::new(max_decompressed),
            max: max_decompressed,
            deadline,
        }
    }

    /// `Err(Timeout)` once the deadline has passed.
    pub(crate) fn check_time(&self) -> Result<(), ExtractError> {
        match self.deadline {
            Some(d) if Instant::now() >= d => Err(ExtractError::Timeout),
            _ => Ok(()),
        }
    }

    /// The deadline, for a child process that must be stopped by then.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    pub(crate) fn too_large(&self) -> ExtractError {
        ExtractError::DecompressedTooLarge { max: self.max }
    }

    /// Counts `n` unpacked bytes against the budget.
    fn spend(&self, n: u64) -> Result<(), Stop> {
        let left = self.remaining.get();
        if n > left {
            return Err(Stop::Budget);
        }
        self.remaining.set(left - n);
        Ok(())
    }

    /// Reads all of `reader` (an unpacking ZIP entry) into memory, counting every byte against
    /// the budget and checking the deadline between chunks; more than `max` bytes is refused as
    /// too large (only small parts are read whole, the body is parsed while it is unpacked).
    pub(crate) fn read_all(&self, reader: impl Read, max: u64) -> Result<Vec<u8>, ExtractError> {
        let mut out = Vec::new();
        self.reader(reader, max)
            .read_to_end(&mut out)
            .map_err(|e| self.io_error(&e))?;
        Ok(out)
    }

    /// `reader` counted against the budget and the deadline, for parsing while unpacking; at
    /// most `run` bytes may be read between two [`CountingReader::mark`]s, which bounds the
    /// buffer a parser grows for one XML event (one giant text node in a zip bomb).
    pub(crate) fn reader<R: Read>(&self, reader: R, run: u64) -> CountingReader<'_, R> {
        CountingReader {
            inner: reader,
            guard: self,
            run: 0,
            max_run: run,
        }
    }

    /// Maps an I/O error from a guarded read to the matching [`ExtractError`].
    pub(crate) fn io_error(&self, e: &io::Error) -> ExtractError {
        match e.get_ref().and_then(|inner| inner.downcast_ref::<Stop>()) {
            Some(Stop::Budget) => self.too_large(),
            Some(Stop::Deadline) => ExtractError::Timeout,
            Some(Stop::Run(max)) => ExtractError::ElementTooLarge { max: *max },
            None => ExtractError::Malformed(format!("onderdeel kan niet uitgepakt worden ({e})")),
        }
    }
}

/// A reader that spends the guard's budget for every byte it yields.
pub(crate) struct CountingReader<'g, R> {
    inner: R,
    guard: &'g Guard,
    /// Bytes read since the last [`Self::mark`], and how many may be.
    run: u64,
    max_run: u64,
}

impl<R> CountingReader<'_, R> {
    /// Starts a new run (the parser finished an event and cleared its buffer).
    pub(crate) fn mark(&mut self) {
        self.run = 0;
    }
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.guard.check_time().is_err() {
            return Err(io::Error::other(Stop::Deadline));
        }
        let n = self.inner.read(buf)?;
        self.guard.spend(n as u64).map_err(io::Error::other)?;
        self.run = self.run.saturating_add(n as u64);
        if self.run > self.max_run {
            return Err(io::Error::other(Stop::Run(self.max_run)));
        }
        Ok(n)
    }
}

/// Collects extracted text up to a number of characters, then notes that it was truncated.
pub(crate) struct TextSink {
    text: String,
    chars: usize,
    max_chars: usize,
    truncated: bool,
}

impl TextSink {
    pub(crate) fn new(max_chars: usize) -> Self {
        TextSink {
            text: String::new(),
            chars: 0,
            max_chars,
            truncated: false,
        }
    }

    /// Appends `s`, cutting at the limit on a character boundary.
    pub(crate) fn push(&mut self, s: &str) {
        if self.truncated {
            return;
        }
        let room = self.max_chars - self.chars;
        match s.char_indices().nth(room) {
            None => {
                self.chars += s.chars().count();
                self.text.push_str(s);
            }
            Some((cut, _)) => {
                self.text.push_str(&s[..cut]);
                self.chars = self.max_chars;
                self.truncated = true;
            }
        }
    }

    /// Ends a paragraph or row: a line break unless the text already ends with one.
    pub(crate) fn newline(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.push("\n");
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.truncated
    }

    /// The text, trailing white space trimmed, and whether it was truncated.
    pub(crate) fn finish(mut self) -> (String, bool) {
        let end = self.text.trim_end().len();
        self.text.truncate(end);
        (self.text, self.truncated)
    }
}

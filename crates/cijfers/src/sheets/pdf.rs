//! A fact sheet as a PDF: the page's print HTML (the same markup and print stylesheet as the
//! browser's A4 print) handed to headless Chromium, run as a child process.
//!
//! Why Chromium and not a Rust crate: the fact sheet holds SVG charts, tables and the design
//! system's CSS; the Rust PDF writers (lopdf, printpdf) would need a second layout of every
//! page, and the HTML-to-PDF crates are young or wrap a browser anyway. Debian's `chromium` is
//! the browser the browser tests already use; it prints what a visitor prints. See
//! docs/ARCHITECTURE.md.
//!
//! Bounds: at most [`MAX_RUNNING`] PDFs at once (a request waits at most [`QUEUE_WAIT`] for a
//! turn, then gets "busy"), each child killed after [`TIME_LIMIT`], output at most
//! [`MAX_PDF_BYTES`]. Chromium runs with a fresh profile in a temporary folder that is removed
//! afterwards, without network access to anything but the local file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;
use tokio::sync::Semaphore;

/// How many Chromium children may run at once (each takes a few hundred MB).
pub const MAX_RUNNING: usize = 2;
/// How long a request waits for a turn.
pub const QUEUE_WAIT: Duration = Duration::from_secs(20);
/// How long one child may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(45);
/// The largest PDF accepted back.
pub const MAX_PDF_BYTES: u64 = 30 * 1024 * 1024;

static SLOTS: Semaphore = Semaphore::const_new(MAX_RUNNING);

/// Why no PDF was made; [`PdfError::message_nl`] says it to the visitor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("chromium ontbreekt")]
    Missing,
    #[error("te druk")]
    Busy,
    #[error("te traag")]
    Timeout,
    #[error("mislukt: {0}")]
    Failed(String),
}

impl PdfError {
    /// What the visitor reads (Dutch).
    pub fn message_nl(&self) -> &'static str {
        match self {
            PdfError::Missing => {
                "De PDF kan nu niet gemaakt worden: het programma dat pagina's naar PDF omzet \
                 (Chromium) is niet geïnstalleerd op de server. Druk de steekkaart af vanuit uw \
                 browser en kies 'Opslaan als PDF'."
            }
            PdfError::Busy => {
                "Er worden nu te veel PDF's tegelijk gemaakt. Probeer het over een minuut opnieuw, \
                 of druk de steekkaart af vanuit uw browser."
            }
            PdfError::Timeout => {
                "Het maken van de PDF duurde te lang en is gestopt. Probeer het later opnieuw, of \
                 druk de steekkaart af vanuit uw browser."
            }
            PdfError::Failed(_) => {
                "De PDF kon niet gemaakt worden. Druk de steekkaart af vanuit uw browser en kies \
                 'Opslaan als PDF'."
            }
        }
    }
}

/// The Chromium program on the PATH (`STEDEN_CHROMIUM` names another), if any.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("STEDEN_CHROMIUM") {
        let path = PathBuf::from(path);
        return path.is_file().then_some(path);
    }
    let paths = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&paths).map(move |dir| dir.join(name)))
        .find(|path| path.is_file())
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PDF of a standalone HTML document (styles inline, no outside resources).
pub async fn html_to_pdf(html: &str) -> Result<Vec<u8>, PdfError> {
    let program = chromium().ok_or(PdfError::Missing)?;
    let _permit = tokio::time::timeout(QUEUE_WAIT, SLOTS.acquire())
        .await
        .map_err(|_| PdfError::Busy)?
        .map_err(|_| PdfError::Busy)?;
    let dir = TempDir(std::env::temp_dir().join(format!("steden-pdf-{}", steden_db::new_id())));
    std::fs::create_dir_all(dir.0.join("profile")).map_err(|e| PdfError::Failed(e.to_string()))?;
    let page = dir.0.join("steekkaart.html");
    let out = dir.0.join("steekkaart.pdf");
    std::fs::write(&page, html).map_err(|e| PdfError::Failed(e.to_string()))?;
    run(&program, &dir.0, &page, &out).await?;
    let size = std::fs::metadata(&out)
        .map_err(|e| PdfError::Failed(e.to_string()))?
        .len();
    if size > MAX_PDF_BYTES {
        return Err(PdfError::Failed(format!("{size} bytes")));
    }
    let bytes = std::fs::read(&out).map_err(|e| PdfError::Failed(e.to_string()))?;
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Failed("geen PDF".into()));
    }
    Ok(bytes)
}

async fn run(program: &Path, dir: &Path, page: &Path, out: &Path) -> Result<(), PdfError> {
    let mut command = Command::new(program);
    command
        .arg("--headless")
        // The server's user may have no user namespaces (containers); the page is our own
        // HTML with no script, read from a local file.
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--disable-dev-shm-usage")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-extensions")
        .arg("--disable-background-networking")
        .arg("--disable-sync")
        .arg("--mute-audio")
        // No outside fetch: the document is self-contained.
        .arg("--proxy-server=127.0.0.1:9")
        .arg("--proxy-bypass-list=<-loopback>")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out.display()))
        .arg(format!("file://{}", page.display()))
        .env("HOME", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            PdfError::Missing
        } else {
            PdfError::Failed(e.to_string())
        }
    })?;
    match tokio::time::timeout(TIME_LIMIT, child.wait()).await {
        Err(_) => {
            let _ = child.kill().await;
            Err(PdfError::Timeout)
        }
        Ok(Err(e)) => Err(PdfError::Failed(e.to_string())),
        Ok(Ok(status)) if status.success() && out.is_file() => Ok(()),
        Ok(Ok(status)) => Err(PdfError::Failed(format!("chromium: {status}"))),
    }
}

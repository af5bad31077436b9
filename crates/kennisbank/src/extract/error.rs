//! The reasons extraction can refuse a file, worded for the person who uploaded it.

use super::types::Format;

/// Why a document's text could not be extracted. The messages are Dutch and shown as is on the
/// upload's status, so they say what is wrong and, where possible, what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// The upload is bigger than [`super::types::Limits::max_file_bytes`].
    #[error("Het bestand is te groot ({} MB; maximaal {} MB)", megabytes(*.size), megabytes(*.max))]
    TooLarge { size: u64, max: u64 },
    /// Unpacking the document would exceed [`super::types::Limits::max_decompressed_bytes`] or
    /// [`super::types::Limits::max_entries`] (a "zip bomb" or an absurdly big document).
    #[error("Het bestand wordt uitgepakt te groot (meer dan {} MB of te veel onderdelen); het is mogelijk een zip-bom", megabytes(*.max))]
    DecompressedTooLarge { max: u64 },
    /// One XML element or text node (DOCX, PPTX, ODT, XLSX) spans more than the parser may
    /// hold at once: a document of normal paragraphs never does, a crafted one does.
    #[error("Het bestand bevat één tekstblok, cel of XML-element van meer dan {} MB aan één stuk. Zo'n bestand wordt niet gelezen: het is mogelijk kwaadwillig opgebouwd (een zip-bom). Verdeel de tekst over gewone alinea's of cellen en laad het opnieuw op", megabytes(*.max))]
    ElementTooLarge { max: u64 },
    /// A spreadsheet whose shared-text table or styles go past what is read (the Dutch reason
    /// says which).
    #[error("Dit rekenblad is te groot om te lezen: {0}")]
    SpreadsheetTooLarge(String),
    /// Password-protected PDF or Office file.
    #[error("{}", encrypted_message(*.0))]
    Encrypted(Format),
    /// The file claims a format but its content is damaged.
    #[error("Het bestand is beschadigd of onleesbaar: {0}")]
    Malformed(String),
    /// A format the Kennisbank does not extract text from.
    #[error("Dit bestandstype wordt niet ondersteund: {0}. Gebruik PDF, DOCX, PPTX, XLSX, ODT of Markdown")]
    Unsupported(String),
    /// The file name's extension says one format, the content another.
    #[error("Dit bestand heet .{extension} maar is een {}. Geef het de juiste extensie en laad het opnieuw op", .actual.label())]
    ExtensionMismatch { extension: String, actual: Format },
    /// Extraction took longer than the allowed time.
    #[error("Het uitlezen van de tekst duurde te lang en is afgebroken")]
    Timeout,
    /// The extractor (a child process) reached its memory or CPU limit and was stopped.
    #[error("Het uitlezen van de tekst vroeg te veel geheugen of rekentijd en is afgebroken; het bestand is mogelijk beschadigd of kwaadwillig opgebouwd")]
    TooDemanding,
    /// A program extraction needs (`pdftotext`, `tesseract`) is not installed on the server.
    #[error("De server kan de tekst nu niet lezen: het programma {0} ontbreekt. Meld dit aan de beheerder")]
    ToolMissing(&'static str),
}

fn encrypted_message(format: Format) -> String {
    let kind = match format {
        Format::Pdf => "Dit PDF-bestand",
        Format::Docx | Format::Pptx | Format::Xlsx => "Dit Office-bestand",
        Format::Odt => "Dit OpenDocument-bestand",
        Format::Markdown => "Dit bestand",
    };
    format!("{kind} is beveiligd met een wachtwoord; laad een versie zonder beveiliging op")
}

/// Bytes as megabytes with one decimal and a Dutch decimal comma ("50,0").
fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

//! A minimal SMTP server for tests: enough of RFC 5321 for lettre, on a loopback port,
//! recording what it receives ([`Mode::Accept`]) or refusing every message with a temporary
//! error ([`Mode::Refuse`]), so that retries can be tested. [`parse_message`] and [`header`]
//! read a received message; [`parse_mime`] splits it into its MIME parts with `mailparse`, a
//! parser independent of the mailer's own (lettre), so a test checks what a client would read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Accepts every message.
    Accept,
    /// Answers every MAIL FROM with a temporary refusal (451).
    Refuse,
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The addresses of the RCPT TO commands.
    pub recipients: Vec<String>,
    /// What came after DATA, up to the final dot (lines end in CRLF).
    pub data: String,
}

/// A reply the server gives to `RCPT TO` for one address instead of accepting it (see
/// [`SmtpServer::refuse_recipient`]).
#[derive(Debug, Clone)]
struct RcptRule {
    reply: String,
    /// How many more times; `None` for always.
    left: Option<usize>,
}

/// What a test changes while the server runs: how slow it is, which recipients it refuses.
#[derive(Debug, Default)]
struct Behaviour {
    /// Milliseconds to wait before answering the end of DATA.
    data_delay_ms: AtomicU64,
    rcpt_rules: Mutex<HashMap<String, RcptRule>>,
}

/// A running server; it stops with the test's runtime.
pub struct SmtpServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    mail_commands: Arc<Mutex<usize>>,
    behaviour: Arc<Behaviour>,
}

impl SmtpServer {
    /// Starts a server on a free loopback port.
    pub async fn start(mode: Mode) -> SmtpServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mail_commands = Arc::new(Mutex::new(0));
        let behaviour = Arc::new(Behaviour::default());
        let (r, m, b) = (received.clone(), mail_commands.clone(), behaviour.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, mode, r.clone(), m.clone(), b.clone()));
            }
        });
        SmtpServer {
            port,
            received,
            mail_commands,
            behaviour,
        }
    }

    /// Makes the server wait `delay` before it accepts each message (after the data, before
    /// "250"), from the next message on: a slow server, to catch a sender in the middle.
    pub fn set_delay(&self, delay: Duration) {
        self.behaviour
            .data_delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Answers `RCPT TO:<address>` with `reply` (e.g. `451 4.2.1 Probeer later` or `550 5.1.1
    /// Onbekend`) the next `times` times, or always when `times` is `None`; then accepts again.
    pub fn refuse_recipient(&self, address: &str, reply: &str, times: Option<usize>) {
        self.behaviour.rcpt_rules.lock().unwrap().insert(
            address.to_ascii_lowercase(),
            RcptRule {
                reply: format!("{}\r\n", reply.trim_end()),
                left: times,
            },
        );
    }

    /// The address for `Mailer::smtp`: `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many MAIL FROM commands arrived (refused ones too): a message sent twice shows.
    pub fn mail_commands(&self) -> usize {
        *self.mail_commands.lock().unwrap()
    }
}

async fn session(
    stream: tokio::net::TcpStream,
    mode: Mode,
    received: Arc<Mutex<Vec<Received>>>,
    mail_commands: Arc<Mutex<usize>>,
    behaviour: Arc<Behaviour>,
) {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    let mut recipients = Vec::new();
    if writer.write_all(b"220 test ESMTP\r\n").await.is_err() {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 test\r\n"
        } else if command.starts_with("MAIL FROM") {
            *mail_commands.lock().unwrap() += 1;
            recipients.clear();
            match mode {
                Mode::Accept => b"250 OK\r\n",
                Mode::Refuse => b"451 4.3.0 Tijdelijk niet beschikbaar\r\n",
            }
        } else if command.starts_with("RCPT TO:") {
            let address = line.trim_end()[8..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            let refusal = {
                let mut rules = behaviour.rcpt_rules.lock().unwrap();
                let key = address.to_ascii_lowercase();
                match rules.get_mut(&key) {
                    Some(rule) if rule.left != Some(0) => {
                        if let Some(left) = rule.left.as_mut() {
                            *left -= 1;
                        }
                        Some(rule.reply.clone())
                    }
                    _ => None,
                }
            };
            if let Some(reply) = refusal {
                if writer.write_all(reply.as_bytes()).await.is_err() {
                    return;
                }
                continue;
            }
            recipients.push(address);
            b"250 OK\r\n"
        } else if command == "DATA" {
            writer.write_all(b"354 Go ahead\r\n").await.unwrap();
            let mut data = String::new();
            loop {
                let mut data_line = String::new();
                if reader.read_line(&mut data_line).await.unwrap_or(0) == 0 {
                    return;
                }
                if data_line == ".\r\n" {
                    break;
                }
                // The client doubled every leading dot (RFC 5321 4.5.2, "transparency"), so
                // that a line of its own could not end the message: take one off again.
                let line = data_line.strip_prefix('.').unwrap_or(&data_line);
                data.push_str(line);
            }
            let delay = behaviour.data_delay_ms.load(Ordering::SeqCst);
            if delay > 0 {
                tokio::time::sleep(Duration::from_millis(delay)).await;
            }
            received.lock().unwrap().push(Received {
                recipients: std::mem::take(&mut recipients),
                data,
            });
            b"250 OK queued\r\n"
        } else if command == "QUIT" {
            let _ = writer.write_all(b"221 Bye\r\n").await;
            return;
        } else if command == "RSET" || command == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 Command not implemented\r\n"
        };
        if writer.write_all(reply).await.is_err() {
            return;
        }
    }
}

/// Headers of a message (continuation lines unfolded) and its body.
pub fn parse_message(raw: &str) -> (Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").expect("headers and body");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().expect("continuation after a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (name, value) = line.split_once(':').expect("header line");
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    (headers, body.to_string())
}

/// The value of header `name` (lower case), failing the test when it is missing.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("header {name} missing in {headers:?}"))
}

/// One MIME part of a message as a mail client reads it: `multipart/*` parts have `parts`,
/// the others a decoded `body`.
#[derive(Debug, Clone)]
pub struct MimePart {
    /// The MIME type in lower case, e.g. `text/calendar`.
    pub content_type: String,
    /// The parameters of Content-Type (names in lower case), e.g. `method`, `charset`.
    pub params: std::collections::BTreeMap<String, String>,
    /// `attachment` or `inline` when the part has a Content-Disposition.
    pub disposition: Option<String>,
    /// The file name of Content-Disposition (RFC 2231 decoded), or of Content-Type's `name`.
    pub filename: Option<String>,
    /// The body after undoing the transfer encoding (base64, quoted-printable).
    pub body: Vec<u8>,
    pub parts: Vec<MimePart>,
}

impl MimePart {
    /// The body as text (failing the test when it is not UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 body")
    }

    /// This part and every part inside it, depth first.
    pub fn all(&self) -> Vec<&MimePart> {
        let mut all = vec![self];
        for part in &self.parts {
            all.extend(part.all());
        }
        all
    }

    /// The first part (this one or inside it) of `content_type`, failing the test when none is.
    pub fn find(&self, content_type: &str) -> &MimePart {
        self.all()
            .into_iter()
            .find(|p| p.content_type == content_type)
            .unwrap_or_else(|| panic!("no {content_type} part in {:?}", self.shape()))
    }

    /// The tree of content types, e.g. `multipart/mixed[multipart/alternative[text/plain]]`,
    /// to compare a message's structure in one assertion.
    pub fn shape(&self) -> String {
        if self.parts.is_empty() {
            self.content_type.clone()
        } else {
            let inner: Vec<String> = self.parts.iter().map(MimePart::shape).collect();
            format!("{}[{}]", self.content_type, inner.join(", "))
        }
    }
}

/// The MIME structure of a received message (`Received::data`), failing the test when it does
/// not parse.
pub fn parse_mime(raw: &str) -> MimePart {
    let parsed = mailparse::parse_mail(raw.as_bytes()).expect("a MIME message");
    mime_part(&parsed)
}

fn mime_part(parsed: &mailparse::ParsedMail<'_>) -> MimePart {
    let has_disposition = parsed
        .headers
        .iter()
        .any(|h| h.get_key_ref().eq_ignore_ascii_case("content-disposition"));
    let disposition = parsed.get_content_disposition();
    let disposition_name = match disposition.disposition {
        mailparse::DispositionType::Inline => "inline".to_string(),
        mailparse::DispositionType::Attachment => "attachment".to_string(),
        mailparse::DispositionType::FormData => "form-data".to_string(),
        mailparse::DispositionType::Extension(other) => other.to_ascii_lowercase(),
    };
    let filename = disposition
        .params
        .get("filename")
        .or_else(|| parsed.ctype.params.get("name"))
        .cloned();
    let is_multipart = parsed.ctype.mimetype.starts_with("multipart/");
    MimePart {
        content_type: parsed.ctype.mimetype.to_ascii_lowercase(),
        params: parsed
            .ctype
            .params
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect(),
        // mailparse reports "inline" for a part without the header: keep that apart.
        disposition: has_disposition.then_some(disposition_name),
        filename,
        body: if is_multipart {
            Vec::new()
        } else {
            parsed.get_body_raw().expect("a decodable body")
        },
        parts: parsed.subparts.iter().map(mime_part).collect(),
    }
}

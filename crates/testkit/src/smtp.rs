//! A minimal SMTP server for tests: enough of RFC 5321 for lettre, on a loopback port,
//! recording what it receives ([`Mode::Accept`]) or refusing every message with a temporary
//! error ([`Mode::Refuse`]), so that retries can be tested. [`parse_message`] and [`header`]
//! read a received message.

use std::sync::{Arc, Mutex};

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

/// A running server; it stops with the test's runtime.
pub struct SmtpServer {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    mail_commands: Arc<Mutex<usize>>,
}

impl SmtpServer {
    /// Starts a server on a free loopback port.
    pub async fn start(mode: Mode) -> SmtpServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let mail_commands = Arc::new(Mutex::new(0));
        let (r, m) = (received.clone(), mail_commands.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, mode, r.clone(), m.clone()));
            }
        });
        SmtpServer {
            port,
            received,
            mail_commands,
        }
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
                data.push_str(&data_line);
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

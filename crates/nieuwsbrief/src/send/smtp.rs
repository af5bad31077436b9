//! The sending job's own SMTP connections: one per slot, opened on a socket with `TCP_NODELAY`.
//!
//! Why not lettre's pooled `AsyncSmtpTransport`: lettre (0.11.23) writes a message's body and
//! its closing `CRLF.CRLF` in two writes on a socket without `TCP_NODELAY`. Nagle's algorithm
//! then holds the five closing bytes until the server acknowledges the body, and the server
//! delays that acknowledgement (about 40 ms on Linux) because it has nothing to say yet: every
//! message waited 40 ms for nothing, which capped a campaign at about 25 messages a second per
//! connection (docs/NIEUWSBRIEF.md, "Snelheid"). Upstream has fixed it but not released the fix.
//! lettre still speaks the protocol here (`AsyncSmtpConnection`: EHLO, STARTTLS, AUTH, MAIL,
//! RCPT, DATA); this file only opens the socket itself, sets `TCP_NODELAY`, and keeps one
//! connection per slot, so no pool is needed either.
//!
//! The address is the core's `SMTP_URL`, read as lettre reads it: `smtp://host[:25]` (plain),
//! `smtp://host[:587]?tls=required` or `?tls=opportunistic` (STARTTLS), `smtps://host[:465]`
//! (TLS from the first byte), `user:password@` for AUTH, a path for the EHLO name. Only the
//! `smtps://` connections are opened by lettre itself (its TLS wrapper takes no socket of ours),
//! so they keep the delay; docs/NIEUWSBRIEF.md advises STARTTLS on 587 for large lists.

use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;
use tokio::net::TcpStream;

/// Why a message was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendFailure {
    /// A 4xx reply: try again later.
    Temporary(String),
    /// A 5xx reply: the address or message is refused for good.
    Permanent(String),
    /// No reply (connection refused or lost, time-out): the connection is opened anew.
    Connection(String),
}

/// How long connecting, and then one whole message, may take before the connection is given up.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// No TLS (a relay on the same machine or network).
    Plain,
    /// STARTTLS, refused when the server does not offer it.
    StartTlsRequired,
    /// STARTTLS when the server offers it.
    StartTlsOpportunistic,
    /// TLS from the first byte (`smtps://`).
    Wrapper,
}

/// Where and how to connect, read once from `SMTP_URL`.
#[derive(Clone)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl std::fmt::Debug for SmtpTarget {
    // Never the credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("auth", &self.credentials.is_some())
            .finish()
    }
}

impl SmtpTarget {
    /// Reads `SMTP_URL` (see the module documentation). The error never repeats the URL, which
    /// may hold a password.
    pub fn parse(url: &str) -> anyhow::Result<SmtpTarget> {
        let url =
            url::Url::parse(url.trim()).map_err(|e| anyhow::anyhow!("ongeldige SMTP_URL: {e}"))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| anyhow::anyhow!("ongeldige SMTP_URL: geen server"))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.to_string());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, 25),
            ("smtp", Some("required")) => (Security::StartTlsRequired, 587),
            ("smtp", Some("opportunistic")) => (Security::StartTlsOpportunistic, 587),
            ("smtps", _) => (Security::Wrapper, 465),
            (scheme, tls) => anyhow::bail!(
                "ongeldige SMTP_URL: schema '{scheme}' of tls={} onbekend \
                 (smtp://, smtp://…?tls=required|opportunistic of smtps://)",
                tls.unwrap_or("")
            ),
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| anyhow::anyhow!("ongeldige SMTP_URL: gebruiker of wachtwoord"))
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(decode(url.username())?, decode(password)?)),
            None => None,
        };
        let path = url.path().trim_matches('/');
        let hello = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_string())
        };
        Ok(SmtpTarget {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            credentials,
            hello,
        })
    }

    /// Opens a connection: socket with `TCP_NODELAY`, greeting, EHLO, STARTTLS and AUTH as the
    /// address asks.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendFailure> {
        let lost = |e: &dyn std::fmt::Display| SendFailure::Connection(e.to_string());
        let tls = || TlsParameters::new(self.host.clone()).map_err(|e| lost(&e));
        let mut connection = match self.security {
            Security::Wrapper => AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(TIMEOUT),
                &self.hello,
                Some(tls()?),
                None,
            )
            .await
            .map_err(|e| lost(&e))?,
            _ => {
                let socket = tokio::time::timeout(
                    TIMEOUT,
                    TcpStream::connect((self.host.as_str(), self.port)),
                )
                .await
                .map_err(|_| lost(&"verbinding met de SMTP-server duurt te lang"))?
                .map_err(|e| lost(&e))?;
                socket.set_nodelay(true).map_err(|e| lost(&e))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(socket), &self.hello)
                    .await
                    .map_err(|e| lost(&e))?
            }
        };
        let starttls = match self.security {
            Security::StartTlsRequired => true,
            Security::StartTlsOpportunistic => connection.can_starttls(),
            Security::Plain | Security::Wrapper => false,
        };
        if starttls {
            connection
                .starttls(tls()?, &self.hello)
                .await
                .map_err(|e| lost(&e))?;
        }
        if let Some(credentials) = &self.credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await
                .map_err(|e| classify(&e))?;
        }
        Ok(connection)
    }
}

/// One slot's connection, opened when the first message goes out and again after it broke.
pub struct SmtpLine<'a> {
    target: &'a SmtpTarget,
    // Boxed: a connection is over a kilobyte and the slot's `Line` is an enum.
    connection: Option<Box<AsyncSmtpConnection>>,
}

impl<'a> SmtpLine<'a> {
    pub fn new(target: &'a SmtpTarget) -> SmtpLine<'a> {
        SmtpLine {
            target,
            connection: None,
        }
    }

    /// Sends one message. After any failure the connection is dropped (lettre has ended the
    /// session already on a refusal), so the next message starts on a fresh one.
    pub async fn send(&mut self, message: &Message) -> Result<(), SendFailure> {
        let connection = match self.connection.as_mut() {
            Some(connection) if !connection.has_broken() => connection,
            _ => self
                .connection
                .insert(Box::new(self.target.connect().await?)),
        };
        let bytes = message.formatted();
        let sent = tokio::time::timeout(TIMEOUT, connection.send(message.envelope(), &bytes)).await;
        match sent {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => {
                self.connection = None;
                Err(classify(&error))
            }
            Err(_) => {
                if let Some(mut connection) = self.connection.take() {
                    connection.abort().await;
                }
                Err(SendFailure::Connection(
                    "de SMTP-server antwoordt niet binnen 60 seconden".into(),
                ))
            }
        }
    }

    /// Ends the session politely (QUIT); a failure here changes nothing.
    pub async fn close(mut self) {
        if let Some(mut connection) = self.connection.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), connection.quit()).await;
        }
    }
}

/// A 4xx reply may succeed later, a 5xx never; anything else is the connection's.
fn classify(error: &lettre::transport::smtp::Error) -> SendFailure {
    let text = error.to_string();
    if error.is_permanent() {
        SendFailure::Permanent(text)
    } else if error.is_transient() {
        SendFailure::Temporary(text)
    } else {
        SendFailure::Connection(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_as_lettre_reads_it() {
        let plain = SmtpTarget::parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!((plain.port, plain.security), (2525, Security::Plain));
        assert!(plain.credentials.is_none());
        let starttls = SmtpTarget::parse("smtp://relay.example.org?tls=required").unwrap();
        assert_eq!(
            (starttls.port, starttls.security),
            (587, Security::StartTlsRequired)
        );
        let wrapped = SmtpTarget::parse("smtps://u%40x:p%2Fw@relay.example.org/steden.be").unwrap();
        assert_eq!((wrapped.port, wrapped.security), (465, Security::Wrapper));
        assert!(wrapped.credentials.is_some());
        assert_eq!(wrapped.hello, ClientId::Domain("steden.be".into()));
        let debug = format!("{wrapped:?}");
        assert!(
            !debug.contains("p/w") && !debug.contains("p%2Fw"),
            "{debug}"
        );
        assert_eq!(
            SmtpTarget::parse("smtp://[::1]:25").unwrap().host,
            "::1".to_string()
        );
    }

    #[test]
    fn a_wrong_address_is_refused_without_repeating_it() {
        for url in ["ftp://h", "smtp://h?tls=maybe", "niet een url", "smtp://"] {
            let error = SmtpTarget::parse(url).unwrap_err().to_string();
            assert!(error.starts_with("ongeldige SMTP_URL"), "{url}: {error}");
        }
        let error = SmtpTarget::parse("gopher://geheim:wachtwoord@h")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("wachtwoord"), "{error}");
    }
}

//! `steden serve` does not let clients hold connections forever: a client that sends its
//! headers one line at a time is cut off after the header timeout, an idle keep-alive
//! connection is closed after the idle timeout, and connections over the limit wait until one
//! closes. The real binary, with short timeouts, over raw TCP (SQLite; the database plays no
//! part here).

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, killed on drop.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(limits: &[(&str, &str)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_steden"));
        for var in [
            "DATABASE_URL",
            "STEDEN_PORT",
            "STEDEN_BIND",
            "STEDEN_DATA_DIR",
            "STEDEN_DEMO",
            "STEDEN_HEADER_READ_TIMEOUT_SECS",
            "STEDEN_IDLE_TIMEOUT_SECS",
            "STEDEN_REQUEST_TIMEOUT_SECS",
            "STEDEN_MAX_CONNECTIONS",
        ] {
            command.env_remove(var);
        }
        command
            .env("RUST_LOG", "warn")
            .arg("serve")
            .args(["--data-dir", &dir.path().display().to_string()])
            .args(["--port", &port.to_string(), "--workers", "0"]);
        for (flag, value) in limits {
            command.args([flag, value]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("start steden serve");
        let mut server = Server {
            child,
            port,
            _dir: dir,
        };
        server.wait_healthy();
        server
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            assert!(
                self.child.try_wait().unwrap().is_none(),
                "steden serve exited"
            );
            if let Ok(mut stream) = self.connect() {
                let response = request(&mut stream, "/healthz");
                if response.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "/healthz never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn connect(&self) -> std::io::Result<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(stream)
    }
}

/// Sends a keep-alive GET and reads one response (headers and the small body).
fn request(stream: &mut TcpStream, path: &str) -> String {
    let sent = write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    if sent.is_err() {
        return String::new();
    }
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                response.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&response);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length: ")
                                .map(|v| v.trim().parse::<usize>().unwrap())
                        })
                        .unwrap_or(0);
                    if response.len() >= end + 4 + length {
                        break;
                    }
                }
            }
        }
    }
    String::from_utf8_lossy(&response).into_owned()
}

/// Blocks until the server closes the connection; returns how long that took.
fn wait_closed(stream: &mut TcpStream, started: Instant) -> Duration {
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return started.elapsed(),
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::ConnectionReset => return started.elapsed(),
            Err(err) => panic!("the connection was not closed: {err}"),
        }
    }
}

#[test]
fn a_client_that_trickles_its_headers_is_cut_off() {
    let server = Server::start(&[
        ("--header-read-timeout-secs", "2"),
        ("--idle-timeout-secs", "30"),
    ]);
    let mut stream = server.connect().unwrap();
    let started = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    // One header line every 500 ms, never the blank line that ends them.
    let closed_after = loop {
        std::thread::sleep(Duration::from_millis(500));
        if stream.write_all(b"X-Traag: ja\r\n").is_err() {
            break started.elapsed();
        }
        stream
            .set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        let mut buf = [0u8; 1024];
        match stream.read(&mut buf) {
            Ok(_) => break started.elapsed(),
            Err(err)
                if err.kind() == ErrorKind::WouldBlock || err.kind() == ErrorKind::TimedOut => {}
            Err(_) => break started.elapsed(),
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "still open after 20 s of trickled headers"
        );
    };
    println!("trickled headers cut off after {closed_after:?}");
    assert!(
        closed_after >= Duration::from_millis(1500),
        "{closed_after:?}"
    );
    assert!(closed_after < Duration::from_secs(6), "{closed_after:?}");
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let server = Server::start(&[
        ("--idle-timeout-secs", "2"),
        ("--header-read-timeout-secs", "10"),
    ]);
    let mut stream = server.connect().unwrap();
    let first = request(&mut stream, "/healthz");
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    // Kept alive: a second request on the same connection is answered.
    let second = request(&mut stream, "/healthz");
    assert!(second.starts_with("HTTP/1.1 200"), "{second}");
    let idle_since = Instant::now();
    let closed_after = wait_closed(&mut stream, idle_since);
    println!("idle keep-alive connection closed after {closed_after:?}");
    assert!(
        closed_after >= Duration::from_millis(1500),
        "{closed_after:?}"
    );
    assert!(closed_after < Duration::from_secs(6), "{closed_after:?}");

    // A connection that never sends anything is idle too.
    let mut silent = server.connect().unwrap();
    let closed_after = wait_closed(&mut silent, Instant::now());
    assert!(closed_after < Duration::from_secs(6), "{closed_after:?}");
}

#[test]
fn connections_over_the_limit_wait_for_a_free_one() {
    let server = Server::start(&[
        ("--max-connections", "2"),
        ("--idle-timeout-secs", "30"),
        ("--header-read-timeout-secs", "30"),
    ]);
    // Two connections that are accepted and then sit idle.
    let mut first = server.connect().unwrap();
    assert!(request(&mut first, "/healthz").starts_with("HTTP/1.1 200"));
    let mut second = server.connect().unwrap();
    assert!(request(&mut second, "/healthz").starts_with("HTTP/1.1 200"));

    // A third is not served while they are open...
    let mut third = server.connect().unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut buf = [0u8; 1024];
    match third.read(&mut buf) {
        Err(err) if err.kind() == ErrorKind::WouldBlock || err.kind() == ErrorKind::TimedOut => {}
        other => panic!("a connection over the limit was served: {other:?}"),
    }
    // ...and is as soon as one of them closes.
    drop(first);
    third
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let started = Instant::now();
    let n = third
        .read(&mut buf)
        .expect("served once a connection closed");
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(second);
}

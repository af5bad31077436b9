//! Password hashing: argon2id in PHC form, and the gate that bounds how many hashes run at once
//! (each takes about 19 MiB and a core for a moment), so that a burst of logins cannot exhaust
//! memory. Accounts (`user`) use it; it knows nothing of accounts.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::error::{CoreError, CoreResult};

/// An argon2id hash (default parameters, random salt) in PHC form. CPU-heavy: call it from
/// async code through [`hash_password_async`].
pub fn hash_password(password: &str) -> CoreResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| CoreError::Internal(anyhow::anyhow!("wachtwoord hashen mislukt: {e}")))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Bounds how many argon2 hashes run at once in this process. Each takes about 19 MiB and a
/// core for a few tens of milliseconds; without a bound, 300 parallel logins took the process
/// to 1.9 GB. The bound is the number of cores: more at once would not finish sooner anyway.
pub struct HashGate {
    permits: tokio::sync::Semaphore,
    size: usize,
    running: std::sync::atomic::AtomicUsize,
    peak: std::sync::atomic::AtomicUsize,
    total: std::sync::atomic::AtomicU64,
}

/// How long a login waits for a free hashing slot before it is answered "too busy" (503).
pub const HASH_QUEUE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// Setting a password (accounts, resets) is rarer and waits longer.
const HASH_QUEUE_WAIT_FOR_SETTING: std::time::Duration = std::time::Duration::from_secs(30);

/// No hashing slot became free in time: the server is too busy; try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashBusy;

impl HashGate {
    fn new(size: usize) -> HashGate {
        HashGate {
            permits: tokio::sync::Semaphore::new(size),
            size,
            running: Default::default(),
            peak: Default::default(),
            total: Default::default(),
        }
    }

    /// How many hashes may run at once.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The most that ran at once since the process started.
    pub fn peak(&self) -> usize {
        self.peak.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many hashes (and verifications) ran since the process started.
    pub fn total(&self) -> u64 {
        self.total.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Runs `work` on the blocking pool once a slot is free, waiting at most `wait` for it.
    /// The slot is held by the blocking task itself, so a caller that gives up (a closed
    /// connection) does not free it before the hash is done.
    async fn run<T: Send + 'static>(
        &'static self,
        wait: std::time::Duration,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashBusy> {
        use std::sync::atomic::Ordering::SeqCst;
        let permit = tokio::time::timeout(wait, self.permits.acquire())
            .await
            .map_err(|_| HashBusy)?
            .map_err(|_| HashBusy)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let now = self.running.fetch_add(1, SeqCst) + 1;
            self.peak.fetch_max(now, SeqCst);
            self.total.fetch_add(1, SeqCst);
            let result = work();
            self.running.fetch_sub(1, SeqCst);
            result
        })
        .await
        .map_err(|_| HashBusy)
    }
}

/// The process's hashing bound, sized to the cores.
pub fn hash_gate() -> &'static HashGate {
    static GATE: std::sync::OnceLock<HashGate> = std::sync::OnceLock::new();
    GATE.get_or_init(|| {
        HashGate::new(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
        )
    })
}

/// [`hash_password`] off the async executor, within the [`hash_gate`].
pub async fn hash_password_async(password: &str) -> CoreResult<String> {
    let password = password.to_string();
    hash_gate()
        .run(HASH_QUEUE_WAIT_FOR_SETTING, move || {
            hash_password(&password)
        })
        .await
        .map_err(|_| {
            CoreError::Conflict(
                "De server is even te druk om het wachtwoord op te slaan. Probeer het zo opnieuw."
                    .to_string(),
            )
        })?
}

/// [`verify_password`] off the async executor, within the [`hash_gate`] (at most
/// [`HASH_QUEUE_WAIT`] in the queue). Without a hash, still spends the same work on a dummy
/// hash, through the same bound, so that the answer time does not tell whether an account
/// exists.
pub async fn verify_password_async(hash: Option<String>, password: &str) -> Result<bool, HashBusy> {
    let password = password.to_string();
    hash_gate()
        .run(HASH_QUEUE_WAIT, move || match hash {
            Some(hash) => verify_password(&hash, &password),
            None => {
                let _ = verify_password(dummy_hash(), &password);
                false
            }
        })
        .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("geen-echt-wachtwoord-hier").unwrap_or_default())
}

//! DKIM (design §0): a campaign message signed with an RSA and with an Ed25519 key, both made
//! here by `openssl`, verified by Python's `dkimpy` — an implementation that is not lettre's —
//! with the public key record handed to it instead of DNS. A changed subject fails, so the
//! verifier really checks. Skipped when python3 cannot import `dkim` and `nacl`, unless
//! STEDEN_REQUIRE_DKIM=1 (CI installs them, see .ci/run).

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use steden_nieuwsbrief::send::message::{self, CampaignMail, Recipient};
use steden_nieuwsbrief::send::setup::{dkim_from_file, Delivery, SendSetup};

const VERIFY: &str = r#"
import sys, dkim
message = open(sys.argv[1], 'rb').read()
record = sys.argv[2].encode()
def dns(name, timeout=5):
    assert name.startswith(b'nb2026._domainkey.steden.test'), name
    return record
print('geldig' if dkim.verify(message, dnsfunc=dns) else 'ongeldig')
"#;

fn dkimpy_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import dkim, nacl.signing"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("STEDEN_REQUIRE_DKIM").as_deref() != Ok("1"),
            "STEDEN_REQUIRE_DKIM=1 but python3 cannot import dkim (dkimpy) and nacl (pynacl)"
        );
        eprintln!("dkimpy ontbreekt: DKIM-test overgeslagen");
    }
    ok
}

fn sh(script: &str) -> String {
    let output = Command::new("sh").args(["-c", script]).output().unwrap();
    assert!(
        output.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

fn verify(dir: &Path, name: &str, raw: &[u8], record: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, raw).unwrap();
    let output = Command::new("python3")
        .args(["-c", VERIFY, file.to_str().unwrap(), record])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_string()
}

fn signed_message(key: &Path) -> Vec<u8> {
    let mut setup = SendSetup::new(
        "https://steden.test",
        "Kenniscentrum <nieuwsbrief@steden.test>",
        Delivery::Files(key.parent().unwrap().to_path_buf()),
    )
    .unwrap();
    setup.dkim = Some(Arc::new(
        dkim_from_file(key, None, "nb2026", "steden.test").unwrap(),
    ));
    let signer = steden_core::signed_link::Signer::new(b"sleutel".to_vec(), "nieuwsbrief");
    let links = message::links(&setup, &signer, "s1", 0);
    let mail = CampaignMail::new(
        "c1".into(),
        "Nieuwsbrief — december".into(),
        "<p>Hallo <a href=\"%%NB_AFMELDEN_URL%%\">afmelden</a></p>".into(),
        "Hallo\nAfmelden: %%NB_AFMELDEN_URL%%\n".into(),
    );
    let recipient = Recipient {
        subscriber_id: "s1".into(),
        email: "lezer@example.org".into(),
        name: "Lena Lezer".into(),
    };
    message::build(&setup, &mail, &recipient, &links)
        .unwrap()
        .formatted()
}

#[test]
fn rsa_and_ed25519_signatures_verify_with_dkimpy_and_a_changed_subject_does_not() {
    if !dkimpy_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    sh(&format!(
        "openssl genrsa -traditional -out {d}/rsa.pem 2048 2>/dev/null"
    ));
    let rsa_public = sh(&format!(
        "openssl rsa -in {d}/rsa.pem -pubout -outform DER 2>/dev/null | base64 -w0"
    ));
    sh(&format!(
        "openssl genpkey -algorithm ed25519 -out {d}/ed25519.pem"
    ));
    let ed_public = sh(&format!(
        "openssl pkey -in {d}/ed25519.pem -pubout -outform DER | tail -c 32 | base64 -w0"
    ));
    for (key, record) in [
        ("rsa.pem", format!("v=DKIM1; k=rsa; p={rsa_public}")),
        ("ed25519.pem", format!("v=DKIM1; k=ed25519; p={ed_public}")),
    ] {
        let raw = signed_message(&dir.path().join(key));
        let text = String::from_utf8(raw.clone()).unwrap();
        let algorithm = if key == "rsa.pem" {
            "rsa-sha256"
        } else {
            "ed25519-sha256"
        };
        assert!(text.contains(&format!("a={algorithm}")), "{text}");
        assert!(text.contains("List-Unsubscribe-Post"), "{text}");
        assert_eq!(
            verify(dir.path(), "bericht.eml", &raw, &record),
            "geldig",
            "{key}"
        );
        let tampered = text.replacen("Subject: ", "Subject: Gewijzigd ", 1);
        assert_eq!(
            verify(dir.path(), "gewijzigd.eml", tampered.as_bytes(), &record),
            "ongeldig",
            "{key}"
        );
    }
}

#[test]
fn a_pkcs8_rsa_key_is_refused_with_the_command_that_converts_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    sh(&format!(
        "openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:1024 -out {d}/k.pem 2>/dev/null"
    ));
    let err = dkim_from_file(&dir.path().join("k.pem"), Some("rsa"), "s", "steden.test")
        .unwrap_err()
        .to_string();
    assert!(err.contains("-traditional"), "{err}");
    let err = dkim_from_file(&dir.path().join("nergens.pem"), None, "s", "steden.test")
        .unwrap_err()
        .to_string();
    assert!(err.contains("niet leesbaar"), "{err}");
}

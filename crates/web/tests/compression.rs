//! Responses are compressed with brotli or gzip as the client asks, and decode (with decoders
//! that are not the server's encoders) to exactly the bytes of the uncompressed response.

use std::io::Read;

use steden_testkit::{each_app, TestApp};

/// GET `path` with `Accept-Encoding: encoding`: the response's `Content-Encoding` (if any),
/// its `Vary`, and its body as sent.
async fn fetch(app: &TestApp, path: &str, encoding: &str) -> (Option<String>, String, Vec<u8>) {
    let response = app
        .client
        .get(app.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} with {encoding}");
    let header = |name: &str| {
        response
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let content_encoding = Some(header("content-encoding")).filter(|v| !v.is_empty());
    let vary = header("vary");
    (
        content_encoding,
        vary,
        response.bytes().await.unwrap().to_vec(),
    )
}

fn brotli_decode(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(body, 4096)
        .read_to_end(&mut out)
        .expect("a valid brotli stream");
    out
}

fn gzip_decode(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .expect("a valid gzip stream");
    out
}

#[tokio::test]
async fn pages_and_stylesheets_come_compressed_as_asked_and_decode_to_the_same_bytes() {
    each_app(|app| async move {
        let css = steden_web::assets::url("steden.css");
        // The login form's CSRF token comes with a cookie; once the client has the cookie the
        // page is the same on every request.
        fetch(&app, "/aanmelden", "identity").await;
        for path in ["/aanmelden", "/static/steden.css", css.as_str()] {
            let (encoding, vary, plain) = fetch(&app, path, "identity").await;
            assert_eq!(encoding, None, "{path}: identity must not be encoded");
            assert!(
                vary.to_ascii_lowercase().contains("accept-encoding"),
                "{path}: Vary is {vary:?}"
            );
            assert!(plain.len() > 1000, "{path}: {} bytes", plain.len());

            // A browser's usual header: brotli is preferred.
            let (encoding, vary, body) = fetch(&app, path, "gzip, deflate, br, zstd").await;
            assert_eq!(encoding.as_deref(), Some("br"), "{path}");
            assert!(
                vary.to_ascii_lowercase().contains("accept-encoding"),
                "{path}: {vary:?}"
            );
            assert!(
                body.len() < plain.len() / 2,
                "{path}: {} of {}",
                body.len(),
                plain.len()
            );
            assert_eq!(
                brotli_decode(&body),
                plain,
                "{path}: brotli decodes to the page"
            );

            // A client without brotli gets gzip.
            let (encoding, vary, body) = fetch(&app, path, "gzip").await;
            assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
            assert!(
                vary.to_ascii_lowercase().contains("accept-encoding"),
                "{path}: {vary:?}"
            );
            assert!(
                body.len() < plain.len() / 2,
                "{path}: {} of {}",
                body.len(),
                plain.len()
            );
            assert_eq!(
                gzip_decode(&body),
                plain,
                "{path}: gzip decodes to the page"
            );
        }

        // JavaScript and SVG too.
        for path in ["/static/htmx.min.js", "/static/icons.svg"] {
            let (encoding, _, body) = fetch(&app, path, "br").await;
            assert_eq!(encoding.as_deref(), Some("br"), "{path}");
            let (_, _, plain) = fetch(&app, path, "identity").await;
            assert_eq!(brotli_decode(&body), plain, "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn json_is_compressed_too() {
    each_app(|app| async move {
        let (encoding, vary, body) = fetch(&app, "/api/v1/openapi.json", "gzip").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert!(vary.to_ascii_lowercase().contains("accept-encoding"));
        let json: serde_json::Value = serde_json::from_slice(&gzip_decode(&body)).unwrap();
        assert!(json.get("openapi").is_some(), "{json}");
    })
    .await;
}

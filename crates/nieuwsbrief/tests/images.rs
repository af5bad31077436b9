//! A picture in a campaign (issue 14 points 2 and 8), on both backends: an editor uploads one
//! on a section's form and it becomes a block with its alt text, served from the site's image
//! library and shown in the mail's preview with an absolute address; a picture over the
//! newsletter's limit, a file that is no picture, a missing alt text and a frozen campaign are
//! refused with a Dutch reason and nothing is written (no block, no image).

use std::io::{Cursor, Write};
use std::sync::Arc;

use steden_core::org;
use steden_core::role::Role;
use steden_nieuwsbrief::model::Language;
use steden_nieuwsbrief::store::campaigns::NewCampaign;
use steden_nieuwsbrief::store::editor;
use steden_nieuwsbrief::store::sections;
use steden_testkit::people::{login, person};
use steden_web::Module;

use crate::common::{count, csrf_token, TestApp};

const BOUNDARY: &str = "----nieuwsbriefafbeelding";

/// The Kennisbank keeps the pictures: the modules of the build up to nieuwsbrief.
fn modules() -> Vec<Arc<dyn Module>> {
    vec![
        Arc::new(steden_plan::PlanModule),
        Arc::new(steden_kennisbank::KennisbankModule),
        Arc::new(steden_werkgroepen::WerkgroepenModule),
        Arc::new(steden_nieuwsbrief::NieuwsbriefModule),
    ]
}

/// A real PNG of `width` × `height` pixels of noise (noise does not compress: the file's size
/// follows its pixels).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let picture = image::RgbImage::from_fn(width, height, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let [r, g, b, _] = seed.to_le_bytes();
        image::Rgb([r, g, b])
    });
    let mut bytes = Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .unwrap();
    bytes.into_inner()
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    if let Some((file_name, bytes)) = file {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{BOUNDARY}--\r\n").unwrap();
    body
}

async fn upload(
    app: &TestApp,
    form: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (u16, String) {
    let html = app.page(form).await;
    let token = csrf_token(&html).expect("the form has a CSRF token");
    let response = app
        .client
        .post(app.url(&format!("{form}?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(fields, file))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn a_picture_becomes_a_block_and_bad_pictures_write_nothing() {
    let migrations = steden_web::app::all_migrations(&modules());
    steden_db::testing::each_test_db(&migrations, |test_db| {
        let db = test_db.db.clone();
        async move {
            let app = TestApp::spawn_on(db.clone(), modules()).await;
            org::seed_defaults(&db).await.unwrap();
            let kc = steden_nieuwsbrief::access::kenniscentrum_id(&db)
                .await
                .unwrap();
            let editor = person(
                &db,
                "redactie@kenniscentrum.test",
                "Rita Redactie",
                &kc,
                Role::Redacteur,
            )
            .await;
            let mut tx = db.begin().await.unwrap();
            let campaign = editor::create_campaign(
                &mut tx,
                &NewCampaign {
                    subject: "December".into(),
                    preheader: String::new(),
                    template_id: None,
                    language: Language::Nl,
                    lists: vec!["algemeen".into()],
                    created_by: Some(editor.id.clone()),
                },
                &editor.audit(),
            )
            .await
            .unwrap();
            let section = sections::add(&mut tx, &campaign, "Stadsprojecten", &editor.audit())
                .await
                .unwrap();
            tx.commit().await.unwrap();
            login(&app, &editor).await;
            let form =
                format!("/nieuwsbrief/beheer/campagnes/{campaign}/secties/{section}/afbeelding");
            let editor_page = app
                .page(&format!("/nieuwsbrief/beheer/campagnes/{campaign}"))
                .await;
            assert!(
                editor_page.contains(&form),
                "the section offers the picture form"
            );
            let nothing_written = |db: steden_db::Db| async move {
                assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_blocks").await, 0);
                assert_eq!(count(&db, "SELECT COUNT(*) FROM site_images").await, 0);
                assert_eq!(count(&db, "SELECT COUNT(*) FROM kb_files").await, 0);
            };

            // Over the newsletter's 2 MB: 413, the Dutch reason, nothing written.
            let big = png(1100, 1000);
            assert!(
                big.len() > 2 * 1024 * 1024,
                "noise of 1100 × 1000 is over 2 MB"
            );
            let (status, html) = upload(
                &app,
                &form,
                &[("alt", "Luchtfoto")],
                Some(("groot.png", &big)),
            )
            .await;
            assert_eq!(status, 413);
            assert!(html.contains("Deze afbeelding is te groot"), "{html}");
            nothing_written(db.clone()).await;

            // No picture at all: 422 with the reason of the Kennisbank's gate.
            let (status, html) = upload(
                &app,
                &form,
                &[("alt", "Tekst")],
                Some(("nep.png", b"%PDF-1.7 geen beeld")),
            )
            .await;
            assert_eq!(status, 422);
            assert!(
                html.contains("geen afbeelding in een ondersteund formaat"),
                "{html}"
            );
            // No alt text: 422, nothing written.
            let small = png(40, 30);
            let (status, html) =
                upload(&app, &form, &[("alt", "  ")], Some(("klein.png", &small))).await;
            assert_eq!(status, 422);
            assert!(html.contains("alternatieve tekst"), "{html}");
            // No file chosen.
            let (status, html) = upload(&app, &form, &[("alt", "Plein")], None).await;
            assert_eq!(status, 422);
            assert!(html.contains("Kies een afbeelding."), "{html}");
            nothing_written(db.clone()).await;

            // A good picture: one block with the image's address and alt text, and the caption.
            let (status, _) = upload(
                &app,
                &form,
                &[
                    ("alt", "Het vernieuwde [Korenmarkt] plein"),
                    ("bijschrift", "Foto: stad Gent"),
                ],
                Some(("plein.png", &small)),
            )
            .await;
            assert_eq!(status, 303);
            let markdown: String = sqlx::query_scalar("SELECT markdown FROM nb_blocks")
                .fetch_one(db.pool())
                .await
                .unwrap();
            let href = markdown
                .split("](")
                .nth(1)
                .and_then(|rest| rest.split(')').next())
                .expect("an image in the block")
                .to_string();
            assert!(href.starts_with("/afbeeldingen/"), "{markdown}");
            assert!(markdown.ends_with("Foto: stad Gent"), "{markdown}");
            let served = app.client.get(app.url(&href)).send().await.unwrap();
            assert_eq!(served.status().as_u16(), 200);
            let content_type = served.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_string();
            assert!(content_type.starts_with("image/"), "{content_type}");
            let preview = app
                .page(&format!(
                    "/nieuwsbrief/beheer/campagnes/{campaign}/voorbeeld/mail"
                ))
                .await;
            assert!(
                preview.contains(&format!("{}{href}", app.url(""))) || preview.contains(&href),
                "the mail shows the picture"
            );
            assert!(
                preview.contains("alt=\"Het vernieuwde [Korenmarkt] plein\""),
                "{preview}"
            );

            // Once frozen, the form answers 409 and writes nothing more.
            sqlx::query("UPDATE nb_campaigns SET status = 'gepland'")
                .execute(db.pool())
                .await
                .unwrap();
            let page = app.client.get(app.url(&form)).send().await.unwrap();
            assert_eq!(page.status().as_u16(), 409);
            assert_eq!(count(&db, "SELECT COUNT(*) FROM nb_blocks").await, 1);
            assert_eq!(count(&db, "SELECT COUNT(*) FROM site_images").await, 1);
        }
    })
    .await;
}

//! The agenda pages over HTTP (slice S8): a member proposes an item with a file through the
//! multipart form; the chair declines without a reason (422, the Dutch message, nothing
//! changed), accepts and publishes (mails queued); members read the published agenda and
//! download the file; observers may not propose, members may not publish, outsiders do not
//! learn the hidden group's meeting exists.

use crate::agenda::{agenda_group, plan};
use crate::common::{client_of, count, csrf_token, each_wg_app, get_as, post_as, TestApp};

const BOUNDARY: &str = "----agendatestgrens";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"bijlage\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: Vec<u8>,
) -> (u16, String) {
    let (_, html) = get_as(app, client, path).await;
    let token = csrf_token(&html).unwrap_or_default();
    let response = client
        .post(app.url(&format!("{path}?_csrf={token}")))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn members_propose_with_a_file_and_the_chair_decides_and_publishes() {
    each_wg_app(|app, w| async move {
        let (group_id, staff, _, _) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let staff_client = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;
        let observer = client_of(&app, &w.antwerpen_member).await;
        let outsider = client_of(&app, &w.gent_reader).await;
        let page = format!("/werkgroepen/agendagroep/vergaderingen/{meeting}/agenda");
        let propose = format!("{page}/voorstel");

        let (status, html) = get_as(&app, &member, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Agendapunt voorstellen"), "{html}");
        assert!(html.contains("05/06/2055 om 23:59"), "{html}");
        assert_eq!(get_as(&app, &outsider, &page).await.0, 404);
        assert_eq!(get_as(&app, &observer, &propose).await.0, 403);

        // Every wrong field at once, nothing written.
        let body = multipart(&[("title", ""), ("duration", "900")], None);
        let (status, html) = post_multipart(&app, &member, &propose, body).await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(html.contains("Vul een titel in."), "{html}");
        assert!(html.contains("Geef de duur in minuten"), "{html}");
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_agenda_items").await,
            0
        );

        let body = multipart(
            &[
                ("title", "Camerabeleid"),
                ("explanation", "Zie **nota**."),
                ("duration", "30"),
            ],
            Some(("nota.md", b"# Nota over camera's\n")),
        );
        let (status, _) = post_multipart(&app, &member, &propose, body).await;
        assert_eq!(status, 303);
        let item: String = sqlx::query_scalar("SELECT id FROM wg_agenda_items")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let file: String = sqlx::query_scalar("SELECT file_id FROM wg_agenda_attachments")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let download = format!("{page}/bijlagen/{file}");
        // A proposal's file: its proposer yes, another member not yet.
        assert_eq!(get_as(&app, &member, &download).await.0, 200);
        assert_eq!(get_as(&app, &observer, &download).await.0, 404);

        // The chair's page lists the proposal with its forms; a member's does not.
        let (_, html) = get_as(&app, &staff_client, &page).await;
        assert!(
            html.contains("Camerabeleid") && html.contains("Aanvaarden"),
            "{html}"
        );
        assert!(
            html.contains("<strong>nota</strong>"),
            "Markdown rendered: {html}"
        );
        let (_, html) = get_as(&app, &observer, &page).await;
        assert!(!html.contains("Camerabeleid"), "{html}");

        let decline = format!("{page}/punten/{item}/afwijzen");
        let (status, html) = post_as(
            &app,
            &staff_client,
            &page,
            &decline,
            &[("decline_reason", "")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Geef een reden op; de indiener krijgt ze te lezen."),
            "{html}"
        );
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_agenda_items WHERE status = 'voorgesteld'"
            )
            .await,
            1
        );
        // A member may not decide or publish.
        let accept = format!("{page}/punten/{item}/aanvaarden");
        let publish = format!("{page}/publiceren");
        assert_eq!(post_as(&app, &member, &page, &accept, &[]).await.0, 403);
        assert_eq!(post_as(&app, &member, &page, &publish, &[]).await.0, 403);

        assert_eq!(
            post_as(&app, &staff_client, &page, &accept, &[]).await.0,
            303
        );
        assert_eq!(
            post_as(&app, &staff_client, &page, &publish, &[]).await.0,
            303
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await, 3);

        let (_, html) = get_as(&app, &observer, &page).await;
        assert!(
            html.contains("Gepubliceerd") && html.contains("Camerabeleid"),
            "{html}"
        );
        assert!(!html.contains("Agendapunt voorstellen"), "{html}");
        let response = observer.get(app.url(&download)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(disposition.contains("nota.md"), "{disposition}");
        assert_eq!(
            response.bytes().await.unwrap().as_ref(),
            b"# Nota over camera's\n"
        );

        // The meeting's page links to the agenda.
        let meeting_page = format!("/werkgroepen/agendagroep/vergaderingen/{meeting}");
        let (_, html) = get_as(&app, &member, &meeting_page).await;
        assert!(html.contains(&page), "{html}");
    })
    .await;
}

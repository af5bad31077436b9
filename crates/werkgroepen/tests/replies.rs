//! Replies to a meeting on the platform and through the API (design §3.1, §3.2, slice S7), on
//! both backends: a member answers on the reply page (the last answer counts, the facilitator
//! sees the names), an outsider cannot find the page, a wrong answer or a cancelled meeting
//! is refused with a Dutch message and changes nothing; the API does the same for a token's
//! user. (The signed link from the mail is tested in tests/invitations.rs.)

use serde_json::{json, Value};
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::reader;
use steden_werkgroepen::store::meetings::{self, MeetingFields};
use steden_werkgroepen::store::{groups, joining};

use crate::common::{client_of, create_group, each_wg_app, get_as, post_as, Person, TestApp};

async fn token(app: &TestApp, person: &Person, org: &str) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "antwoorden",
            organisation_id: org,
            modules: vec!["werkgroepen".into()],
            role: Role::Lid,
            expires_at: None,
        },
        &["core", "plan", "kennisbank", "werkgroepen"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn put_reply(app: &TestApp, path: &str, bearer: Option<&str>, answer: &str) -> (u16, Value) {
    let mut request = app
        .client
        .put(app.url(&format!("/api/v1{path}")))
        .json(&json!({ "answer": answer }));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn answer_of(app: &TestApp, meeting: &str, user: &str) -> Option<(String, String)> {
    sqlx::query_as("SELECT answer, via FROM wg_replies WHERE meeting_id = $1 AND user_id = $2")
        .bind(meeting)
        .bind(user)
        .fetch_optional(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn members_answer_on_the_page_and_through_the_api() {
    each_wg_app(|app, w| async move {
        let group_id = create_group(&w, "antwoordgroep", "Antwoordgroep", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &group_id,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let staff_actor = crate::common::staff_actor(&w);
        let mut conn = w.db.pool().acquire().await.unwrap();
        let profile = groups::find(&mut conn, &group_id).await.unwrap().unwrap();
        drop(conn);
        let (standing, _) = reader::standing(&w.db, &staff_actor, &profile)
            .await
            .unwrap();
        let mut tx = w.db.begin().await.unwrap();
        let fields = MeetingFields {
            title: "Antwoordgroep".into(),
            local_date: "2055-06-15".into(),
            local_start: "14:00".into(),
            local_end: "16:00".into(),
            place: "Stadhuis".into(),
            online_url: String::new(),
        };
        let id = meetings::create(&mut tx, &standing, &group_id, &fields, &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let page = format!("/werkgroepen/antwoordgroep/vergaderingen/{id}/antwoord");

        // The member on the page.
        let member = client_of(&app, &w.gent_member).await;
        let (status, html) = get_as(&app, &member, &page).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("Nog niet geantwoord"), "{html}");
        let (status, html) = post_as(&app, &member, &page, &page, &[("answer", "aanwezig")]).await;
        assert_eq!(status, 200);
        assert!(html.contains("Je antwoord is bewaard."), "{html}");
        let gent = w.gent_member.id.as_str();
        assert_eq!(
            answer_of(&app, &id, gent).await,
            Some(("aanwezig".into(), "pagina".into()))
        );
        let (status, html) = post_as(&app, &member, &page, &page, &[("answer", "ja")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("Kies aanwezig, verontschuldigd of misschien."));
        assert_eq!(
            answer_of(&app, &id, gent).await,
            Some(("aanwezig".into(), "pagina".into())),
            "nothing written"
        );

        // The facilitator sees who answered; an outsider does not find the page.
        let staff = client_of(&app, &w.staff).await;
        let (_, html) = get_as(&app, &staff, &page).await;
        assert!(html.contains("Greet Gent: Aanwezig"), "{html}");
        let outsider = client_of(&app, &w.antwerpen_member).await;
        assert_eq!(get_as(&app, &outsider, &page).await.0, 404);
        let (status, _) = post_as(&app, &outsider, "/", &page, &[("answer", "aanwezig")]).await;
        assert_eq!(status, 404);

        // The API, as the token's user.
        let api = format!("/werkgroepen/groups/antwoordgroep/meetings/{id}/reply");
        let member_token = token(&app, &w.gent_member, &w.gent).await;
        let (status, body) = put_reply(&app, &api, Some(&member_token), "misschien").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!({ "meeting_id": id, "answer": "misschien" }));
        assert_eq!(
            answer_of(&app, &id, gent).await,
            Some(("misschien".into(), "api".into()))
        );
        assert_eq!(
            put_reply(&app, &api, Some(&member_token), "ja").await.0,
            422
        );
        assert_eq!(put_reply(&app, &api, None, "aanwezig").await.0, 401);
        let other = token(&app, &w.antwerpen_member, &w.antwerpen).await;
        assert_eq!(put_reply(&app, &api, Some(&other), "aanwezig").await.0, 404);
        assert_eq!(
            answer_of(&app, &id, &w.antwerpen_member.id).await,
            None,
            "nothing written for the outsider"
        );

        // A cancelled meeting takes no answers any more.
        let mut tx = w.db.begin().await.unwrap();
        meetings::cancel(&mut tx, &standing, &group_id, &id, "", &w.staff.audit())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (status, html) = post_as(
            &app,
            &member,
            &page,
            &page,
            &[("answer", "verontschuldigd")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Deze vergadering is geannuleerd"), "{html}");
        assert_eq!(
            answer_of(&app, &id, gent).await,
            Some(("misschien".into(), "api".into()))
        );
    })
    .await;
}

//! The JSON API (`/api/v1/werkgroepen/…`): the same visibility as the pages, members'
//! e-mail addresses only for members, facilitators and staff, problem documents for what one
//! may not see.

use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;
use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::joining;

use crate::common::{create_group, each_wg_app, Person, TestApp};

async fn token(app: &TestApp, person: &Person, org: &str, role: Role) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "werkgroepen",
            organisation_id: org,
            modules: vec!["werkgroepen".into()],
            role,
            expires_at: None,
        },
        &["core", "plan", "kennisbank", "werkgroepen"],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    created.plaintext
}

async fn get_json(app: &TestApp, path: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn the_api_answers_with_the_pages_rules() {
    each_wg_app(|app, w| async move {
        let hidden = create_group(&w, "verborgen", "Verborgen groep", "verborgen").await;
        let open = create_group(&w, "obmi", "Werkgroep OBMi", "publiek").await;
        let mut tx = w.db.begin().await.unwrap();
        for group in [&hidden, &open] {
            joining::add(
                &mut tx,
                group,
                &w.gent_member.id,
                Some(&w.gent),
                MemberRole::Lid,
                &w.staff.audit(),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();

        // Anonymous: the public group only, members without e-mail addresses.
        let (status, list) = get_json(&app, "/api/v1/werkgroepen/groups", None).await;
        assert_eq!(status, 200, "{list}");
        let slugs: Vec<&str> = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["obmi"]);
        assert_eq!(list["items"][0]["cadence"], "zeswekelijks");
        assert_eq!(list["items"][0]["facilitators"][0], "Sara Staf");
        let (status, problem) = get_json(&app, "/api/v1/werkgroepen/groups/verborgen", None).await;
        assert_eq!(status, 404);
        assert_eq!(problem["status"], 404);
        let (status, members) =
            get_json(&app, "/api/v1/werkgroepen/groups/obmi/members", None).await;
        assert_eq!(status, 200);
        assert_eq!(members["items"][0]["name"], "Greet Gent");
        assert_eq!(members["items"][0]["role"], "lid");
        assert!(members["items"][0]["email"].is_null(), "{members}");
        let (status, _) =
            get_json(&app, "/api/v1/werkgroepen/groups/verborgen/members", None).await;
        assert_eq!(status, 404);

        // Another city's token: still no e-mail addresses, no hidden group.
        let other = token(&app, &w.antwerpen_member, &w.antwerpen, Role::Lid).await;
        let (_, members) = get_json(
            &app,
            "/api/v1/werkgroepen/groups/obmi/members",
            Some(&other),
        )
        .await;
        assert!(members["items"][0]["email"].is_null(), "{members}");
        let (status, _) =
            get_json(&app, "/api/v1/werkgroepen/groups/verborgen", Some(&other)).await;
        assert_eq!(status, 404);

        // The member's token: the hidden group and the addresses.
        let member = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let (status, group) =
            get_json(&app, "/api/v1/werkgroepen/groups/verborgen", Some(&member)).await;
        assert_eq!(status, 200, "{group}");
        assert_eq!(group["visibility"], "verborgen");
        assert_eq!(group["participating"][0], "Gent");
        let (_, members) = get_json(
            &app,
            "/api/v1/werkgroepen/groups/verborgen/members",
            Some(&member),
        )
        .await;
        assert_eq!(members["items"][0]["email"], w.gent_member.email.as_str());
        let (_, list) = get_json(&app, "/api/v1/werkgroepen/groups", Some(&member)).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 2);

        // Staff see every group.
        let staff = token(&app, &w.staff, &w.kenniscentrum, Role::Redacteur).await;
        let (_, list) = get_json(&app, "/api/v1/werkgroepen/groups", Some(&staff)).await;
        assert_eq!(list["total"], 2, "{list}");

        // A wrong token is 401, never anonymous.
        let (status, _) = get_json(&app, "/api/v1/werkgroepen/groups", Some("onzin")).await;
        assert_eq!(status, 401);
    })
    .await;
}

#[tokio::test]
async fn meetings_are_read_by_the_groups_readers_and_listed_in_the_openapi_document() {
    use steden_werkgroepen::reader;
    use steden_werkgroepen::store::meetings::{self, MeetingFields};

    each_wg_app(|app, w| async move {
        let open = create_group(&w, "obmi", "Werkgroep OBMi", "publiek").await;
        create_group(&w, "verborgen", "Verborgen groep", "verborgen").await;
        let mut tx = w.db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &open,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let view = reader::find(&w.db, &w.staff.actor, "obmi")
            .await
            .unwrap()
            .unwrap();
        let mut tx = w.db.begin().await.unwrap();
        let id = meetings::create(
            &mut tx,
            &view.standing,
            &open,
            &MeetingFields {
                title: "Overleg".into(),
                local_date: "2055-06-15".into(),
                local_start: "14:00".into(),
                local_end: "16:00".into(),
                place: "Stadhuis Gent".into(),
                online_url: String::new(),
            },
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        // Anonymous: the public group's profile, but not its meetings; hidden is not found.
        let (status, _) = get_json(&app, "/api/v1/werkgroepen/groups/obmi/meetings", None).await;
        assert_eq!(status, 403);
        let (status, _) =
            get_json(&app, "/api/v1/werkgroepen/groups/verborgen/meetings", None).await;
        assert_eq!(status, 404);

        let member = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let (status, list) = get_json(
            &app,
            "/api/v1/werkgroepen/groups/obmi/meetings",
            Some(&member),
        )
        .await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["total"], 1);
        assert_eq!(list["items"][0]["local_start"], "14:00");
        assert_eq!(list["items"][0]["starts_at"], "2055-06-15T12:00:00.000Z");
        assert_eq!(list["items"][0]["status"], "gepland");
        let (status, one) = get_json(
            &app,
            &format!("/api/v1/werkgroepen/groups/obmi/meetings/{id}"),
            Some(&member),
        )
        .await;
        assert_eq!(status, 200, "{one}");
        assert_eq!(one["title"], "Overleg");
        let (status, _) = get_json(
            &app,
            "/api/v1/werkgroepen/groups/obmi/meetings/bestaat-niet",
            Some(&member),
        )
        .await;
        assert_eq!(status, 404);

        let (_, doc) = get_json(&app, "/api/v1/openapi.json", None).await;
        let paths = &doc["paths"];
        assert!(
            paths
                .get("/api/v1/werkgroepen/groups/{slug}/meetings")
                .is_some()
                || paths.get("/werkgroepen/groups/{slug}/meetings").is_some(),
            "{paths}"
        );
    })
    .await;
}

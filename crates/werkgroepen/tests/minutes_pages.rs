//! The minutes pages and the agenda/minutes/action-point API over HTTP (slice S9): the chair
//! writes and proposes the minutes, records an action point (an invalid one: 422 with the
//! Dutch messages, nothing written); a member reads the proposed minutes and comments; a draft
//! stays hidden from members; the owner marks their point done on the group's list; the API
//! gives the agenda, the minutes and the caller's open action points.

use serde_json::Value;
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;

use crate::agenda::{agenda_group, plan};
use crate::common::{client_of, count, each_wg_app, get_as, post_as, Person, TestApp};

async fn token(app: &TestApp, person: &Person, org: &str) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "werkgroepen",
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
async fn the_chair_writes_and_proposes_members_comment_and_owners_close_their_points() {
    each_wg_app(|app, w| async move {
        let (group_id, staff, _, _) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, "2055-06-15").await;
        let staff_client = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;
        let page = format!("/werkgroepen/agendagroep/vergaderingen/{meeting}/verslag");
        let action = |name: &str| format!("{page}/{name}");

        let (status, _) = post_as(
            &app,
            &staff_client,
            &page,
            &action("opslaan"),
            &[(
                "minutes_md",
                "## Verloop\n\nHet **cookiebeleid** besproken.",
            )],
        )
        .await;
        assert_eq!(status, 303);
        // A draft is for those who chair only.
        let (status, html) = get_as(&app, &member, &page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("cookiebeleid"), "{html}");
        assert_eq!(
            post_as(
                &app,
                &member,
                &page,
                &action("opslaan"),
                &[("minutes_md", "x")]
            )
            .await
            .0,
            403
        );

        // An invalid action point: every message, nothing written.
        let (status, html) = post_as(
            &app,
            &staff_client,
            &page,
            &action("actiepunt"),
            &[
                ("description", ""),
                ("owner", ""),
                ("due_date", "2055-02-30"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(html.contains("Beschrijf het actiepunt."), "{html}");
        assert!(html.contains("Deze datum bestaat niet."), "{html}");
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_action_points").await,
            0
        );
        let owner = format!("user:{}", w.gent_member.id);
        let (status, _) = post_as(
            &app,
            &staff_client,
            &page,
            &action("actiepunt"),
            &[
                ("description", "Cookiebanner nakijken"),
                ("owner", &owner),
                ("due_date", "2055-07-01"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let attendance = format!("att-{}", w.gent_member.id);
        let (status, _) = post_as(
            &app,
            &staff_client,
            &page,
            &action("aanwezigheid"),
            &[(&attendance, "aanwezig")],
        )
        .await;
        assert_eq!(status, 303);
        let (status, _) = post_as(
            &app,
            &staff_client,
            &page,
            &action("voorleggen"),
            &[("comment_until", "2099-12-31")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await, 3);

        let (_, html) = get_as(&app, &member, &page).await;
        assert!(html.contains("<strong>cookiebeleid</strong>"), "{html}");
        assert!(
            html.contains("Ter goedkeuring voorgelegd") && html.contains("31/12/2099 om 23:59"),
            "{html}"
        );
        assert!(
            html.contains("Cookiebanner nakijken") && html.contains("01/07/2055"),
            "{html}"
        );
        let (status, html) =
            post_as(&app, &member, &page, &action("opmerking"), &[("body", "")]).await;
        assert_eq!(status, 422);
        assert!(html.contains("Schrijf je opmerking."), "{html}");
        let (status, _) = post_as(
            &app,
            &member,
            &page,
            &action("opmerking"),
            &[("body", "Graag een bron bij punt 2.")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get_as(&app, &staff_client, &page).await;
        assert!(
            html.contains("Graag een bron bij punt 2.") && html.contains("Verslag goedkeuren"),
            "{html}"
        );

        // The API: the minutes, the member's open action points, the agenda.
        let bearer = token(&app, &w.gent_member, &w.gent).await;
        let api = format!("/api/v1/werkgroepen/groups/agendagroep/meetings/{meeting}");
        let (status, minutes) = get_json(&app, &format!("{api}/minutes"), Some(&bearer)).await;
        assert_eq!(status, 200, "{minutes}");
        assert_eq!(minutes["status"], "voorgelegd");
        assert_eq!(minutes["action_points"][0]["owner"], "Greet Gent");
        assert_eq!(minutes["attendance"][0]["status"], "aanwezig");
        let (status, mine) =
            get_json(&app, "/api/v1/werkgroepen/action-points", Some(&bearer)).await;
        assert_eq!(status, 200, "{mine}");
        assert_eq!(mine["items"][0]["description"], "Cookiebanner nakijken");
        let (status, _) = get_json(&app, "/api/v1/werkgroepen/action-points", None).await;
        assert_eq!(status, 401);
        let (status, agenda) = get_json(&app, &format!("{api}/agenda"), Some(&bearer)).await;
        assert_eq!(status, 200, "{agenda}");
        assert_eq!(agenda["status"], "open");
        assert_eq!(agenda["proposal_deadline"], "2055-06-05T21:59:59.999Z");
        let (status, _) = get_json(&app, &format!("{api}/agenda"), None).await;
        assert_eq!(status, 404, "a hidden group stays hidden");

        // The owner closes the point on the group's list and their own page empties.
        let (_, html) = get_as(&app, &member, "/werkgroepen/mijn/actiepunten").await;
        assert!(html.contains("Cookiebanner nakijken"), "{html}");
        let point: String = sqlx::query_scalar("SELECT id FROM wg_action_points")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let list = "/werkgroepen/agendagroep/actiepunten";
        let (status, _) = post_as(
            &app,
            &member,
            list,
            &format!("{list}/{point}/status"),
            &[("status", "gedaan")],
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = get_as(&app, &member, "/werkgroepen/mijn/actiepunten").await;
        assert!(!html.contains("Cookiebanner nakijken"), "{html}");
        let (_, html) = get_as(&app, &member, list).await;
        assert!(
            html.contains("Cookiebanner nakijken") && html.contains("Gedaan"),
            "{html}"
        );
    })
    .await;
}

//! The agenda and minutes writes of the API (issue 13 point 4), on both backends, with the
//! pages' rules: a member proposes until the deadline (after it: 422 with the page's Dutch
//! message, nothing written), an outsider gets 403, those who chair decide (a decline needs a
//! reason: 422), order and publish (every proposal decided; publishing mails the members), and
//! the minutes go concept → voorgelegd → goedgekeurd with comments only during the period.

use serde_json::{json, Value};
use steden_core::api_token::{self, NewApiToken};
use steden_core::role::Role;

use crate::agenda::{agenda_group, plan};
use crate::common::{count, create_group, each_wg_app, Person, TestApp};

async fn token(app: &TestApp, person: &Person, org: &str, role: Role) -> String {
    let mut tx = app.db.begin().await.unwrap();
    let created = api_token::create(
        &mut tx,
        &person.actor,
        &NewApiToken {
            name: "schrijven",
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

/// Sends `body` (JSON, or none) with `method` to `/api/v1{path}`: status, Location, body.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    bearer: Option<&str>,
    body: Option<Value>,
) -> (u16, Option<String>, Value) {
    let mut request = app
        .client
        .request(method, app.url(&format!("/api/v1{path}")));
    if let Some(body) = body {
        request = request.json(&body);
    }
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string());
    (
        status,
        location,
        response.json().await.unwrap_or(Value::Null),
    )
}

fn in_days(days: i64) -> String {
    (steden_werkgroepen::store::meetings::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

const POST: reqwest::Method = reqwest::Method::POST;
const PUT: reqwest::Method = reqwest::Method::PUT;

#[tokio::test]
async fn the_agenda_is_written_through_the_api_with_the_pages_rules() {
    each_wg_app(|app, w| async move {
        let (group_id, staff, _, _) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, &in_days(30)).await;
        let member = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let observer = token(&app, &w.antwerpen_member, &w.antwerpen, Role::Lid).await;
        let chair = token(&app, &w.staff, &w.kenniscentrum, Role::Redacteur).await;
        let base = format!("/werkgroepen/groups/agendagroep/meetings/{meeting}/agenda");
        let items = format!("{base}/items");

        // A member proposes: 201, the item, and a Location that answers.
        let proposal =
            json!({"title": "Fietsstraten", "explanation": "Wat *werkt*?", "duration_min": 20});
        let (status, location, item) =
            send(&app, POST, &items, Some(&member), Some(proposal.clone())).await;
        assert_eq!(status, 201, "{item}");
        assert_eq!(item["status"], "voorgesteld");
        assert_eq!(item["origin"], "voorstel");
        assert_eq!(item["duration_min"], 20);
        assert_eq!(item["proposer"], "Greet Gent");
        let first = item["id"].as_str().unwrap().to_string();
        let location = location.expect("a Location header");
        assert!(
            location.ends_with(&format!("{items}/{first}")),
            "{location}"
        );
        let (status, _, again) = send(
            &app,
            reqwest::Method::GET,
            location.trim_start_matches("/api/v1"),
            Some(&member),
            None,
        )
        .await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["title"], "Fietsstraten");

        // Bad fields: 422 per field, nothing written.
        let (status, _, problem) = send(
            &app,
            POST,
            &items,
            Some(&member),
            Some(json!({"title": " ", "duration_min": 9999})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["title", "duration_min"]);
        // An observer (not a contributing member) and no token.
        let (status, _, problem) =
            send(&app, POST, &items, Some(&observer), Some(proposal.clone())).await;
        assert_eq!(status, 403, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("leden"),
            "{problem}"
        );
        assert_eq!(
            send(&app, POST, &items, None, Some(proposal.clone()))
                .await
                .0,
            401
        );
        let items_now = "SELECT COUNT(*) FROM wg_agenda_items";
        assert_eq!(count(&w.db, items_now).await, 1);

        // A second proposal, then the member may not decide.
        let (_, _, second) = send(
            &app,
            POST,
            &items,
            Some(&member),
            Some(json!({"title": "Deelmobiliteit"})),
        )
        .await;
        let second = second["id"].as_str().unwrap().to_string();
        let decide = |id: &str| format!("{items}/{id}/decision");
        let (status, _, _) = send(
            &app,
            POST,
            &decide(&first),
            Some(&member),
            Some(json!({"decision": "aanvaarden"})),
        )
        .await;
        assert_eq!(status, 403);

        // Publishing with a proposal undecided: the page's message, nothing published.
        let (status, _, problem) =
            send(&app, POST, &format!("{base}/publish"), Some(&chair), None).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(
            problem["detail"],
            "Beslis eerst over elk voorstel: aanvaarden, samenvoegen of afwijzen."
        );

        // Declining without a reason: 422 with the page's message, the item still proposed.
        let (status, _, problem) = send(
            &app,
            POST,
            &decide(&second),
            Some(&chair),
            Some(json!({"decision": "afwijzen", "decline_reason": "  "})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(
            problem["detail"],
            steden_werkgroepen::store::agenda::DECLINE_REASON_MESSAGE
        );
        assert_eq!(problem["errors"][0]["field"], "decline_reason");
        let proposed = "SELECT COUNT(*) FROM wg_agenda_items WHERE status = 'voorgesteld'";
        assert_eq!(count(&w.db, proposed).await, 2);
        // An unknown decision is refused by the body's schema.
        let (status, _, _) = send(
            &app,
            POST,
            &decide(&second),
            Some(&chair),
            Some(json!({"decision": "misschien"})),
        )
        .await;
        assert!(status == 400 || status == 422, "{status}");

        // Accept the first; a third proposal is merged into it; the second declined.
        let (status, _, agenda) = send(
            &app,
            POST,
            &decide(&first),
            Some(&chair),
            Some(json!({"decision": "aanvaarden"})),
        )
        .await;
        assert_eq!(status, 200, "{agenda}");
        let (_, _, third) = send(
            &app,
            POST,
            &items,
            Some(&member),
            Some(json!({"title": "Fietsstraten in Gent"})),
        )
        .await;
        let third = third["id"].as_str().unwrap().to_string();
        let (status, _, agenda) = send(
            &app,
            POST,
            &decide(&third),
            Some(&chair),
            Some(json!({"decision": "samenvoegen", "merge_into": first})),
        )
        .await;
        assert_eq!(status, 200, "{agenda}");
        let (status, _, agenda) = send(
            &app,
            POST,
            &decide(&second),
            Some(&chair),
            Some(json!({"decision": "afwijzen", "decline_reason": "Komt in de stuurgroep."})),
        )
        .await;
        assert_eq!(status, 200, "{agenda}");
        let declined = agenda["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == second.as_str())
            .unwrap()
            .clone();
        assert_eq!(declined["decline_reason"], "Komt in de stuurgroep.");

        // The chair adds an item on the page's store; the API orders the live items.
        let (status, _, own) = send(
            &app,
            POST,
            &items,
            Some(&chair),
            Some(json!({"title": "Rondvraag"})),
        )
        .await;
        assert_eq!(status, 201, "{own}");
        let own = own["id"].as_str().unwrap().to_string();
        let (status, _, agenda) = send(
            &app,
            POST,
            &decide(&own),
            Some(&chair),
            Some(json!({"decision": "aanvaarden"})),
        )
        .await;
        assert_eq!(status, 200, "{agenda}");
        // Not every live item: refused; then the right order.
        let (status, _, problem) = send(
            &app,
            PUT,
            &format!("{base}/order"),
            Some(&chair),
            Some(json!({"item_ids": [own]})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        let (status, _, agenda) = send(
            &app,
            PUT,
            &format!("{base}/order"),
            Some(&chair),
            Some(json!({"item_ids": [own, first]})),
        )
        .await;
        assert_eq!(status, 200, "{agenda}");
        let accepted: Vec<&str> = agenda["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["status"] == "aanvaard")
            .map(|i| i["title"].as_str().unwrap())
            .collect();
        assert_eq!(accepted, ["Rondvraag", "Fietsstraten"]);
        let (status, _, _) = send(
            &app,
            PUT,
            &format!("{base}/order"),
            Some(&member),
            Some(json!({"item_ids": [first, own]})),
        )
        .await;
        assert_eq!(status, 403);

        // Publishing mails the agenda to the members and the facilitator, as the page does.
        let (status, _, agenda) =
            send(&app, POST, &format!("{base}/publish"), Some(&chair), None).await;
        assert_eq!(status, 200, "{agenda}");
        assert_eq!(agenda["status"], "gepubliceerd");
        assert_eq!(agenda["version"], 1);
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_mail_log WHERE kind = 'agenda' AND version = 1"
            )
            .await,
            3
        );
        // After publication, proposing is refused with the page's message.
        let (status, _, problem) =
            send(&app, POST, &items, Some(&member), Some(proposal.clone())).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(
            problem["detail"],
            "De agenda is al gepubliceerd; voorstellen kunnen niet meer."
        );

        // Another meeting whose deadline passed: 422 with the page's message, nothing written.
        let late = plan(&w, &staff, &group_id, &in_days(40)).await;
        sqlx::query("UPDATE wg_meetings SET proposal_deadline_at = $1 WHERE id = $2")
            .bind(steden_db::now_ms() - 60_000)
            .bind(&late)
            .execute(w.db.pool())
            .await
            .unwrap();
        let before = count(&w.db, items_now).await;
        let state = steden_werkgroepen::store::agenda::state(w.db.pool(), &group_id, &late)
            .await
            .unwrap()
            .unwrap();
        let late_items = format!("/werkgroepen/groups/agendagroep/meetings/{late}/agenda/items");
        let (status, _, problem) = send(
            &app,
            POST,
            &late_items,
            Some(&member),
            Some(proposal.clone()),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(
            problem["detail"].as_str().unwrap(),
            format!(
                "De termijn voor agendapunten liep af op {}.",
                state.deadline_text()
            )
        );
        assert_eq!(count(&w.db, items_now).await, before);

        // A meeting of another group is not found; a hidden group too, for an outsider.
        let (status, _, _) = send(
            &app,
            POST,
            "/werkgroepen/groups/agendagroep/meetings/onbekend/agenda/items",
            Some(&member),
            Some(proposal.clone()),
        )
        .await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn a_non_member_of_a_public_group_is_refused_with_403() {
    each_wg_app(|app, w| async move {
        let (_, staff, _, _) = agenda_group(&w).await;
        let open = create_group(&w, "openbaar", "Openbare groep", "publiek").await;
        let meeting = plan(&w, &staff, &open, &in_days(20)).await;
        // The Gent member is in the other group, not this one.
        let outsider = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let path = format!("/werkgroepen/groups/openbaar/meetings/{meeting}/agenda/items");
        let (status, _, problem) = send(
            &app,
            POST,
            &path,
            Some(&outsider),
            Some(json!({"title": "Iets"})),
        )
        .await;
        assert_eq!(status, 403, "{problem}");
        assert_eq!(problem["status"], 403);
        let minutes = format!("/werkgroepen/groups/openbaar/meetings/{meeting}/minutes");
        let (status, _, _) = send(
            &app,
            PUT,
            &minutes,
            Some(&outsider),
            Some(json!({"minutes_md": "Niets"})),
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_agenda_items").await,
            0
        );
    })
    .await;
}

#[tokio::test]
async fn the_minutes_follow_the_pages_state_machine_through_the_api() {
    each_wg_app(|app, w| async move {
        let (group_id, staff, _, _) = agenda_group(&w).await;
        let meeting = plan(&w, &staff, &group_id, &in_days(1)).await;
        let member = token(&app, &w.gent_member, &w.gent, Role::Lid).await;
        let chair = token(&app, &w.staff, &w.kenniscentrum, Role::Redacteur).await;
        let base = format!("/werkgroepen/groups/agendagroep/meetings/{meeting}/minutes");
        let status_now = || async {
            sqlx::query_scalar::<_, String>("SELECT minutes_status FROM wg_meetings WHERE id = $1")
                .bind(&meeting)
                .fetch_one(w.db.pool())
                .await
                .unwrap()
        };

        // Nothing to propose or approve yet; members may not comment on a draft.
        let (status, _, problem) = send(&app, POST, &format!("{base}/propose"), Some(&chair), Some(json!({}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["detail"], "Schrijf eerst het verslag.");
        let (status, _, problem) = send(&app, POST, &format!("{base}/approve"), Some(&chair), None).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["detail"], "Leg het verslag eerst voor aan de leden.");
        // A member may not write the minutes.
        let (status, _, _) = send(&app, PUT, &base, Some(&member), Some(json!({"minutes_md": "Mijn versie"}))).await;
        assert_eq!(status, 403);

        // The chair writes the draft with two decisions: concept.
        let (status, _, minutes) = send(
            &app,
            PUT,
            &base,
            Some(&chair),
            Some(json!({"minutes_md": "# Verslag\n\nWe spraken over fietsstraten.", "add_decisions": ["Gent trekt de nota.", "Volgende keer: deelmobiliteit."]})),
        )
        .await;
        assert_eq!(status, 200, "{minutes}");
        assert_eq!(minutes["status"], "concept");
        assert_eq!(minutes["decisions"].as_array().unwrap().len(), 2);
        // An empty decision refuses the whole write: the text stays as it was.
        let (status, _, problem) = send(
            &app,
            PUT,
            &base,
            Some(&chair),
            Some(json!({"minutes_md": "Anders", "add_decisions": [" "]})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "add_decisions.0");
        let text: String = sqlx::query_scalar("SELECT minutes_md FROM wg_meetings WHERE id = $1")
            .bind(&meeting)
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        assert!(text.starts_with("# Verslag"));
        // Commenting on a draft: refused.
        let (status, _, problem) = send(&app, POST, &format!("{base}/comments"), Some(&member), Some(json!({"body": "Goed"}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["detail"], "Het verslag ligt niet ter goedkeuring voor.");

        // A comment period in the past is refused; then proposed until in three days, mailed.
        let (status, _, problem) = send(
            &app,
            POST,
            &format!("{base}/propose"),
            Some(&chair),
            Some(json!({"comment_until": in_days(-1)})),
        )
        .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(status_now().await, "concept");
        let (status, _, minutes) = send(
            &app,
            POST,
            &format!("{base}/propose"),
            Some(&chair),
            Some(json!({"comment_until": in_days(3)})),
        )
        .await;
        assert_eq!(status, 200, "{minutes}");
        assert_eq!(minutes["status"], "voorgelegd");
        assert!(minutes["comment_until"].is_string());
        let mailed = count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await;
        assert!(mailed >= 3, "{mailed}");

        // A member comments during the period: 201.
        let (status, _, comment) = send(&app, POST, &format!("{base}/comments"), Some(&member), Some(json!({"body": "Punt 2 klopt niet helemaal."}))).await;
        assert_eq!(status, 201, "{comment}");
        assert_eq!(comment["body"], "Punt 2 klopt niet helemaal.");
        // After the period: the page's message, nothing written.
        sqlx::query("UPDATE wg_meetings SET comment_until = $1 WHERE id = $2")
            .bind(steden_db::now_ms() - 60_000)
            .bind(&meeting)
            .execute(w.db.pool())
            .await
            .unwrap();
        let (status, _, problem) = send(&app, POST, &format!("{base}/comments"), Some(&member), Some(json!({"body": "Te laat"}))).await;
        assert_eq!(status, 422, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().starts_with("De termijn voor opmerkingen liep af op "),
            "{problem}"
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_minutes_comments").await, 1);

        // A member may not approve; the facilitator does, and the minutes are mailed.
        let (status, _, _) = send(&app, POST, &format!("{base}/approve"), Some(&member), None).await;
        assert_eq!(status, 403);
        let (status, _, minutes) = send(&app, POST, &format!("{base}/approve"), Some(&chair), None).await;
        assert_eq!(status, 200, "{minutes}");
        assert_eq!(minutes["status"], "goedgekeurd");
        assert!(count(&w.db, "SELECT COUNT(*) FROM mail_outbox").await > mailed);
        // Approved minutes do not change any more.
        let (status, _, problem) = send(&app, PUT, &base, Some(&chair), Some(json!({"minutes_md": "Nog iets"}))).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["detail"], "Het verslag is al goedgekeurd en kan niet meer veranderen.");
        assert_eq!(status_now().await, "goedgekeurd");
    })
    .await;
}

//! The group pages over HTTP: staff create a group with the form (bad input: every message,
//! "Fout:" in the title, nothing written); a city member asks to join, is refused (a refusal
//! needs a reason), asks again, is approved and leaves, with the history page telling it all
//! and the core's access list following after every step; e-mail addresses only for members,
//! facilitators and staff.

use crate::common::{
    assert_access_list, client_of, count, create_group, each_wg_app, get_as, post_as, statuses,
    TestApp,
};

#[tokio::test]
async fn staff_create_a_group_with_the_form_and_bad_input_writes_nothing() {
    each_wg_app(|app, w| async move {
        let staff = client_of(&app, &w.staff).await;
        let (status, html) = get_as(&app, &staff, "/werkgroepen").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("href=\"/werkgroepen/beheer/nieuw\""),
            "{html}"
        );

        let before = count(&w.db, "SELECT COUNT(*) FROM working_groups").await;
        let (status, html) = post_as(
            &app,
            &staff,
            "/werkgroepen/beheer/nieuw",
            "/werkgroepen/beheer/nieuw",
            &[
                ("name", ""),
                ("slug", "Geen Goede Naam"),
                ("kind", "werkgroep"),
                ("visibility", "publiek"),
                ("cadence", "maandelijks"),
                ("default_start", "16:00"),
                ("default_end", "15:00"),
                ("proposal_days", "10"),
                ("comment_days", "10"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(html.contains("class=\"error-summary\""), "{html}");
        assert!(html.contains("Vul een naam in."), "{html}");
        assert!(
            html.contains("De korte naam mag alleen kleine letters"),
            "{html}"
        );
        assert!(
            html.contains("Het einde moet na het begin liggen."),
            "{html}"
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM working_groups").await,
            before
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_groups").await, 0);

        let (status, _) = post_as(
            &app,
            &staff,
            "/werkgroepen/beheer/nieuw",
            "/werkgroepen/beheer/nieuw",
            &[
                ("name", "Werkgroep Patrimonium"),
                ("slug", "patrimonium"),
                ("kind", "werkgroep"),
                (
                    "purpose",
                    "Het patrimonium van de steden klimaatvriendelijk maken.",
                ),
                ("visibility", "publiek"),
                ("cadence", "driemaal_per_jaar"),
                ("default_start", "10:00"),
                ("default_end", "12:00"),
                ("proposal_days", "10"),
                ("comment_days", "10"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let html = app.page("/werkgroepen/patrimonium").await;
        assert!(html.contains("Werkgroep Patrimonium"), "{html}");
        assert!(html.contains("driemaal per jaar"), "{html}");
        assert!(
            html.contains("Sara Staf"),
            "the creator facilitates: {html}"
        );
        let html = app.page("/werkgroepen").await;
        assert!(html.contains("href=\"/werkgroepen/patrimonium\""), "{html}");

        // The settings: a wrong field shows the error, a good one saves.
        let (status, html) = post_as(
            &app,
            &staff,
            "/werkgroepen/patrimonium/instellingen",
            "/werkgroepen/patrimonium/instellingen",
            &[
                ("name", "Werkgroep Patrimonium"),
                ("kind", "werkgroep"),
                ("visibility", "publiek"),
                ("cadence", "driemaal_per_jaar"),
                ("default_start", "25:00"),
                ("default_end", "12:00"),
                ("proposal_days", "10"),
                ("comment_days", "10"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Geef een uur op als UU:MM"), "{html}");
        let (status, _) = post_as(
            &app,
            &staff,
            "/werkgroepen/patrimonium/instellingen",
            "/werkgroepen/patrimonium/instellingen",
            &[
                ("name", "Werkgroep Patrimonium"),
                ("kind", "werkgroep"),
                ("purpose", "Nieuw doel."),
                ("visibility", "publiek"),
                ("cadence", "op_afroep"),
                ("default_start", "10:00"),
                ("default_end", "12:00"),
                ("proposal_days", "7"),
                ("comment_days", "14"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let html = app.page("/werkgroepen/patrimonium").await;
        assert!(html.contains("Nieuw doel."), "{html}");
        assert!(html.contains("op afroep"), "{html}");
    })
    .await;
}

async fn ask(app: &TestApp, member: &reqwest::Client, gent: &str, motivation: &str) -> u16 {
    post_as(
        app,
        member,
        "/werkgroepen/obmi/lid-worden",
        "/werkgroepen/obmi/lid-worden",
        &[("organisation_id", gent), ("motivation", motivation)],
    )
    .await
    .0
}

#[tokio::test]
async fn ask_refuse_ask_again_approve_and_leave_through_the_pages() {
    each_wg_app(|app, w| async move {
        let id = create_group(&w, "obmi", "Werkgroep OBMi", "publiek").await;
        let member = client_of(&app, &w.gent_member).await;
        let staff = client_of(&app, &w.staff).await;

        let (_, html) = get_as(&app, &member, "/werkgroepen/obmi").await;
        assert!(
            html.contains("href=\"/werkgroepen/obmi/lid-worden\""),
            "{html}"
        );
        let (status, html) = post_as(
            &app,
            &member,
            "/werkgroepen/obmi/lid-worden",
            "/werkgroepen/obmi/lid-worden",
            &[("organisation_id", ""), ("motivation", " ")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(
            html.contains("Kies de stad of organisatie waarvoor je lid wordt."),
            "{html}"
        );
        assert!(
            html.contains("Schrijf kort waarom je lid wilt worden"),
            "{html}"
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_memberships").await, 0);

        assert_eq!(
            ask(&app, &member, &w.gent, "Gent werkt aan OBMi.").await,
            303
        );
        assert_eq!(
            statuses(&w.db, &id, &w.gent_member.id).await,
            ["aangevraagd"]
        );
        assert_access_list(&w.db, &id).await;
        let (_, html) = get_as(&app, &member, "/werkgroepen/obmi").await;
        assert!(
            html.contains("Je aanvraag om lid te worden wordt bekeken."),
            "{html}"
        );

        // The facilitator sees the request and refuses it, first without a reason.
        let (_, html) = get_as(&app, &staff, "/werkgroepen/obmi/leden").await;
        assert!(html.contains("Greet Gent"), "{html}");
        let request: String = sqlx::query_scalar("SELECT id FROM wg_memberships")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let page = format!("/werkgroepen/obmi/aanvragen/{request}");
        let (status, html) = get_as(&app, &staff, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Gent werkt aan OBMi."), "{html}");
        let (status, html) = post_as(
            &app,
            &staff,
            &page,
            &format!("{page}/weigeren"),
            &[("reason", "")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(
            html.contains("Geef een reden op; wie de aanvraag deed, krijgt ze te lezen."),
            "{html}"
        );
        assert_eq!(
            statuses(&w.db, &id, &w.gent_member.id).await,
            ["aangevraagd"]
        );
        let (status, _) = post_as(
            &app,
            &staff,
            &page,
            &format!("{page}/weigeren"),
            &[("reason", "Eerst de stuurgroep.")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(statuses(&w.db, &id, &w.gent_member.id).await, ["geweigerd"]);
        let (_, html) = get_as(&app, &member, "/werkgroepen/obmi").await;
        assert!(
            html.contains("Eerst de stuurgroep."),
            "the reason is shown: {html}"
        );

        // Asked again and approved.
        assert_eq!(ask(&app, &member, &w.gent, "Nu wel?").await, 303);
        let request: String =
            sqlx::query_scalar("SELECT id FROM wg_memberships WHERE status = 'aangevraagd'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        let page = format!("/werkgroepen/obmi/aanvragen/{request}");
        let (status, _) = post_as(
            &app,
            &staff,
            &page,
            &format!("{page}/goedkeuren"),
            &[("role", "lid")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            statuses(&w.db, &id, &w.gent_member.id).await,
            ["geweigerd", "actief"]
        );
        assert_access_list(&w.db, &id).await;
        let (_, html) = get_as(&app, &member, "/werkgroepen/obmi").await;
        assert!(
            html.contains("Je bent lid van deze werkgroep, als lid."),
            "{html}"
        );
        assert!(
            html.contains("Stad Gent") || html.contains("Gent"),
            "{html}"
        );

        // Leaving keeps the history.
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen/obmi",
            "/werkgroepen/obmi/verlaten",
            &[],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            statuses(&w.db, &id, &w.gent_member.id).await,
            ["geweigerd", "vertrokken"]
        );
        assert_access_list(&w.db, &id).await;
        let (status, html) = get_as(&app, &staff, "/werkgroepen/obmi/geschiedenis").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("vertrokken") && html.contains("geweigerd"),
            "{html}"
        );
        assert!(html.contains("Eerst de stuurgroep."), "{html}");
    })
    .await;
}

#[tokio::test]
async fn e_mail_addresses_are_for_members_facilitators_and_staff_only() {
    each_wg_app(|app, w| async move {
        let id = create_group(&w, "gdpr-publiek", "Werkgroep GDPR publiek", "publiek").await;
        let mut tx = w.db.begin().await.unwrap();
        steden_werkgroepen::store::joining::add(
            &mut tx,
            &id,
            &w.gent_member.id,
            Some(&w.gent),
            steden_werkgroepen::model::MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let email = w.gent_member.email.as_str();

        let html = app.page("/werkgroepen/gdpr-publiek/leden").await;
        assert!(html.contains("Greet Gent"), "names are public: {html}");
        assert!(!html.contains(email), "anonymous: {html}");
        let html = app.page("/werkgroepen/gdpr-publiek").await;
        assert!(!html.contains(email) && html.contains("Gent"), "{html}");

        for (who, sees) in [
            (&w.antwerpen_member, false),
            (&w.gent_reader, false),
            (&w.gent_member, true),
            (&w.staff, true),
        ] {
            let client = client_of(&app, who).await;
            let (status, html) = get_as(&app, &client, "/werkgroepen/gdpr-publiek/leden").await;
            assert_eq!(status, 200);
            assert_eq!(html.contains(email), sees, "{}: {html}", who.email);
        }
    })
    .await;
}

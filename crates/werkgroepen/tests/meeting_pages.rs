//! The meeting pages over HTTP (slice S4): a facilitator plans a meeting through the form,
//! which shows every error at once with "Fout:" in the title and writes nothing; members read
//! the meetings tab and a meeting's page (date in Dutch) but may not plan, move or cancel.

use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::joining;

use crate::common::{client_of, count, create_group, each_wg_app, get_as, post_as};

#[tokio::test]
async fn a_facilitator_plans_moves_and_cancels_a_meeting_through_the_forms() {
    each_wg_app(|app, w| async move {
        let group_id = create_group(&w, "vergadergroep", "Vergadergroep", "verborgen").await;
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
        let staff = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;
        let new = "/werkgroepen/vergadergroep/vergaderingen/nieuw";

        assert_eq!(get_as(&app, &staff, new).await.0, 200);
        assert_eq!(get_as(&app, &member, new).await.0, 403);

        // Every wrong field at once; nothing written.
        let (status, html) = post_as(
            &app,
            &staff,
            new,
            new,
            &[
                ("title", "Overleg"),
                ("local_date", "2055-02-30"),
                ("local_start", "16:00"),
                ("local_end", "14:00"),
                ("place", "Stadhuis"),
                ("online_url", ""),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(html.contains("Deze datum bestaat niet."), "{html}");
        assert!(html.contains("Het einde moet na het begin liggen."), "{html}");
        let (status, html) = post_as(
            &app,
            &staff,
            new,
            new,
            &[
                ("title", "Overleg"),
                ("local_date", "2055-03-28"),
                ("local_start", "02:30"),
                ("local_end", "04:00"),
                ("place", "Stadhuis"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Dit tijdstip bestaat niet in België: op 28/03/2055 gaat de klok van 02:00 naar 03:00."),
            "{html}"
        );
        let (status, html) = post_as(
            &app,
            &staff,
            new,
            new,
            &[
                ("title", "Overleg"),
                ("local_date", "2026-01-05"),
                ("local_start", "14:00"),
                ("local_end", "16:00"),
                ("place", "Stadhuis"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Deze datum ligt in het verleden."), "{html}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 0);

        // A member may not plan one either.
        let good = [
            ("title", "Overleg"),
            ("local_date", "2055-06-15"),
            ("local_start", "14:00"),
            ("local_end", "16:00"),
            ("place", "Stadhuis Gent"),
        ];
        let (status, _) = post_as(&app, &member, "/werkgroepen", new, &good).await;
        assert_eq!(status, 403);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 0);

        let (status, _) = post_as(&app, &staff, new, new, &good).await;
        assert_eq!(status, 303);
        let id: String = sqlx::query_scalar("SELECT id FROM wg_meetings")
            .fetch_one(w.db.pool())
            .await
            .unwrap();
        let page = format!("/werkgroepen/vergadergroep/vergaderingen/{id}");

        // The member reads the tab and the page, in Dutch.
        let (status, html) = get_as(&app, &member, "/werkgroepen/vergadergroep/vergaderingen").await;
        assert_eq!(status, 200);
        assert!(html.contains("dinsdag 15 juni 2055, 14:00–16:00"), "{html}");
        let (status, html) = get_as(&app, &member, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Gepland") && html.contains("Stadhuis Gent"), "{html}");
        assert!(!html.contains("Vergadering annuleren"), "{html}");
        let cancel = format!("{page}/annuleren");
        assert_eq!(
            post_as(&app, &member, &page, &cancel, &[("cancel_reason", "")])
                .await
                .0,
            403
        );

        // The facilitator moves it, then cancels it; it stays listed, marked cancelled.
        let moved = format!("{page}/verplaatsen");
        assert_eq!(get_as(&app, &staff, &moved).await.0, 200);
        let (status, _) = post_as(
            &app,
            &staff,
            &moved,
            &moved,
            &[
                ("title", "Overleg"),
                ("local_date", "2055-06-22"),
                ("local_start", "10:00"),
                ("local_end", "12:00"),
                ("place", "Stadhuis Gent"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let (status, _) =
            post_as(&app, &staff, &page, &cancel, &[("cancel_reason", "Ziekte")]).await;
        assert_eq!(status, 303);
        let (_, html) = get_as(&app, &member, "/werkgroepen/vergadergroep/vergaderingen").await;
        assert!(html.contains("dinsdag 22 juni 2055, 10:00–12:00"), "{html}");
        assert!(html.contains("Geannuleerd") && html.contains("Ziekte"), "{html}");
        assert_eq!(
            count(&w.db, "SELECT ical_sequence FROM wg_meetings").await,
            2
        );
        // Outsiders do not learn the hidden group has meetings.
        let other = client_of(&app, &w.antwerpen_member).await;
        assert_eq!(get_as(&app, &other, &page).await.0, 404);
    })
    .await;
}

#[tokio::test]
async fn a_facilitator_plans_a_series_from_the_groups_cadence() {
    each_wg_app(|app, w| async move {
        // create_group gives a six-weekly group.
        create_group(&w, "reeksgroep", "Reeksgroep", "publiek").await;
        let staff = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;
        let form = "/werkgroepen/reeksgroep/vergaderingen/reeks";
        let (status, html) = get_as(&app, &staff, form).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("Zeswekelijks") || html.contains("zeswekelijks"),
            "{html}"
        );
        assert_eq!(get_as(&app, &member, form).await.0, 403);

        let (status, html) = post_as(
            &app,
            &staff,
            form,
            form,
            &[
                ("title", "Overleg"),
                ("from", "2055-06-30"),
                ("to", "2055-01-04"),
                ("start", "16:00"),
                ("end", "14:00"),
                ("place", "Stadhuis"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("<title>Fout: "), "{html}");
        assert!(
            html.contains("De einddatum moet na de begindatum liggen."),
            "{html}"
        );
        assert!(
            html.contains("Het einde moet na het begin liggen."),
            "{html}"
        );
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 0);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_series").await, 0);

        let (status, _) = post_as(
            &app,
            &staff,
            form,
            form,
            &[
                ("title", "Overleg"),
                ("from", "2055-01-04"),
                ("to", "2055-06-30"),
                ("start", "14:00"),
                ("end", "16:00"),
                ("place", "Stadhuis"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        // 04/01, 15/02, 29/03, 10/05 and 21/06/2055: every 42 days.
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_meetings").await, 5);
        let (_, html) = get_as(&app, &staff, "/werkgroepen/reeksgroep/vergaderingen").await;
        assert!(
            html.contains("maandag 29 maart 2055, 14:00–16:00"),
            "{html}"
        );
    })
    .await;
}

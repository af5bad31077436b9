//! Who may open and change what (design §3.3), over HTTP: a hidden group is "not found" for
//! the anonymous, a reader and another city, and open for its members and staff; the settings,
//! the history and join requests are for facilitators and staff; asking to join needs the role
//! lid in a city; the new-group form is for staff. A refused write changes nothing.

use steden_werkgroepen::model::MemberRole;
use steden_werkgroepen::store::joining;

use crate::common::{client_of, count, create_group, each_wg_app, get_as, post_as};

#[tokio::test]
async fn pages_and_writes_follow_the_roles() {
    each_wg_app(|app, w| async move {
        let hidden = create_group(&w, "verborgen-groep", "Verborgen groep", "verborgen").await;
        create_group(&w, "open-groep", "Open groep", "publiek").await;
        let mut tx = w.db.begin().await.unwrap();
        joining::add(
            &mut tx,
            &hidden,
            &w.gent_member.id,
            Some(&w.gent),
            MemberRole::Lid,
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let anonymous = steden_testkit::TestApp::new_client();
        let reader = client_of(&app, &w.gent_reader).await;
        let other_city = client_of(&app, &w.antwerpen_member).await;
        let member = client_of(&app, &w.gent_member).await;
        let staff = client_of(&app, &w.staff).await;

        // The hidden group: not found for outsiders, open for its member and staff; the list
        // shows it only to them.
        for (client, expected) in [
            (&anonymous, 404),
            (&reader, 404),
            (&other_city, 404),
            (&member, 200),
            (&staff, 200),
        ] {
            for path in [
                "/werkgroepen/verborgen-groep",
                "/werkgroepen/verborgen-groep/leden",
            ] {
                assert_eq!(get_as(&app, client, path).await.0, expected, "{path}");
            }
            let (_, list) = get_as(&app, client, "/werkgroepen").await;
            assert_eq!(list.contains("Verborgen groep"), expected == 200);
        }

        // Pages of those who run a group: forbidden for a member, open for staff; the
        // anonymous visitor is sent to log in (for a public group).
        for path in [
            "/werkgroepen/open-groep/instellingen",
            "/werkgroepen/open-groep/geschiedenis",
            "/werkgroepen/verborgen-groep/instellingen",
        ] {
            assert_eq!(get_as(&app, &staff, path).await.0, 200, "{path}");
            assert_eq!(get_as(&app, &member, path).await.0, 403, "{path}");
            // A hidden group stays "not found" for the anonymous, rather than a login prompt
            // that would tell it exists.
            let anonymous_status = if path.contains("verborgen") { 404 } else { 303 };
            assert_eq!(
                get_as(&app, &anonymous, path).await.0,
                anonymous_status,
                "{path}"
            );
        }
        assert_eq!(
            get_as(&app, &other_city, "/werkgroepen/open-groep/instellingen")
                .await
                .0,
            403
        );
        // The new-group form: staff only.
        assert_eq!(
            get_as(&app, &staff, "/werkgroepen/beheer/nieuw").await.0,
            200
        );
        assert_eq!(
            get_as(&app, &member, "/werkgroepen/beheer/nieuw").await.0,
            403
        );
        assert_eq!(
            get_as(&app, &anonymous, "/werkgroepen/beheer/nieuw")
                .await
                .0,
            303
        );

        // A member cannot change the settings, nor create a group.
        let settings = [
            ("name", "Overgenomen"),
            ("kind", "werkgroep"),
            ("visibility", "publiek"),
            ("cadence", "maandelijks"),
            ("default_start", "14:00"),
            ("default_end", "16:00"),
            ("proposal_days", "10"),
            ("comment_days", "10"),
        ];
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen/verborgen-groep",
            "/werkgroepen/verborgen-groep/instellingen",
            &settings,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen",
            "/werkgroepen/beheer/nieuw",
            &[("slug", "eigen"), ("name", "Eigen groep")],
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_groups WHERE visibility = 'publiek'"
            )
            .await,
            1
        );

        // Asking to join: a lezer may not, nor anyone for a group they cannot see.
        assert_eq!(
            get_as(&app, &reader, "/werkgroepen/open-groep/lid-worden")
                .await
                .0,
            403
        );
        let (status, _) = post_as(
            &app,
            &reader,
            "/werkgroepen/open-groep",
            "/werkgroepen/open-groep/lid-worden",
            &[("organisation_id", &w.gent), ("motivation", "Mag ik?")],
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = post_as(
            &app,
            &other_city,
            "/werkgroepen/open-groep",
            "/werkgroepen/verborgen-groep/lid-worden",
            &[("organisation_id", &w.antwerpen), ("motivation", "Mag ik?")],
        )
        .await;
        assert_eq!(status, 404);
        // Asking for another city than one's own is refused as bad input.
        let (status, html) = post_as(
            &app,
            &other_city,
            "/werkgroepen/open-groep/lid-worden",
            "/werkgroepen/open-groep/lid-worden",
            &[
                ("organisation_id", &w.gent),
                ("motivation", "Voor Gent dan."),
            ],
        )
        .await;
        assert_eq!(status, 422, "{html}");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_memberships").await, 1);

        // Deciding on a request: facilitators and staff only.
        let (status, _) = post_as(
            &app,
            &other_city,
            "/werkgroepen/open-groep/lid-worden",
            "/werkgroepen/open-groep/lid-worden",
            &[
                ("organisation_id", &w.antwerpen),
                ("motivation", "Antwerpen doet mee."),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let request: String =
            sqlx::query_scalar("SELECT id FROM wg_memberships WHERE status = 'aangevraagd'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        let page = format!("/werkgroepen/open-groep/aanvragen/{request}");
        assert_eq!(get_as(&app, &member, &page).await.0, 403);
        let (status, _) = post_as(
            &app,
            &other_city,
            "/werkgroepen/open-groep",
            &format!("{page}/goedkeuren"),
            &[("role", "voorzitter")],
        )
        .await;
        assert_eq!(status, 403, "no approving one's own request");
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM wg_memberships WHERE status = 'aangevraagd'"
            )
            .await,
            1
        );
        // Leaving a group one is not in changes nothing.
        let (status, _) = post_as(
            &app,
            &reader,
            "/werkgroepen/open-groep",
            "/werkgroepen/open-groep/verlaten",
            &[],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM wg_memberships").await, 2);
    })
    .await;
}

//! The staff pages of issue 13 points 3 and 8, on both backends: agenda templates (list, make,
//! change, delete; a wrong part line is refused with a Dutch message and writes nothing), a
//! group's default template chosen on its settings page and used for a new meeting's agenda,
//! and the retention setting (1–120 months, a wrong value refused; audited; the daily job uses
//! it at once).

use std::collections::BTreeMap;

use steden_core::role::Role;
use steden_werkgroepen::store::agenda;
use steden_werkgroepen::store::registrations::{self, Registrant};
use steden_werkgroepen::store::retention::SETTING;

use crate::agenda::{agenda_group, plan};
use crate::common::{client_of, count, each_wg_app, get_as, person, post_as};
use crate::registrations::{create_event, event_fields};

const TEMPLATES: &str = "/werkgroepen/beheer/sjablonen";
const RETENTION: &str = "/werkgroepen/beheer/bewaartermijn";

#[tokio::test]
async fn staff_keep_agenda_templates_and_a_groups_default_starts_new_agendas() {
    each_wg_app(|app, w| async move {
        let (group_id, staff_standing, _, _) = agenda_group(&w).await;
        let staff = client_of(&app, &w.staff).await;
        let member = client_of(&app, &w.gent_member).await;

        // Members do not see the staff pages; the overview links them for staff.
        assert_eq!(get_as(&app, &member, TEMPLATES).await.0, 403);
        assert_eq!(get_as(&app, &member, RETENTION).await.0, 403);
        let (status, overview) = get_as(&app, &staff, "/werkgroepen/overzicht").await;
        assert_eq!(status, 200);
        assert!(overview.contains(TEMPLATES) && overview.contains(RETENTION));
        let (status, list) = get_as(&app, &staff, TEMPLATES).await;
        assert_eq!(status, 200);
        assert!(
            list.contains("Reflectiegroep Europa"),
            "the seeded template"
        );

        // A wrong line: the form again with the Dutch message, nothing written.
        let templates = "SELECT COUNT(*) FROM wg_agenda_templates";
        let new = format!("{TEMPLATES}/nieuw");
        let (status, html) = post_as(
            &app,
            &staff,
            &new,
            &new,
            &[
                ("name", "Werkgroep kort"),
                ("parts", "Opening | Welkom | 5\nNieuws | | veel"),
            ],
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("Onderdeel 2: geef de duur in minuten"),
            "{html}"
        );
        assert!(html.contains("Werkgroep kort"), "the typed name stays");
        assert_eq!(count(&w.db, templates).await, 1);
        // The same name as the seeded one: refused.
        let (status, html) = post_as(
            &app,
            &staff,
            &new,
            &new,
            &[("name", "Reflectiegroep Europa"), ("parts", "Iets")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Er is al een sjabloon met deze naam."));
        // A member may not post one.
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen",
            &new,
            &[("name", "X"), ("parts", "Y")],
        )
        .await;
        assert_eq!(status, 403);

        let (status, _) = post_as(
            &app,
            &staff,
            &new,
            &new,
            &[
                ("name", "Werkgroep kort"),
                (
                    "parts",
                    "Opening | Welkom | 5\n\nNieuws uit de steden || 30\nRondvraag",
                ),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let id: String =
            sqlx::query_scalar("SELECT id FROM wg_agenda_templates WHERE name = 'Werkgroep kort'")
                .fetch_one(w.db.pool())
                .await
                .unwrap();
        let found = agenda::templates(w.db.pool())
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap();
        assert_eq!(found.parts.len(), 3);
        assert_eq!(found.parts[1].title, "Nieuws uit de steden");
        assert_eq!(found.parts[1].duration_min, Some(30));

        // Edit: the form shows the parts one per line; a change is kept.
        let edit = format!("{TEMPLATES}/{id}");
        let (status, html) = get_as(&app, &staff, &edit).await;
        assert_eq!(status, 200);
        assert!(html.contains("Opening | Welkom | 5"), "{html}");
        let (status, _) = post_as(
            &app,
            &staff,
            &edit,
            &edit,
            &[
                ("name", "Werkgroep kort"),
                ("parts", "Opening | Welkom | 10\nRondvraag"),
            ],
        )
        .await;
        assert_eq!(status, 303);
        let found = agenda::templates(w.db.pool())
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.id == id)
            .unwrap();
        assert_eq!(found.parts.len(), 2);
        assert_eq!(found.parts[0].duration_min, Some(10));

        // The group's default, on its settings page: an unknown id is refused.
        let settings = "/werkgroepen/agendagroep/instellingen";
        let choose = format!("{settings}/sjabloon");
        let (status, html) = post_as(
            &app,
            &staff,
            settings,
            &choose,
            &[("agenda_template_id", "bestaat-niet")],
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Kies een van de sjablonen in de lijst."));
        assert_eq!(
            agenda::group_template(w.db.pool(), &group_id)
                .await
                .unwrap(),
            None
        );
        let (status, _) = post_as(
            &app,
            &member,
            "/werkgroepen",
            &choose,
            &[("agenda_template_id", id.as_str())],
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = post_as(
            &app,
            &staff,
            settings,
            &choose,
            &[("agenda_template_id", id.as_str())],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(
            agenda::group_template(w.db.pool(), &group_id)
                .await
                .unwrap()
                .as_deref(),
            Some(id.as_str())
        );
        let (_, html) = get_as(&app, &staff, settings).await;
        assert!(
            html.contains(&format!("<option value=\"{id}\" selected>")),
            "selected on the page"
        );

        // A new meeting's agenda starts with the template's parts, accepted, in order.
        let meeting = plan(&w, &staff_standing, &group_id, "2055-03-01").await;
        let items = agenda::items(w.db.pool(), &meeting).await.unwrap();
        let titles: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|i| (i.title.as_str(), i.status.as_str(), i.origin.as_str()))
            .collect();
        assert_eq!(
            titles,
            [
                ("Opening", "aanvaard", "sjabloon"),
                ("Rondvraag", "aanvaard", "sjabloon")
            ]
        );
        // The list names the group that uses it; deleting leaves the group without a default
        // and the agenda with its items.
        let (_, list) = get_as(&app, &staff, TEMPLATES).await;
        assert!(list.contains("Agendagroep"), "{list}");
        let (_, html) = get_as(&app, &staff, &edit).await;
        assert!(
            html.contains("Dit sjabloon is de standaard van: Agendagroep."),
            "{html}"
        );
        let delete = format!("{edit}/verwijderen");
        let (status, _) = post_as(&app, &member, "/werkgroepen", &delete, &[]).await;
        assert_eq!(status, 403);
        let (status, _) = post_as(&app, &staff, &edit, &delete, &[]).await;
        assert_eq!(status, 303);
        assert_eq!(count(&w.db, templates).await, 1);
        assert_eq!(
            agenda::group_template(w.db.pool(), &group_id)
                .await
                .unwrap(),
            None
        );
        assert_eq!(agenda::items(w.db.pool(), &meeting).await.unwrap().len(), 2);
        // Without a default, a new meeting starts with an empty agenda.
        let later = plan(&w, &staff_standing, &group_id, "2055-04-01").await;
        assert!(agenda::items(w.db.pool(), &later).await.unwrap().is_empty());
        assert_eq!(
            count(
                &w.db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'werkgroep_agendasjabloon'"
            )
            .await,
            3
        );
    })
    .await;
}

#[tokio::test]
async fn the_retention_setting_is_checked_audited_and_used_by_the_job() {
    each_wg_app(|app, w| async move {
        let manager = person(
            &w.db,
            "beheer@kenniscentrum.test",
            "Bea Beheer",
            &w.kenniscentrum,
            Role::Beheerder,
        )
        .await;
        let manager_client = client_of(&app, &manager).await;
        let staff = client_of(&app, &w.staff).await;

        // Staff read the page (what the job does, what certificates keep); only a manager changes it.
        let (status, html) = get_as(&app, &staff, RETENTION).await;
        assert_eq!(status, 200);
        assert!(html.contains("12 maanden"), "{html}");
        assert!(html.contains("attesten"), "{html}");
        assert!(html.contains("Alleen een beheerder"), "{html}");
        let (status, _) = post_as(&app, &staff, RETENTION, RETENTION, &[("months", "3")]).await;
        assert_eq!(status, 403);

        let setting = || async { steden_core::settings::get(&w.db, SETTING).await.unwrap() };
        for bad in ["0", "121", "twaalf", "", "1.5"] {
            let (status, html) = post_as(
                &app,
                &manager_client,
                RETENTION,
                RETENTION,
                &[("months", bad)],
            )
            .await;
            assert_eq!(status, 422, "{bad}");
            assert!(
                html.contains("Geef een geheel aantal maanden van 1 tot 120."),
                "{html}"
            );
            assert_eq!(setting().await, None, "nothing written for {bad:?}");
        }
        let audited = "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'werkgroepen_instelling'";
        assert_eq!(count(&w.db, audited).await, 0);

        // An event that ended 40 days ago with one registration that did not attend.
        let event = create_event(&w, &event_fields("bewaren", "5")).await;
        let fields = BTreeMap::from([
            ("name".to_string(), "Bert Boom".to_string()),
            ("email".to_string(), "bert@bewaren.be".to_string()),
            ("organisation_text".to_string(), "Stad Gent".to_string()),
            ("v1".to_string(), "vegetarisch".to_string()),
            ("v2".to_string(), "Stad".to_string()),
        ]);
        let mut tx = w.db.begin().await.unwrap();
        registrations::register(
            &mut tx,
            &event,
            &Registrant::Anonymous,
            &fields,
            "http://steden.test",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let now = steden_db::now_ms();
        let ended = now - 40 * 24 * 3_600_000;
        sqlx::query("UPDATE wg_events SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(ended - 3_600_000)
            .bind(ended)
            .bind(&event)
            .execute(w.db.pool())
            .await
            .unwrap();
        // With the default 12 months the job leaves it alone.
        assert_eq!(
            steden_werkgroepen::retention::run(&w.db, now)
                .await
                .unwrap(),
            0
        );

        let (status, _) = post_as(
            &app,
            &manager_client,
            RETENTION,
            RETENTION,
            &[("months", " 1 ")],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(setting().await.as_deref(), Some("1"));
        assert_eq!(count(&w.db, audited).await, 1);
        let (_, html) = get_as(&app, &manager_client, RETENTION).await;
        assert!(
            html.contains("1 maanden") || html.contains("value=\"1\""),
            "{html}"
        );
        // The next run uses the month: the absent registration is gone.
        assert_eq!(
            steden_werkgroepen::retention::run(&w.db, now)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_registrations").await,
            0
        );
    })
    .await;
}

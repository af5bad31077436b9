//! The sending page of a campaign (`/nieuwsbrief/beheer/campagnes/{id}/verzending`), on both
//! backends: for editors only, the progress with its htmx fragment and a reload link, and
//! pauzeren, hervatten, annuleren (after a question) with the CSRF token, audited; a button
//! that no longer fits the status is a Dutch message with 409, nothing changed.

use steden_core::role::Role;
use steden_db::now_ms;
use steden_nieuwsbrief::access;
use steden_nieuwsbrief::model::CampaignStatus;
use steden_nieuwsbrief::store::{campaigns, deliveries};
use steden_testkit::people::{self, login};

use crate::common::{count, each_nb_app, TestApp};
use crate::send::{scheduled_campaign, subscriber};

async fn status(app: &TestApp, id: &str) -> CampaignStatus {
    campaigns::get(app.db.pool(), id).await.unwrap().status
}

#[tokio::test]
async fn editors_follow_pause_resume_and_cancel_a_sending() {
    each_nb_app(|app| async move {
        let db = &app.db;
        steden_core::org::seed_defaults(db).await.unwrap();
        let kc = access::kenniscentrum_id(db).await.unwrap();
        let editor =
            people::person(db, "redactie@kc.test", "Reda Ctie", &kc, Role::Redacteur).await;
        for i in 0..3 {
            subscriber(
                db,
                &format!("r{i}@example.org"),
                "bevestigd",
                &[("nb-algemeen", "actief")],
            )
            .await;
        }
        let id = scheduled_campaign(db, &["algemeen"]).await;
        deliveries::start(db, &id, now_ms()).await.unwrap();
        deliveries::fill(db, &id, &["algemeen".into()])
            .await
            .unwrap();
        let page = format!("/nieuwsbrief/beheer/campagnes/{id}/verzending");

        // Not logged in: to the login page; no changes through a forged post either.
        let anonymous = app.get(&page).await;
        assert_eq!(anonymous.status(), 303);
        let lid = people::person(db, "lid@kc.test", "Lid", &kc, Role::Lid).await;
        let other = TestApp::new_client();
        people::login_with(&app, &other, &lid.email, &lid.password).await;
        let refused = other.get(app.url(&page)).send().await.unwrap();
        assert_eq!(refused.status(), 403);

        login(&app, &editor).await;
        let html = app.page(&page).await;
        assert!(html.contains("Verzending: Nieuwsbrief december"), "{html}");
        assert!(html.contains("Wordt verzonden"));
        assert!(html.contains(&format!("hx-get=\"{page}/voortgang\"")));
        assert!(html.contains(&format!("href=\"{page}\">Vernieuwen")));
        assert!(html.contains("Pauzeren") && !html.contains("Hervatten"));
        let fragment = app.page(&format!("{page}/voortgang")).await;
        assert!(fragment.contains("<dd>3</dd>"), "{fragment}");

        // Without the CSRF token nothing happens.
        let forged = app
            .client
            .post(app.url(&format!("{page}/pauzeren")))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(status(&app, &id).await, CampaignStatus::Bezig);

        let paused = app.post_form(&page, &format!("{page}/pauzeren"), &[]).await;
        assert_eq!(paused.status(), 303);
        assert_eq!(status(&app, &id).await, CampaignStatus::Gepauzeerd);
        let html = app.page(&page).await;
        assert!(html.contains("De verzending is gepauzeerd"), "{html}");
        assert!(html.contains("Hervatten") && !html.contains("Pauzeren</button>"));

        // A second pause (another editor's tab): 409 and a Dutch message, nothing changed.
        let again = app.post_form(&page, &format!("{page}/pauzeren"), &[]).await;
        assert_eq!(again.status(), 409);
        let text = again.text().await.unwrap();
        assert!(text.contains("kan dus niet gepauzeerd worden"), "{text}");

        let jobs_before = count(
            db,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'",
        )
        .await;
        let resumed = app
            .post_form(&page, &format!("{page}/hervatten"), &[])
            .await;
        assert_eq!(resumed.status(), 303);
        assert_eq!(status(&app, &id).await, CampaignStatus::Bezig);
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM jobs WHERE kind = 'nieuwsbrief.send'"
            )
            .await,
            jobs_before + 1,
            "resuming queues the job again"
        );

        let question = app.page(&format!("{page}/annuleren")).await;
        assert!(
            question.contains("Wil je de verzending van „Nieuwsbrief december” annuleren?"),
            "{question}"
        );
        let cancelled = app
            .post_form(
                &format!("{page}/annuleren"),
                &format!("{page}/annuleren"),
                &[],
            )
            .await;
        assert_eq!(cancelled.status(), 303);
        assert_eq!(status(&app, &id).await, CampaignStatus::Geannuleerd);
        let html = app.page(&page).await;
        assert!(html.contains("er valt niets te pauzeren"), "{html}");
        assert!(
            !html.contains("hx-get"),
            "a cancelled sending no longer polls"
        );
        assert_eq!(
            count(
                db,
                "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'nb_campaign'"
            )
            .await,
            3
        );
    })
    .await;
}

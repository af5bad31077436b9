//! Operations: liveness, readiness, Prometheus metrics.

use crate::probe;

use steden_testkit::{each_app, each_app_with};

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    each_app(|app| async move {
        let response = app.get("/healthz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");
    })
    .await;
}

#[tokio::test]
async fn readyz_follows_the_database() {
    each_app(|app| async move {
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "ok");

        app.db.close().await;
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), 503);
        let body = response.text().await.unwrap();
        assert!(body.contains("databank"), "{body}");
        // Liveness does not depend on the database.
        assert_eq!(app.get("/healthz").await.status(), 200);
    })
    .await;
}

/// The value of the first sample line that starts with `prefix` and contains every label.
fn sample(metrics: &str, prefix: &str, labels: &[&str]) -> Option<f64> {
    metrics
        .lines()
        .filter(|line| line.starts_with(prefix))
        .find(|line| labels.iter().all(|label| line.contains(label)))
        .and_then(|line| line.rsplit(' ').next())
        .and_then(|value| value.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    each_app_with(probe::modules, |app| async move {
        for id in ["a1", "b2", "c3"] {
            assert_eq!(app.get(&format!("/proef/item/{id}")).await.status(), 200);
        }
        assert_eq!(app.get("/bestaat-niet-42").await.status(), 404);
        let metrics = app.page("/metrics").await;
        let count = sample(
            &metrics,
            "http_requests_total{",
            &[
                r#"route="/proef/item/{id}""#,
                r#"status="200""#,
                r#"method="GET""#,
            ],
        )
        .unwrap_or_else(|| panic!("no counter for the route: {metrics}"));
        // Tests share one process-wide recorder, so other tests may have added to it.
        assert!(count >= 3.0, "{count}");
        assert!(
            !metrics.contains("/proef/item/a1"),
            "raw paths leak into labels"
        );
        assert!(
            !metrics.contains("bestaat-niet-42"),
            "raw paths leak into labels"
        );
        assert!(
            sample(
                &metrics,
                "http_requests_total{",
                &[r#"route="unmatched""#, r#"status="404""#]
            )
            .is_some(),
            "{metrics}"
        );
        assert!(
            metrics.contains("http_request_duration_seconds_bucket{"),
            "{metrics}"
        );
        assert!(metrics.contains(r#"le="0.005""#), "{metrics}");
    })
    .await;
}

#[tokio::test]
async fn metrics_show_the_job_queue_depth() {
    each_app(|app| async move {
        steden_db::jobs::enqueue(
            &app.db,
            steden_db::jobs::NewJob::new("proef", serde_json::json!({})),
        )
        .await
        .unwrap();
        let metrics = app.page("/metrics").await;
        assert!(
            metrics.contains("# TYPE job_queue_depth gauge"),
            "{metrics}"
        );
        // A worker may already have picked the job up; it is in the queue in some status.
        let total: f64 = ["queued", "running", "done", "dead", "cancelled"]
            .iter()
            .map(|status| {
                sample(
                    &metrics,
                    "job_queue_depth{",
                    &[&format!("status=\"{status}\"")],
                )
                .unwrap_or_else(|| panic!("no gauge for {status}: {metrics}"))
            })
            .sum();
        assert_eq!(total, 1.0, "{metrics}");
    })
    .await;
}

#[tokio::test]
async fn serve_finishes_requests_in_flight_then_stops() {
    use std::time::Duration;

    use axum::routing::get;

    let router = axum::Router::new().route(
        "/traag",
        get(|| async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            "klaar"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/traag", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(steden_web::ops::serve(listener, router, async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let in_flight = tokio::spawn({
        let client = client.clone();
        let url = url.clone();
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();

    // The request that was running when the signal came is answered...
    assert_eq!(in_flight.await.unwrap(), "klaar");
    // ...and then the server stops.
    tokio::time::timeout(Duration::from_secs(5), server)
        .await
        .expect("the server stops after the signal")
        .unwrap()
        .unwrap();
    assert!(
        client.get(&url).send().await.is_err(),
        "no longer listening"
    );
}

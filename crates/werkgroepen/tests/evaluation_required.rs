//! Required evaluation questions (`*` at the end of a line, as registration questions), on both
//! backends: the set-up keeps the mark, an empty required answer is refused with a Dutch
//! message naming the question and stores nothing, an optional one may stay empty.

use std::collections::BTreeMap;

use steden_core::CoreError;
use steden_werkgroepen::store::evaluations;
use steden_werkgroepen::store::registrations::{self, Registrant};

use crate::common::{count, each_wg_db};
use crate::registrations::{create_event, event_fields};

#[tokio::test]
async fn a_required_evaluation_question_must_be_answered() {
    each_wg_db(|w| async move {
        let event = create_event(&w, &event_fields("evaluatie-verplicht", "10")).await;
        let fields = BTreeMap::from([
            ("name".to_string(), "Anna Aalst".to_string()),
            ("email".to_string(), "anna@aalst.be".to_string()),
            ("v2".to_string(), "Stad".to_string()),
        ]);
        let mut tx = w.db.begin().await.unwrap();
        let registration = registrations::register(
            &mut tx,
            &event,
            &Registrant::Anonymous,
            &fields,
            "http://steden.test",
        )
        .await
        .unwrap()
        .id;
        evaluations::set_questions(
            &mut tx,
            &event,
            "Hoe tevreden ben je? *\nopen: Wat kan beter?\nopen: Wat nam je mee?*",
            &w.staff.audit(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let questions = evaluations::questions(w.db.pool(), &event).await.unwrap();
        let required: Vec<(&str, bool)> = questions
            .iter()
            .map(|q| (q.text.as_str(), q.required))
            .collect();
        assert_eq!(
            required,
            vec![
                ("Hoe tevreden ben je?", true),
                ("Wat kan beter?", false),
                ("Wat nam je mee?", true)
            ]
        );
        assert_eq!(
            evaluations::question_lines(&questions),
            "Hoe tevreden ben je? *\nopen: Wat kan beter?\nopen: Wat nam je mee? *"
        );
        let key = |i: usize| format!("q_{}", questions[i].id);

        // The scale answered, the required open question left blank.
        let mut tx = w.db.begin().await.unwrap();
        let answers = BTreeMap::from([(key(0), "4".to_string()), (key(2), "  ".to_string())]);
        let error = evaluations::submit(&mut tx, &event, &registration, &answers)
            .await
            .unwrap_err();
        drop(tx);
        match error {
            CoreError::Invalid(errors) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].field, key(2));
                assert_eq!(errors[0].message, "Beantwoord de vraag 'Wat nam je mee?'.");
            }
            other => panic!("expected a form error, got {other:?}"),
        }
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_eval_responses").await,
            0
        );

        // Both required ones answered, the optional one left empty: stored.
        let mut tx = w.db.begin().await.unwrap();
        let answers = BTreeMap::from([
            (key(0), "4".to_string()),
            (key(2), "Veel voorbeelden".to_string()),
        ]);
        evaluations::submit(&mut tx, &event, &registration, &answers)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            count(&w.db, "SELECT COUNT(*) FROM wg_eval_answers").await,
            2
        );
    })
    .await;
}

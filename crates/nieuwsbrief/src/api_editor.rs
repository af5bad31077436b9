//! What the editors' operations of the API share (`api_subscribers`, `api_campaigns`): the
//! check that the token belongs to an editor of the Kenniscentrum, times as RFC 3339, a 400 on
//! one query parameter, and the schema of a language.

use steden_core::audit::AuditActor;
use steden_core::policy::Actor;
use steden_web::api::{ApiActor, ApiError, ApiResult, FieldProblem};
use steden_web::AppState;

use crate::access;
use crate::model::Language;
use crate::store::admin_writes::Editor;

/// The caller of an editors' operation: an editor of the Kenniscentrum (else 403), as the
/// store's writes take them.
pub(crate) struct ApiEditor {
    pub actor: Actor,
    pub audit: AuditActor,
    pub kenniscentrum_id: String,
}

impl ApiEditor {
    pub(crate) async fn of(client: &ApiActor, state: &AppState) -> ApiResult<ApiEditor> {
        let kenniscentrum_id = access::kenniscentrum_id(state.db()).await?;
        if !access::is_editor(&client.actor, &kenniscentrum_id) {
            return Err(ApiError::Forbidden(
                "Dit is er voor de redactie van het Kenniscentrum (rol redacteur of hoger).".into(),
            ));
        }
        Ok(ApiEditor {
            audit: client.actor.audit_actor(),
            actor: client.actor.clone(),
            kenniscentrum_id,
        })
    }

    pub(crate) fn editor(&self) -> Editor<'_> {
        Editor {
            actor: &self.actor,
            audit: &self.audit,
            kenniscentrum_id: &self.kenniscentrum_id,
        }
    }
}

/// The languages of a subscriber, for the OpenAPI document.
pub struct LanguageName;
steden_web::string_enum!(LanguageName, Language::ALL.iter().map(|l| l.as_str()));

/// Milliseconds (UTC) as RFC 3339.
pub(crate) fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A 400 on one query parameter.
pub(crate) fn bad_param(field: &str, message: &str) -> ApiError {
    ApiError::BadRequest(
        "Eén of meer queryparameters zijn ongeldig.".into(),
        vec![FieldProblem {
            field: field.into(),
            message: message.into(),
        }],
    )
}

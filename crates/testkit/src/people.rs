//! People with a role in an organisation, as every module's tests need them: created through
//! the core (user and membership, audited as the system), with a password to log in with and
//! the [`Actor`] that store functions and access rules take.

use steden_core::audit::AuditActor;
use steden_core::membership;
use steden_core::policy::{Actor, OrgRole, UserActor};
use steden_core::role::Role;
use steden_core::user::{self, NewUser};
use steden_db::Db;

use crate::TestApp;

/// The password of every person made by [`person`].
pub const PASSWORD: &str = "een lang genoeg wachtwoord";

/// A person with a role in one organisation.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password: String,
    pub actor: Actor,
}

impl Person {
    /// The person as the author of an audited change.
    pub fn audit(&self) -> AuditActor {
        AuditActor::user(&self.id)
    }
}

/// Creates a user with [`PASSWORD`] and `role` in the organisation `org_id`.
pub async fn person(db: &Db, email: &str, name: &str, org_id: &str, role: Role) -> Person {
    let mut tx = db.begin().await.unwrap();
    let user = user::create(
        &mut tx,
        NewUser {
            email,
            name,
            password: Some(PASSWORD),
            platform_admin: false,
        },
        &AuditActor::system(),
    )
    .await
    .unwrap();
    membership::set_role(&mut tx, &user.id, org_id, role, &AuditActor::system())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Person {
        actor: Actor::User(UserActor {
            user_id: user.id.clone(),
            platform_admin: false,
            memberships: vec![OrgRole {
                organisation_id: org_id.to_string(),
                role,
            }],
        }),
        id: user.id,
        email: email.to_string(),
        name: name.to_string(),
        password: PASSWORD.to_string(),
    }
}

/// Logs `person` in with the app's own client (its cookie jar keeps the session).
pub async fn login(app: &TestApp, person: &Person) {
    let response = app
        .post_form(
            "/aanmelden",
            "/aanmelden",
            &[("email", &person.email), ("password", &person.password)],
        )
        .await;
    assert_eq!(response.status(), 303, "login of {}", person.email);
}

/// Logs `email` in with `client`, another browser than the app's own client: the login form's
/// CSRF token, then the form, in that client's cookie jar.
pub async fn login_with(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) {
    let form = client.get(app.url("/aanmelden")).send().await.unwrap();
    let token =
        crate::csrf_token(&form.text().await.unwrap()).expect("a CSRF token on the login form");
    let response = client
        .post(app.url("/aanmelden"))
        .form(&[
            ("_csrf", token.as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "login of {email}");
}

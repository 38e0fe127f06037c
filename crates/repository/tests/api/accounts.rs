//! `UserRepository`: create, read by id and e-mail, list, update; conflicts and unknown pharmacies.

use pharmarec_domain::ports::{PharmacyRepository, UserRepository};
use pharmarec_domain::{
    AuditContext, DomainError, Email, NewPharmacy, NewUser, PageRequest, Pharmacy, PharmacyId,
    Role, UserId,
};

use crate::helpers::test_ctx;
use crate::helpers::{self, TestDb};

/// The bcrypt-looking hash every test user gets; audit tests search for it.
pub(crate) const PASSWORD_HASH: &str =
    "$2b$12$abcdefghijklmnopqrstuuSECRETHASHxyz0123456789ABCDEFGH";

pub(crate) fn email(text: &str) -> Email {
    text.parse().unwrap()
}

pub(crate) fn new_user(address: &str, role: Role, pharmacies: Vec<PharmacyId>) -> NewUser {
    NewUser {
        email: email(address),
        role,
        password_hash: PASSWORD_HASH.to_string(),
        pharmacies,
    }
}

pub(crate) async fn pharmacy(db: &pharmarec_repository::Database, name: &str) -> Pharmacy {
    PharmacyRepository::create(
        db,
        NewPharmacy {
            name: name.into(),
            address: None,
        },
        &test_ctx(),
    )
    .await
    .unwrap()
}

/// Migrated databases, each with two pharmacies.
async fn with_pharmacies() -> Vec<(TestDb, Pharmacy, Pharmacy)> {
    let mut all = Vec::new();
    for t in helpers::databases() {
        let (a, b) = (pharmacy(&t.db, "A").await, pharmacy(&t.db, "B").await);
        all.push((t, a, b));
    }
    all
}

#[tokio::test]
async fn users_are_created_read_by_id_and_email_listed_and_updated() {
    for (t, a, b) in with_pharmacies().await {
        let db = &t.db;
        let ctx = AuditContext::cli();
        let pharmacist = db
            .create_user(
                new_user("Zoe@Example.org", Role::Pharmacist, vec![b.id, a.id, b.id]),
                &ctx,
            )
            .await
            .unwrap();
        let mut both = vec![a.id, b.id];
        both.sort();
        assert_eq!(pharmacist.email.as_str(), "zoe@example.org", "{}", t.name);
        assert_eq!(
            pharmacist.pharmacies, both,
            "{}: distinct and sorted",
            t.name
        );
        assert_eq!(pharmacist.password_hash, PASSWORD_HASH);
        assert_eq!(
            db.user(pharmacist.id).await.unwrap(),
            pharmacist,
            "{}",
            t.name
        );
        assert_eq!(
            db.user_by_email(&email(" ZOE@example.ORG")).await.unwrap(),
            Some(pharmacist.clone())
        );
        assert_eq!(
            db.user_by_email(&email("nobody@example.org"))
                .await
                .unwrap(),
            None
        );

        let admin = db
            .create_user(new_user("ada@example.org", Role::Admin, vec![]), &ctx)
            .await
            .unwrap();
        let first = db.users(PageRequest::new(1, 1).unwrap()).await.unwrap();
        assert_eq!(
            (first.items, first.total_items),
            (vec![admin], 2),
            "{}",
            t.name
        );

        let updated = db
            .update_user(pharmacist.id, Role::Viewer, vec![a.id], &ctx)
            .await
            .unwrap();
        assert_eq!(
            (updated.role, updated.pharmacies.clone()),
            (Role::Viewer, vec![a.id])
        );
        assert_eq!(updated.created_at, pharmacist.created_at);
        assert_eq!(db.user(pharmacist.id).await.unwrap(), updated, "{}", t.name);
        let second = db.users(PageRequest::new(2, 1).unwrap()).await.unwrap();
        assert_eq!(second.items, vec![updated], "{}", t.name);
    }
}

#[tokio::test]
async fn duplicate_email_conflicts_and_unknown_users_or_pharmacies_are_refused() {
    for (t, a, _) in with_pharmacies().await {
        let db = &t.db;
        let ctx = AuditContext::cli();
        let user = db
            .create_user(new_user("ada@example.org", Role::Viewer, vec![]), &ctx)
            .await
            .unwrap();
        let duplicate = db
            .create_user(new_user("ADA@example.org", Role::Admin, vec![]), &ctx)
            .await
            .unwrap_err();
        assert!(
            matches!(
                duplicate,
                DomainError::Conflict {
                    entity: pharmarec_domain::Entity::User,
                    ..
                }
            ),
            "{}: {duplicate:?}",
            t.name
        );

        let ghost = PharmacyId::new();
        let unknown = db
            .create_user(
                new_user("bob@example.org", Role::Pharmacist, vec![a.id, ghost]),
                &ctx,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(&unknown, DomainError::Invalid { reason, .. } if reason.contains(&ghost.to_string())),
            "{}: {unknown:?}",
            t.name
        );
        assert_eq!(
            db.user_by_email(&email("bob@example.org")).await.unwrap(),
            None
        );

        let refused = db
            .update_user(user.id, Role::Pharmacist, vec![ghost], &ctx)
            .await
            .unwrap_err();
        assert!(
            matches!(refused, DomainError::Invalid { .. }),
            "{refused:?}"
        );
        assert_eq!(
            db.user(user.id).await.unwrap(),
            user,
            "{}: unchanged",
            t.name
        );

        let missing = db.user(UserId::new()).await.unwrap_err();
        assert!(matches!(
            missing,
            DomainError::NotFound {
                entity: pharmarec_domain::Entity::User,
                ..
            }
        ));
        let missing = db
            .update_user(UserId::new(), Role::Admin, vec![], &ctx)
            .await
            .unwrap_err();
        assert!(matches!(
            missing,
            DomainError::NotFound {
                entity: pharmarec_domain::Entity::User,
                ..
            }
        ));
    }
}

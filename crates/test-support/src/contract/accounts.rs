//! Clauses of the pharmacy and user ports.

use pharmarec_domain::{ConflictKind, Entity, NewUser, PharmacyId, Role, UserId};

use super::{Subject, assert_conflict, assert_not_found, ctx};

/// A pharmacy reads back as created; an unknown one is not found.
pub async fn pharmacies(s: &Subject) {
    let created = s.pharmacy().await;
    assert_eq!(s.pharmacies.get(created.id).await.unwrap(), created);
    let unknown = s.pharmacies.get(PharmacyId::new()).await;
    assert_not_found(s, unknown, Entity::Pharmacy);
}

fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.parse().unwrap(),
        role,
        password_hash: "$2b$04$synthetic-contract-hash".into(),
        pharmacies: Vec::new(),
    }
}

/// E-mails are unique; the last enabled administrator stays one.
pub async fn users(s: &Subject) {
    let c = ctx();
    let users = &s.users;
    let admin = users.create_user(new_user("admin@contract.test", Role::Admin), &c);
    let admin = admin.await.unwrap();
    let taken = users.create_user(new_user("admin@contract.test", Role::Viewer), &c);
    assert_conflict(s, taken.await, ConflictKind::Duplicate, Entity::User);

    let demoted = users.update_user(admin.id, Role::Viewer, Vec::new(), &c);
    assert_conflict(s, demoted.await, ConflictKind::LastAdmin, Entity::User);
    let disabled = users.disable_user(admin.id, &c).await;
    assert_conflict(s, disabled, ConflictKind::LastAdmin, Entity::User);
    assert!(
        users.user(admin.id).await.unwrap().is_enabled(),
        "{}",
        s.name
    );

    let unknown = users.update_user(UserId::new(), Role::Viewer, Vec::new(), &c);
    assert_not_found(s, unknown.await, Entity::User);
    assert_not_found(s, users.disable_user(UserId::new(), &c).await, Entity::User);
}

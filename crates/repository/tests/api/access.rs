//! Changes of rights: the last enabled administrator stays, also under concurrent demotions, and a
//! change revokes the user's refresh tokens in its own transaction (issue 10).

use chrono::{Duration, Utc};
use pharmarec_domain::ports::{RefreshTokenStore, UserRepository};
use pharmarec_domain::{AuditContext, DomainError, RefreshTokenRecord, Role, User, UserId};
use pharmarec_repository::Database;

use crate::accounts::new_user;
use crate::helpers::{self, test_ctx};

fn live_token(hash: &str, user: UserId) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: hash.to_string(),
        family_id: uuid::Uuid::new_v4(),
        user_id: user,
        expires_at: Utc::now().naive_utc() + Duration::hours(1),
        used_at: None,
        revoked_at: None,
    }
}

/// The only two admins of a fresh database.
async fn two_admins(db: &Database, ctx: &AuditContext) -> (User, User) {
    let first = db
        .create_user(new_user("a@example.org", Role::Admin, vec![]), ctx)
        .await
        .unwrap();
    let second = db
        .create_user(new_user("b@example.org", Role::Admin, vec![]), ctx)
        .await
        .unwrap();
    (first, second)
}

#[tokio::test]
async fn two_concurrent_demotions_of_the_last_two_admins_leave_one_admin() {
    for t in helpers::databases() {
        let db = &t.db;
        let ctx = test_ctx();
        let (first, second) = two_admins(db, &ctx).await;

        let (one, other) = tokio::join!(
            db.update_user(first.id, Role::Viewer, vec![], &ctx),
            db.update_user(second.id, Role::Viewer, vec![], &ctx),
        );

        assert_eq!(
            usize::from(one.is_ok()) + usize::from(other.is_ok()),
            1,
            "{}: {one:?} / {other:?}",
            t.name
        );
        let refused = one.err().or(other.err()).unwrap();
        assert!(
            matches!(refused, DomainError::Conflict { .. }),
            "{refused:?}"
        );
        let admins = [
            db.user(first.id).await.unwrap().role,
            db.user(second.id).await.unwrap().role,
        ];
        assert_eq!(
            admins.iter().filter(|r| **r == Role::Admin).count(),
            1,
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn the_last_enabled_admin_cannot_be_disabled_but_another_admin_can() {
    for t in helpers::databases() {
        let db = &t.db;
        let ctx = test_ctx();
        let (first, second) = two_admins(db, &ctx).await;

        let disabled = db.disable_user(second.id, &ctx).await.unwrap();
        let refused = db.disable_user(first.id, &ctx).await.unwrap_err();
        let demotion = db
            .update_user(first.id, Role::Pharmacist, vec![], &ctx)
            .await
            .unwrap_err();

        assert!(disabled.disabled_at.is_some());
        assert!(
            matches!(refused, DomainError::Conflict { .. }),
            "{refused:?}"
        );
        assert!(
            matches!(demotion, DomainError::Conflict { .. }),
            "{demotion:?}"
        );
        assert!(db.user(first.id).await.unwrap().is_enabled(), "{}", t.name);
    }
}

#[tokio::test]
async fn a_change_of_rights_revokes_the_users_refresh_tokens_and_no_one_elses() {
    for t in helpers::databases() {
        let db = &t.db;
        let ctx = test_ctx();
        let pat = db
            .create_user(new_user("pat@example.org", Role::Pharmacist, vec![]), &ctx)
            .await
            .unwrap();
        let kim = db
            .create_user(new_user("kim@example.org", Role::Pharmacist, vec![]), &ctx)
            .await
            .unwrap();
        for (hash, user) in [("pat-1", pat.id), ("pat-2", pat.id), ("kim-1", kim.id)] {
            db.insert_refresh_token(live_token(hash, user))
                .await
                .unwrap();
        }

        db.update_user(pat.id, Role::Pharmacist, vec![], &ctx)
            .await
            .unwrap();
        let unchanged = db.consume_refresh_token("pat-1").await.unwrap().unwrap();
        db.update_user(pat.id, Role::Viewer, vec![], &ctx)
            .await
            .unwrap();
        let demoted = db.consume_refresh_token("pat-2").await.unwrap().unwrap();
        db.disable_user(kim.id, &ctx).await.unwrap();
        let disabled = db.consume_refresh_token("kim-1").await.unwrap().unwrap();

        assert!(unchanged.revoked_at.is_none(), "no change, no revocation");
        assert!(demoted.revoked_at.is_some(), "{}", t.name);
        assert!(disabled.revoked_at.is_some(), "{}", t.name);
    }
}

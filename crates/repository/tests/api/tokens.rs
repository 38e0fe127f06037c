//! `RefreshTokenStore`: insert, consume at most once (also concurrently), revoke a family.

use std::sync::Arc;

use chrono::{Duration, SubsecRound, Utc};
use pharmarec_domain::ports::{RefreshTokenStore, UserRepository};
use pharmarec_domain::{AuditContext, RefreshTokenRecord, Role, User};
use uuid::Uuid;

use crate::accounts::new_user;
use crate::helpers::{self, TestDb};

async fn with_user() -> Vec<(TestDb, User)> {
    let mut all = Vec::new();
    for t in helpers::databases() {
        let user =
            t.db.create_user(
                new_user("ada@example.org", Role::Viewer, vec![]),
                &AuditContext::cli(),
            )
            .await
            .unwrap();
        all.push((t, user));
    }
    all
}

fn token(user: &User, hash: &str, family: Uuid) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: hash.to_string(),
        family_id: family,
        user_id: user.id,
        expires_at: (Utc::now() + Duration::days(14))
            .naive_utc()
            .trunc_subsecs(6),
        used_at: None,
        revoked_at: None,
    }
}

#[tokio::test]
async fn a_token_is_consumed_once_and_a_second_exchange_sees_it_spent() {
    for (t, user) in with_user().await {
        let db = &t.db;
        let issued = token(&user, "aa11", Uuid::new_v4());
        db.insert_refresh_token(issued.clone()).await.unwrap();

        let first = db.consume_refresh_token("aa11").await.unwrap();
        assert_eq!(first, Some(issued.clone()), "{}: as it was before", t.name);
        let second = db.consume_refresh_token("aa11").await.unwrap().unwrap();
        assert!(second.used_at.is_some(), "{}: reuse is visible", t.name);
        assert_eq!(
            (second.revoked_at, second.expires_at, second.family_id),
            (None, issued.expires_at, issued.family_id)
        );
        assert_eq!(db.consume_refresh_token("unknown").await.unwrap(), None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_exchanges_of_one_token_let_exactly_one_win() {
    for (t, user) in with_user().await {
        let db = Arc::new(t.db.clone());
        db.insert_refresh_token(token(&user, "bb22", Uuid::new_v4()))
            .await
            .unwrap();
        let tasks: Vec<_> = (0..10)
            .map(|_| {
                let db = Arc::clone(&db);
                tokio::spawn(async move { db.consume_refresh_token("bb22").await })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            let record = task.await.unwrap().unwrap().unwrap();
            if record.used_at.is_none() {
                won += 1;
            }
        }
        assert_eq!(won, 1, "{}", t.name);
    }
}

#[tokio::test]
async fn revoking_a_family_revokes_all_its_tokens_and_no_other() {
    for (t, user) in with_user().await {
        let db = &t.db;
        let (family, other) = (Uuid::new_v4(), Uuid::new_v4());
        for (hash, in_family) in [("cc01", family), ("cc02", family), ("dd01", other)] {
            db.insert_refresh_token(token(&user, hash, in_family))
                .await
                .unwrap();
        }
        db.consume_refresh_token("cc01").await.unwrap();

        db.revoke_refresh_family(family).await.unwrap();
        for hash in ["cc01", "cc02"] {
            let revoked = db.consume_refresh_token(hash).await.unwrap().unwrap();
            assert!(revoked.revoked_at.is_some(), "{}: {hash}", t.name);
        }
        let unused = db.consume_refresh_token("cc02").await.unwrap().unwrap();
        assert_eq!(
            unused.used_at, None,
            "{}: a revoked token is never spent",
            t.name
        );
        let live = db.consume_refresh_token("dd01").await.unwrap().unwrap();
        assert_eq!((live.used_at, live.revoked_at), (None, None), "{}", t.name);
    }
}

use std::collections::HashMap;

use secrecy::ExposeSecret;

use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

fn empty_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn built_in_defaults_load_without_any_file() {
    let dir = empty_dir();
    let s = Settings::load(Some(dir.path()), &env(&[]), &Overrides::default()).unwrap();
    assert_eq!(s.environment, Environment::Local);
    assert_eq!(s.database.url.expose_secret(), "sqlite://pharmarec.db");
    assert_eq!(s.server.bind.port(), 8080);
    assert!(s.redis.url.is_none());
}

#[test]
fn precedence_is_cli_then_prefixed_then_conventional_then_files() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("base.toml"),
        "[database]\nurl = \"sqlite://from-file.db\"\n",
    )
    .unwrap();
    let load = |vars: &[(&str, &str)], cli: Option<&str>| {
        let overrides = Overrides {
            database_url: cli.map(str::to_string),
            ..Overrides::default()
        };
        let s = Settings::load(Some(dir.path()), &env(vars), &overrides).unwrap();
        s.database.url.expose_secret().to_string()
    };
    assert_eq!(load(&[], None), "sqlite://from-file.db");
    assert_eq!(
        load(&[("DATABASE_URL", "sqlite://conventional.db")], None),
        "sqlite://conventional.db"
    );
    let both = [
        ("DATABASE_URL", "sqlite://conventional.db"),
        ("PHARMAREC_DATABASE__URL", "sqlite://prefixed.db"),
    ];
    assert_eq!(load(&both, None), "sqlite://prefixed.db");
    assert_eq!(load(&both, Some("sqlite://cli.db")), "sqlite://cli.db");
}

#[test]
fn environment_file_overrides_base() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("production.toml"),
        "[server]\nworkers = 3\n",
    )
    .unwrap();
    let key = "k".repeat(32);
    let s = Settings::load(
        Some(dir.path()),
        &env(&[
            ("PHARMAREC_ENVIRONMENT", "production"),
            ("PHARMAREC_AUTH__JWT_SECRET", key.as_str()),
        ]),
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(s.environment, Environment::Production);
    assert_eq!(s.server.workers, 3);
}

#[test]
fn list_and_number_variables_are_parsed() {
    let dir = empty_dir();
    let vars = [
        (
            "PHARMAREC_HTTP__CORS_ALLOWED_ORIGINS",
            "https://a.example,https://b.example",
        ),
        ("PHARMAREC_DATABASE__POOL_MAX_SIZE", "3"),
        ("REDIS_URL", "redis://127.0.0.1:6379"),
    ];
    let s = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap();
    assert_eq!(
        s.http.cors_allowed_origins,
        ["https://a.example", "https://b.example"]
    );
    assert_eq!(s.database.pool_max_size, 3);
    assert!(s.redis.url.is_some());
}

#[test]
fn invalid_values_are_errors_not_panics() {
    let dir = empty_dir();
    let cases: [&[(&str, &str)]; 5] = [
        &[("PHARMAREC_ENVIRONMENT", "staging")],
        &[("PHARMAREC_SERVER__BIND", "not an address")],
        &[("PHARMAREC_DATABASE__URL", "mysql://x")],
        &[("PHARMAREC_DATABASE__POOL_MAX_SIZE", "0")],
        &[("PHARMAREC_HTTP__MAX_BODY_BYTES", "-5")],
    ];
    for vars in cases {
        assert!(
            Settings::load(Some(dir.path()), &env(vars), &Overrides::default()).is_err(),
            "{vars:?} accepted"
        );
    }
}

#[test]
fn unknown_key_in_a_file_is_rejected() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("base.toml"),
        "[server]\nbnid = \"127.0.0.1:1\"\n",
    )
    .unwrap();
    let error = Settings::load(Some(dir.path()), &env(&[]), &Overrides::default()).unwrap_err();
    assert!(error.to_string().contains("bnid"), "{error}");
}

#[test]
fn debug_output_never_shows_the_database_password() {
    let dir = empty_dir();
    let vars = [("DATABASE_URL", "postgres://app:hunter2@db/pharmarec")];
    let s = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap();
    assert!(!format!("{s:?}").contains("hunter2"));
}

#[test]
fn error_for_a_bad_url_does_not_echo_it() {
    let dir = empty_dir();
    let vars = [("DATABASE_URL", "mysql://app:hunter2@db/x")];
    let error = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap_err();
    assert!(!error.to_string().contains("hunter2"));
}

#[test]
fn production_refuses_to_start_without_a_signing_key() {
    let dir = empty_dir();
    let production = [("PHARMAREC_ENVIRONMENT", "production")];
    let error =
        Settings::load(Some(dir.path()), &env(&production), &Overrides::default()).unwrap_err();
    assert!(error.to_string().contains("auth.jwt_secret"), "{error}");
    let key = "k".repeat(16) + &"e".repeat(16) + "y";
    let with_key = [
        ("PHARMAREC_ENVIRONMENT", "production"),
        ("PHARMAREC_AUTH__JWT_SECRET", key.as_str()),
    ];
    assert!(Settings::load(Some(dir.path()), &env(&with_key), &Overrides::default()).is_ok());
}

#[test]
fn signing_key_can_come_from_a_file_and_must_be_long_enough() {
    let dir = empty_dir();
    let file = dir.path().join("jwt.key");
    std::fs::write(&file, format!("{}\n", "s".repeat(40))).unwrap();
    let vars = [("PHARMAREC_AUTH__JWT_SECRET_FILE", file.to_str().unwrap())];
    let s = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap();
    assert_eq!(
        s.auth.signing_key().unwrap().unwrap().expose_secret().len(),
        40
    );
    let short = [("PHARMAREC_AUTH__JWT_SECRET", "too-short")];
    assert!(Settings::load(Some(dir.path()), &env(&short), &Overrides::default()).is_err());
}

#[test]
fn rate_limits_come_from_variables() {
    let dir = empty_dir();
    let vars = [("PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE", "7")];
    let s = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap();
    assert_eq!(s.rate_limit.requests_per_minute, 7);
    assert_eq!(s.auth.bcrypt_cost, 12);
}

#[test]
fn memory_bounds_default_and_come_from_variables() {
    let dir = empty_dir();
    let load = |vars: &[(&str, &str)]| {
        Settings::load(Some(dir.path()), &env(vars), &Overrides::default()).unwrap()
    };
    assert_eq!(load(&[]).cache.max_bytes, 12 * 1024 * 1024);
    assert_eq!(load(&[]).server.max_blocking_threads, 32);
    let set = load(&[("PHARMAREC_CACHE__MAX_BYTES", "1048576")]);
    assert_eq!(set.cache.max_bytes, 1_048_576);
}

#[test]
fn config_dir_variable_is_not_mistaken_for_a_setting() {
    let dir = empty_dir();
    std::fs::write(dir.path().join("base.toml"), "[server]\nworkers = 5\n").unwrap();
    let vars = [(CONFIG_DIR_VAR, dir.path().to_str().unwrap())];
    let s = Settings::load(None, &env(&vars), &Overrides::default()).unwrap();
    assert_eq!(
        s.server.workers, 5,
        "the directory named by the variable is read"
    );
}

#[test]
fn build_facts_set_by_cargo_run_are_not_settings() {
    // `cargo run` passes the build script's `rustc-env` values to the program; none may be a setting.
    let dir = empty_dir();
    let build_script = include_str!("../../build.rs");
    let prefix = format!("{ENV_PREFIX}_");

    let leaked: Vec<&str> = build_script
        .lines()
        .filter_map(|line| line.split("cargo:rustc-env=").nth(1))
        .filter(|assignment| assignment.starts_with(&prefix))
        .collect();
    let vars = [("BUILD_INFO_GIT_COMMIT", "0123456789ab")];

    assert!(leaked.is_empty(), "build.rs sets {leaked:?}");
    assert!(Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).is_ok());
}

#[test]
fn unknown_setting_variable_is_named_once() {
    let dir = empty_dir();
    let vars = [
        ("PHARMAREC_GIT_COMMIT", "0123456789ab"),
        ("PHARMAREC_SERVER__BIND", "127.0.0.1:0"),
    ];

    let error = Settings::load(Some(dir.path()), &env(&vars), &Overrides::default()).unwrap_err();
    // What `main` prints: the message with its cause chain.
    let printed = format!("{:#}", anyhow::Error::from(error));

    assert!(
        printed.contains("unknown setting variable PHARMAREC_GIT_COMMIT (expected one of "),
        "{printed}"
    );
    assert!(printed.contains("PHARMAREC_SERVER__BIND"), "{printed}");
    assert_eq!(
        printed.matches("PHARMAREC_GIT_COMMIT").count(),
        1,
        "{printed}"
    );
}

#[test]
fn a_config_error_is_printed_once() {
    let dir = empty_dir();
    std::fs::write(
        dir.path().join("base.toml"),
        "[server]\nbnid = \"127.0.0.1:1\"\n",
    )
    .unwrap();

    let error = Settings::load(Some(dir.path()), &env(&[]), &Overrides::default()).unwrap_err();
    let printed = format!("{:#}", anyhow::Error::from(error));

    assert_eq!(printed.matches("bnid").count(), 1, "{printed}");
}

#[test]
fn every_documented_key_has_its_variable_accepted() {
    let documented: Vec<String> = include_str!("../../../../docs/configuration.md")
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(key, _)| key.to_string()))
        .collect();

    assert_eq!(documented, keys::KNOWN_KEYS);
    assert_eq!(
        keys::variable_for("rate_limit.requests_per_minute"),
        "PHARMAREC_RATE_LIMIT__REQUESTS_PER_MINUTE"
    );
}

/// Every key of [`Settings`], read from serde's own "unknown field ..., expected one of ..." error, so a
/// field added to the struct is seen here without editing this test: `environment`, `section.key`.
fn settings_struct_keys() -> std::collections::BTreeSet<String> {
    // Probed through a config file: unknown variables are refused by name before serde sees them.
    let expected_fields = |toml: &str| -> Vec<String> {
        let dir = empty_dir();
        std::fs::write(dir.path().join("base.toml"), toml).unwrap();
        let error = Settings::load(Some(dir.path()), &env(&[]), &Overrides::default())
            .expect_err("an unknown key is refused")
            .to_string();
        let (_, expected) = error
            .split_once("expected")
            .unwrap_or_else(|| panic!("no field list in {error:?}"));
        // The config crate appends " for key `section`": not a field.
        let expected = expected.split(" for key").next().unwrap_or(expected);
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut keys = std::collections::BTreeSet::new();
    for section in expected_fields("zz_probe = 1\n") {
        if section == "environment" {
            keys.insert(section);
            continue;
        }
        for key in expected_fields(&format!("[{section}]\nzz_probe = 1\n")) {
            keys.insert(format!("{section}.{key}"));
        }
    }
    keys
}

/// `.env.production.example` (deploy/docker-compose.prod.yml) names every setting as
/// `PHARMAREC_<SECTION>__<KEY>` (set, or commented out with the reason), names nothing else with that
/// prefix (the backends would refuse to start on an unknown key), covers every key of
/// config/base.toml, and its set values load as a valid production configuration.
#[test]
fn env_production_example_lists_every_setting() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../.env.production.example"
    ))
    .unwrap();
    let mut listed = std::collections::BTreeSet::new();
    let mut set_vars = HashMap::new();
    for line in text.lines() {
        let (commented, body) = match line.strip_prefix('#') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let Some((name, value)) = body.split_once('=') else {
            continue;
        };
        if !commented && matches!(name, "DATABASE_URL" | "REDIS_URL") {
            set_vars.insert(name.to_string(), value.to_string());
        }
        let Some(rest) = name.strip_prefix("PHARMAREC_") else {
            continue;
        };
        if !rest.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        listed.insert(rest.to_lowercase().replacen("__", ".", 1));
        if !commented {
            set_vars.insert(name.to_string(), value.to_string());
        }
    }

    let keys = settings_struct_keys();
    assert!(keys.len() >= 25, "too few keys discovered: {keys:?}");
    // The names the loader accepts from the environment are exactly the struct's keys.
    let known: std::collections::BTreeSet<String> =
        keys::KNOWN_KEYS.iter().map(|k| (*k).to_string()).collect();
    assert_eq!(known, keys, "KNOWN_KEYS differs from the Settings struct");
    let missing: Vec<_> = keys.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        ".env.production.example lacks {missing:?}"
    );
    let unknown: Vec<_> = listed.difference(&keys).collect();
    assert!(
        unknown.is_empty(),
        ".env.production.example names no setting {unknown:?}"
    );

    let base = Config::builder()
        .add_source(File::from_str(BUILT_IN_DEFAULTS, FileFormat::Toml))
        .build()
        .unwrap()
        .collect()
        .unwrap();
    for (section, value) in base {
        let table = value.into_table().unwrap();
        for key in table.keys() {
            assert!(
                listed.contains(&format!("{section}.{key}")),
                "config/base.toml key {section}.{key} is not in .env.production.example"
            );
        }
    }

    assert!(set_vars.contains_key("DATABASE_URL") && set_vars.contains_key("REDIS_URL"));
    set_vars.insert("PHARMAREC_ENVIRONMENT".into(), "production".into());
    let dir = empty_dir();
    let settings = Settings::load(Some(dir.path()), &set_vars, &Overrides::default())
        .expect("the example's values load as a production configuration");
    assert_eq!(settings.log.format, LogFormatSetting::Json);
    assert!(settings.redis.url.is_some());
}

//! Records build facts for `GET /version`: git commit, build time and rustc version.
//!
//! The variables are named `BUILD_INFO_*`, not `PHARMAREC_*`: `cargo run` passes `rustc-env` values to
//! the program it starts, and the settings loader reads every `PHARMAREC_*` variable as a setting.

use std::process::Command;

fn main() {
    let output = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown".to_string())
    };
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    println!(
        "cargo:rustc-env=BUILD_INFO_GIT_COMMIT={}",
        output("git", &["rev-parse", "--short=12", "HEAD"])
    );
    println!(
        "cargo:rustc-env=BUILD_INFO_RUSTC={}",
        output(&rustc, &["--version"])
    );
    println!(
        "cargo:rustc-env=BUILD_INFO_TIME={}",
        output("date", &["-u", "+%Y-%m-%dT%H:%M:%SZ"])
    );
    // Re-run when the commit changes, not on every source edit.
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/refs/heads");
    println!("cargo:rerun-if-changed=build.rs");
}

//! Fallback when libFuzzer cannot run: replays every file of `fuzz/corpus/<target>/` (and of
//! `fuzz/artifacts/<target>/`, if any) through the same code as the fuzz target; a panic is a failure.
//!
//!     cargo run --release --manifest-path fuzz/Cargo.toml --bin replay [TARGET [FILE...]]

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut total = 0;
    for (name, run) in pharmarec_fuzz::TARGETS {
        if args.first().is_some_and(|wanted| wanted != name) {
            continue;
        }
        let inputs: Vec<PathBuf> = if args.len() > 1 {
            args[1..].iter().map(PathBuf::from).collect()
        } else {
            let mut all = files(&root.join("corpus").join(name));
            all.extend(files(&root.join("artifacts").join(name)));
            all
        };
        for input in &inputs {
            let bytes = std::fs::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
            run(&bytes);
        }
        println!("{name}: {} inputs replayed, no panic", inputs.len());
        total += inputs.len();
    }
    println!("total: {total} inputs");
}

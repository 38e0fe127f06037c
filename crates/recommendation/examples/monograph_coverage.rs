//! Prints the OTC monograph ingredients that join no catalogue ingredient (the coverage gap of the
//! shipped catalogue): `cargo run -p pharmarec-recommendation --example monograph_coverage`.

#[path = "../tests/support/dataset.rs"]
mod dataset;

#[expect(clippy::print_stdout, reason = "an example prints its report")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let catalogue = dataset::shipped_catalogue()?;
    let unmapped = catalogue.unmapped_monograph_ingredients();
    println!(
        "{} monograph ingredients with no catalogue ingredient:",
        unmapped.len()
    );
    for name in unmapped {
        println!("  {name}");
    }
    Ok(())
}

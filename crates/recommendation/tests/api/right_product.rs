//! Issue 9, item 5 kept: for an adult's oral complaint, the product shown is never a suppository or
//! an injection when the treatment has an oral product.

use pharmarec_recommendation::{Patient, RecommendOptions, SymptomQuery};

use crate::catalogue;

#[test]
fn an_adult_oral_complaint_never_shows_a_suppository_or_injection_when_an_oral_product_exists() {
    let adult = Patient {
        age: Some(35),
        ..Patient::default()
    };
    let options = RecommendOptions {
        include_products: true,
        max_products: 50,
        ..RecommendOptions::default()
    };
    let mut checked = 0;
    for text in [
        "headache",
        "fever",
        "headache and fever",
        "backache",
        "period pain",
        "toothache",
        "cough",
        "diarrhoea",
        "heartburn",
        "runny nose",
    ] {
        let answer = catalogue()
            .recommend(&SymptomQuery::text(text), &adult, &options)
            .unwrap();
        for r in &answer.recommendations {
            let has_oral = std::iter::once(&r.medicine)
                .chain(&r.products)
                .any(|p| p.route.to_lowercase().contains("oral"));
            let route = r.medicine.route.to_lowercase();
            let form = r.medicine.dose_form.to_lowercase();
            if has_oral {
                checked += 1;
                assert!(
                    !route.contains("rectal")
                        && !route.contains("inject")
                        && !form.contains("suppositor"),
                    "{text}: {} shown as {} {}",
                    r.medicine.brand_name,
                    r.medicine.dose_form,
                    r.medicine.route
                );
            }
        }
    }
    assert!(checked > 10, "only {checked} treatments checked");
}

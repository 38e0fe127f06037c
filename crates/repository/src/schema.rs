//! Diesel table definitions, hand-written to match both migration directories (portable types only).

diesel::table! {
    catalogue_state (id) {
        id -> Integer,
        catalogue_version -> BigInt,
    }
}

diesel::table! {
    ingredients (ingredient_key) {
        ingredient_key -> Text,
        inn_name -> Nullable<Text>,
        us_name -> Nullable<Text>,
        rxcuis -> Text,
        has_otc_product -> Bool,
    }
}

diesel::table! {
    ingredient_classes (ingredient_key, kind, position) {
        ingredient_key -> Text,
        kind -> Text,
        position -> Integer,
        class_name -> Text,
    }
}

diesel::table! {
    ingredient_synonyms (ingredient_key, synonym, source) {
        ingredient_key -> Text,
        synonym -> Text,
        source -> Text,
    }
}

diesel::table! {
    medicines (id) {
        id -> Text,
        brand_name -> Text,
        search_text -> Text,
        strength -> Text,
        dose_form -> Text,
        route -> Text,
        status -> Text,
        te_codes -> Text,
        applicant -> Nullable<Text>,
        application -> Nullable<Text>,
        approval_date -> Nullable<Text>,
        reference_listed_drug -> Bool,
        origin -> Text,
        source -> Nullable<Text>,
    }
}

diesel::table! {
    medicine_ingredients (medicine_id, position) {
        medicine_id -> Text,
        position -> Integer,
        ingredient_key -> Text,
        as_labelled -> Text,
        strength_label -> Nullable<Text>,
    }
}

diesel::table! {
    indications (ingredient_key, condition, relation, source) {
        ingredient_key -> Text,
        condition -> Text,
        relation -> Text,
        umls_cui -> Nullable<Text>,
        snomedct_id -> Nullable<Text>,
        doid -> Nullable<Text>,
        source -> Text,
    }
}

diesel::table! {
    condition_terms (term, condition, relation, source, source_id) {
        term -> Text,
        condition -> Text,
        relation -> Text,
        hops -> Integer,
        source -> Text,
        source_id -> Text,
    }
}

diesel::table! {
    interactions (ingredient_a, ingredient_b, source) {
        ingredient_a -> Text,
        ingredient_b -> Text,
        source -> Text,
        severity -> Text,
        source_ids -> Text,
        original_level -> Nullable<Text>,
        class_a -> Nullable<Text>,
        class_b -> Nullable<Text>,
        description -> Nullable<Text>,
        management -> Nullable<Text>,
    }
}

diesel::table! {
    otc_label_warnings (id) {
        id -> Integer,
        label_generic_name -> Text,
        do_not_use -> Nullable<Text>,
        ask_doctor -> Nullable<Text>,
        ask_doctor_or_pharmacist -> Nullable<Text>,
        when_using -> Nullable<Text>,
        stop_use -> Nullable<Text>,
        pregnancy_or_breast_feeding -> Nullable<Text>,
        source -> Text,
    }
}

diesel::table! {
    otc_label_warning_ingredients (warning_id, position) {
        warning_id -> Integer,
        position -> Integer,
        ingredient_key -> Text,
    }
}

diesel::table! {
    pregnancy_categories (ingredient_key, source) {
        ingredient_key -> Text,
        category -> Text,
        warning -> Bool,
        who_eml_name -> Text,
        source -> Text,
    }
}

diesel::table! {
    pharmacies (id) {
        id -> Text,
        name -> Text,
        address -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stock_levels (pharmacy_id, medicine_id) {
        pharmacy_id -> Text,
        medicine_id -> Text,
        quantity -> BigInt,
        price_minor -> BigInt,
        currency -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
        low_stock_threshold -> Nullable<BigInt>,
        low_stock_alerted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        password_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_pharmacies (user_id, pharmacy_id) {
        user_id -> Text,
        pharmacy_id -> Text,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        family_id -> Text,
        user_id -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        at -> Timestamp,
        actor -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        request_id -> Text,
        client_ip -> Nullable<Text>,
    }
}

diesel::table! {
    licensed_sources (name) {
        name -> Text,
        format -> Text,
        label -> Text,
        url -> Nullable<Text>,
        imported_at -> Timestamp,
    }
}

diesel::table! {
    licensed_interactions (source_name, ingredient_a, ingredient_b) {
        source_name -> Text,
        ingredient_a -> Text,
        ingredient_b -> Text,
        severity -> Text,
        original_level -> Text,
        description -> Nullable<Text>,
        management -> Nullable<Text>,
        source_ids -> Text,
    }
}

diesel::joinable!(ingredient_classes -> ingredients (ingredient_key));
diesel::joinable!(ingredient_synonyms -> ingredients (ingredient_key));
diesel::joinable!(medicine_ingredients -> medicines (medicine_id));
diesel::joinable!(medicine_ingredients -> ingredients (ingredient_key));
diesel::joinable!(otc_label_warning_ingredients -> otc_label_warnings (warning_id));
diesel::joinable!(stock_levels -> pharmacies (pharmacy_id));
diesel::joinable!(stock_levels -> medicines (medicine_id));
diesel::joinable!(user_pharmacies -> users (user_id));
diesel::joinable!(user_pharmacies -> pharmacies (pharmacy_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(licensed_interactions -> licensed_sources (source_name));

diesel::allow_tables_to_appear_in_same_query!(
    catalogue_state,
    ingredients,
    ingredient_classes,
    ingredient_synonyms,
    medicines,
    medicine_ingredients,
    indications,
    condition_terms,
    interactions,
    otc_label_warnings,
    otc_label_warning_ingredients,
    pregnancy_categories,
    pharmacies,
    stock_levels,
    users,
    user_pharmacies,
    refresh_tokens,
    audit_events,
    licensed_sources,
    licensed_interactions,
);

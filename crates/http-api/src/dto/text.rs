//! Text rules of request bodies, each written twice in one place: as the check the server runs and
//! as the JSON Schema pattern the OpenAPI document states, so that the two cannot disagree.
//!
//! Patterns spell characters out (`\u0085`, ranges) instead of `\s` or `\w`, whose meaning differs
//! between regex dialects; each set below is exactly the one Rust's `char` methods use.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use validator::ValidationError;

/// The characters `str::trim` removes (Unicode `White_Space`), as a regex class body.
pub(crate) const WHITESPACE: &str =
    r"\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// No NUL anywhere (the NUL middleware refuses it in every text).
pub(crate) const NO_NUL: &str = r"^[^\u0000]*$";

/// No NUL, and at least one character that is not white space: a name that is not blank.
pub(crate) fn non_blank_pattern() -> String {
    format!(r"^[^\u0000]*[^\u0000{WHITESPACE}][^\u0000]*$")
}

/// A letter or digit of any script (Unicode general categories L and N), as the symptom text needs.
pub(crate) const HAS_WORD: &str = r"[\p{L}\p{N}]";

/// An ASCII e-mail address as [`ascii_email`] and the domain's `Email` accept it: surrounding white
/// space, then printable characters without `@`, one `@`, and a domain holding a dot not at its ends.
pub(crate) fn email_pattern() -> String {
    // Escaped ranges: `--` and `~~` inside a class are set operations in some dialects.
    const LOCAL: &str = r"[\u0021-\u003F\u0041-\u007E]";
    const NOT_DOT: &str = r"[\u0021-\u002D\u002F-\u003F\u0041-\u007E]";
    format!("^[{WHITESPACE}]*{LOCAL}+@{NOT_DOT}{LOCAL}*\\.{LOCAL}*{NOT_DOT}[{WHITESPACE}]*$")
}

/// At most three distinct characters (any, line breaks included): what a password must not be.
pub(crate) const FEW_DISTINCT: &str =
    r"^([\s\S])\1*(?:([\s\S])(?:\1|\2)*(?:([\s\S])(?:\1|\2|\3)*)?)?$";

/// Longest ASCII password: bcrypt reads 72 bytes.
pub(crate) const MAX_ASCII_PASSWORD: u64 = 72;
/// Longest password in any script: 18 characters of at most 4 bytes each fit bcrypt's 72 bytes.
pub(crate) const MAX_UNICODE_PASSWORD: u64 = 18;

/// White space alone is refused, as [`non_blank_pattern`] states (empty text is left to the field's
/// length rule, so it is reported once).
pub(crate) fn non_blank(text: &str) -> Result<(), ValidationError> {
    if !text.is_empty() && text.trim().is_empty() {
        Err(ValidationError::new("blank").with_message("must not be blank".into()))
    } else {
        Ok(())
    }
}

/// Symptom text holds a letter or a digit ([`HAS_WORD`]); punctuation or emoji alone match nothing.
pub(crate) fn has_word(text: &str) -> bool {
    // The same classes as the pattern, so the document and the server agree on every character.
    // A constant pattern (tested below); were it ever refused, every text would count as wordless.
    static WORD: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(HAS_WORD).ok());
    WORD.as_ref().is_some_and(|word| word.is_match(text))
}

/// A new user's e-mail address is printable ASCII once trimmed (the domain checks its shape).
pub(crate) fn ascii_email(email: &str) -> Result<(), ValidationError> {
    if email.trim().bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(ValidationError::new("email")
            .with_message("must be a valid e-mail address in ASCII characters".into()))
    }
}

/// A new password fits bcrypt's 72 bytes in a way the document can state: up to 72 ASCII
/// characters, or up to 18 characters of any script.
pub(crate) fn password_fits(password: &str) -> Result<(), ValidationError> {
    let chars = password.chars().count() as u64;
    if (password.is_ascii() && chars <= MAX_ASCII_PASSWORD) || chars <= MAX_UNICODE_PASSWORD {
        Ok(())
    } else {
        Err(ValidationError::new("password").with_message(
            "must be at most 72 ASCII characters, or at most 18 characters with others".into(),
        ))
    }
}

/// A name in a list (ingredient, class, condition, code): 1-200 characters, not blank.
///
/// Checked by the list's `validator` rule so that the error names the field; the schema states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct NameDto(String);

impl NameDto {
    /// Longest accepted name; the longest real class names are ~100 characters.
    pub(crate) const MAX_CHARS: usize = 200;

    /// Not blank and at most [`Self::MAX_CHARS`] characters.
    pub(crate) fn fits(&self) -> bool {
        !self.0.trim().is_empty() && self.0.chars().count() <= Self::MAX_CHARS
    }
}

impl From<NameDto> for String {
    fn from(name: NameDto) -> Self {
        name.0
    }
}

impl utoipa::PartialSchema for NameDto {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(Self::MAX_CHARS))
            .pattern(Some(non_blank_pattern()))
            .description(Some("A name: 1-200 characters, not blank."))
            .into()
    }
}

impl utoipa::ToSchema for NameDto {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NameDto")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema's patterns, read by the `regex` crate as a contract tester would read them.
    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(text)
    }

    #[test]
    fn non_blank_pattern_and_check_agree() {
        for text in [
            "",
            " ",
            "\t\n",
            "\u{85}",
            "\u{a0}\u{3000}",
            "\u{2028}",
            "a",
            " a ",
            "\u{feff}",
            "é",
        ] {
            assert_eq!(
                matches(&non_blank_pattern(), text),
                !text.is_empty() && non_blank(text).is_ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn email_pattern_and_checks_agree() {
        for email in [
            "a@b.c", " A@B.CO ", "a@b", "a@.b", "a@b.", "@b.c", "a b@c.d", "a@@b.c", "é@b.c",
            "a@b..c", "a@b@c.d",
        ] {
            let server = ascii_email(email).is_ok()
                && pharmarec_domain::Email::try_from(email.to_owned()).is_ok();
            assert_eq!(matches(&email_pattern(), email), server, "{email:?}");
        }
    }

    #[test]
    fn symptom_text_needs_a_letter_or_digit_of_any_script() {
        assert!(has_word("fièvre") && has_word("头痛") && has_word("3"));
        assert!(!has_word("?!… 🤒") && !has_word("\u{24b6}") && !has_word(""));
    }

    #[test]
    fn passwords_fit_bcrypt_as_documented() {
        assert!(password_fits(&"a".repeat(72)).is_ok());
        assert!(password_fits(&"a".repeat(73)).is_err());
        assert!(password_fits(&"é".repeat(18)).is_ok());
        assert!(password_fits(&format!("{}é", "a".repeat(18))).is_err());
    }
}

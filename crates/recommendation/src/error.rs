//! The one error type of the engine.

use pharmarec_domain::{DomainError, MedicineId};

/// Why the engine could not answer. A clinical check that cannot be done is an error, never an
/// empty answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecommendationError {
    /// No catalogue snapshot is loaded (empty handle or empty knowledge base).
    #[error("catalogue not loaded")]
    CatalogueNotLoaded,
    /// Interaction knowledge is empty or failed to load, so a basket cannot be checked.
    #[error("interaction knowledge not loaded")]
    InteractionKnowledgeUnavailable,
    /// The medicine asked about is not in the snapshot.
    #[error("medicine {0} not found")]
    MedicineNotFound(MedicineId),
    /// The request itself is unusable (e.g. an empty query).
    #[error("invalid {field}: {reason}")]
    InvalidRequest {
        /// Which part of the request.
        field: &'static str,
        /// Why, lower case.
        reason: &'static str,
    },
    /// The knowledge base is inconsistent (a record names something undefined).
    #[error("invalid knowledge: {entity} {id}: {reason}")]
    InvalidKnowledge {
        /// Kind of record.
        entity: &'static str,
        /// Its id or name.
        id: String,
        /// What is wrong.
        reason: String,
    },
}

impl From<RecommendationError> for DomainError {
    fn from(error: RecommendationError) -> Self {
        match error {
            RecommendationError::CatalogueNotLoaded
            | RecommendationError::InteractionKnowledgeUnavailable => {
                Self::KnowledgeUnavailable(error.to_string())
            }
            RecommendationError::MedicineNotFound(id) => {
                Self::not_found(pharmarec_domain::Entity::Medicine, &id)
            }
            RecommendationError::InvalidRequest { field, reason } => Self::invalid(field, reason),
            RecommendationError::InvalidKnowledge { .. } => Self::Internal(Box::new(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_interaction_knowledge_maps_to_knowledge_unavailable() {
        let domain: DomainError = RecommendationError::InteractionKnowledgeUnavailable.into();
        assert!(matches!(domain, DomainError::KnowledgeUnavailable(_)));
    }
}

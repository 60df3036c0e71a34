//! kubectl apply: decode, default, validate, then create or update.

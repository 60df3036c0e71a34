//! The API server's defaulting.

//! The API server's validation.

pub fn qualified_name_errors(_s: &str) -> Vec<String> {
    vec![]
}
pub fn label_value_errors(_s: &str) -> Vec<String> {
    vec![]
}
pub fn dns1123_subdomain_errors(_s: &str) -> Vec<String> {
    vec![]
}

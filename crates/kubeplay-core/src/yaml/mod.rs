//! Reading manifests: YAML text to a located tree, and the tree to typed objects.

pub mod de;
pub mod node;

pub use de::{decode, did_you_mean, DecodeError, DecodeErrorKind};
pub use node::{
    parse_documents, snippet, Key, Node, Pos, SyntaxError, Value, MAX_ALIAS_EXPANSION, MAX_DEPTH,
    MAX_DOCUMENT_BYTES, MAX_NODES, MAX_OBJECTS,
};

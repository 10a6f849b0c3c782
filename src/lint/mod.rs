//! Warnings about a whole site's content that need the model: they sit above
//! `model` (and below `pipeline` and `check`), so `content` stays a leaf.

pub mod local_paths;
pub mod paragraphs;
pub mod placeholders;
pub mod plain_tables;

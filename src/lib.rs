//! annals: a static site generator for the yearly reports of public bodies.
//!
//! Data flows one way: [`config`] → [`content`] (load) → [`model`] (the `Site`)
//! → [`markdown`] and [`render`] → [`pages`] → [`output`]. [`pipeline`] runs the
//! stages for `build`, `check` and `serve`.

// Diagnostics carry file, position, hint and source line; they are built only on
// the error path, so their size does not matter for speed.
#![allow(clippy::result_large_err)]

pub mod build_cache;
pub mod build_options;
pub mod cache_dir;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod disclosure;
pub mod html_nesting;
pub mod http_server;
pub mod i18n;
pub mod import;
pub mod incremental;
pub mod layout;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod model;
pub mod output;
pub mod page_deps;
pub mod pages;
pub mod pdf;
pub mod pipeline;
pub mod qr;
pub mod render;
pub mod report_store;
pub mod routes;
pub mod rule_sets;
pub mod scaffold;
pub mod search;
pub mod segment;
pub mod serve;
pub mod site_files;
pub mod word_breaks;
pub mod workbench;

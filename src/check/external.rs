//! External link checking for `check --external`: HEAD first (cheap), GET when a
//! server does not answer HEAD properly; a few requests at a time, each with a
//! time limit; good answers cached for a day so repeated checks are quick and
//! polite.

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::cache_dir::{CACHE_DIR, ensure_cache_dir};
const CACHE_FILE: &str = crate::layout::CACHE_LINKS_FILE;
const FRESH_FOR: u64 = 24 * 60 * 60;
const CONCURRENCY: usize = 8;
const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Problem {
    /// The server said the page is gone (4xx/5xx), rather than not answering.
    pub broken: bool,
    pub reason: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    /// URL → unix time of the last good answer.
    ok: HashMap<String, u64>,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Checks every URL; the result per URL is `Ok` or the problem found.
pub fn check_all(urls: &[String], cache_dir: &Path) -> HashMap<String, Result<(), Problem>> {
    let path = cache_dir.join(CACHE_FILE);
    // Opened like every cache file: never a link, pipe or device, size-capped.
    let mut cache: Cache =
        crate::cache_dir::read_cache_file(&path, crate::cache_dir::SMALL_FILE_MAX_BYTES)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
    let time = now();
    let (fresh, stale): (Vec<&String>, Vec<&String>) = urls.iter().partition(|u| {
        cache
            .ok
            .get(*u)
            .is_some_and(|t| time.saturating_sub(*t) < FRESH_FOR)
    });
    let mut results: HashMap<String, Result<(), Problem>> =
        fresh.into_iter().map(|u| (u.clone(), Ok(()))).collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("annals-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let checked: Vec<(String, Result<(), Problem>)> = match rayon::ThreadPoolBuilder::new()
        .num_threads(CONCURRENCY)
        .build()
    {
        Ok(pool) => pool.install(|| {
            stale
                .par_iter()
                .map(|u| ((*u).clone(), check_one(&agent, u)))
                .collect()
        }),
        Err(_) => stale
            .iter()
            .map(|u| ((*u).clone(), check_one(&agent, u)))
            .collect(),
    };
    for (url, result) in checked {
        if result.is_ok() {
            cache.ok.insert(url.clone(), time);
        }
        results.insert(url, result);
    }
    if ensure_cache_dir(cache_dir).is_ok()
        && !crate::site_files::is_link(&path)
        && let Ok(bytes) = serde_json::to_vec_pretty(&cache)
    {
        // A cache that cannot be written only makes the next check slower.
        let _ = crate::cache_dir::write_cache_file(&path, &bytes);
    }
    results
}

fn check_one(agent: &ureq::Agent, url: &str) -> Result<(), Problem> {
    let head = agent.head(url).call();
    if let Ok(response) = &head
        && response.status().is_success()
    {
        return Ok(());
    }
    // Many servers refuse or mishandle HEAD; GET decides.
    match agent.get(url).call() {
        Ok(response) if response.status().is_success() => Ok(()),
        Ok(response) => {
            let status = response.status();
            Err(Problem {
                broken: status.is_client_error() && status.as_u16() != 429,
                reason: crate::i18n::tr("check.external-status", &[("status", &status)]),
            })
        }
        Err(e) => Err(Problem {
            broken: false,
            reason: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::http_server::{self, Server};
    use hyper::{Method, StatusCode};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A server on the loopback address: `/ok` answers, `/gone` is 404, and
    /// `/nohead` refuses HEAD but answers GET. The counter counts requests.
    fn local_server() -> (String, Server, Arc<AtomicUsize>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let served = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&served);
        let handler: http_server::Handler = Arc::new(move |request| {
            count.fetch_add(1, Ordering::SeqCst);
            let status = match (request.method(), request.uri().path()) {
                (_, "/ok") => StatusCode::OK,
                (&Method::HEAD, "/nohead") => StatusCode::METHOD_NOT_ALLOWED,
                (_, "/nohead") => StatusCode::OK,
                _ => StatusCode::NOT_FOUND,
            };
            http_server::bytes(status, "text/plain", "")
        });
        let server = Server::start(listener, handler).expect("server");
        (format!("http://{}", server.addr()), server, served)
    }

    #[test]
    fn head_then_get_and_good_answers_are_cached() {
        let (base, _server, served) = local_server();
        let dir = tempfile::tempdir().unwrap();
        let urls: Vec<String> = ["/ok", "/gone", "/nohead"]
            .iter()
            .map(|p| format!("{base}{p}"))
            .collect();
        let results = check_all(&urls, dir.path());
        assert!(results[&urls[0]].is_ok());
        let gone = results[&urls[1]].as_ref().unwrap_err();
        assert!(gone.broken && gone.reason.contains("404"), "{gone:?}");
        assert!(results[&urls[2]].is_ok());
        assert!(dir.path().join(".gitignore").exists());
        // Cached good answers are not requested again; the broken one is.
        let again = check_all(&urls, dir.path());
        assert!(again[&urls[0]].is_ok() && again[&urls[1]].is_err());
        let served = served.load(Ordering::SeqCst);
        // First run: HEAD ok; HEAD+GET gone; HEAD+GET nohead. Second run: HEAD+GET gone.
        assert_eq!(served, 7);
    }
}

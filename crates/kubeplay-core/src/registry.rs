//! What a node finds when it pulls an image: the reference is read as the
//! kubelet reads it (the `docker/distribution` reference grammar, short
//! names completed to `docker.io/library/NAME:latest`), and a tag that the
//! best-known official images do not have is not found. Any other image is
//! found: the simulated registries hold whatever a manifest names, so that
//! made-up application images (`log-collector:v1.0`) run.

/// Why a pull cannot succeed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullError {
    /// The reference does not parse: the kubelet's `InspectFailed` message.
    InvalidName(String),
    /// The registry has no such tag: the runtime's error, as the kubelet
    /// quotes it after `Failed to pull image "...": `.
    NotFound(String),
}

/// Checks an image reference as a node would pull it.
pub fn check(image: &str) -> Result<(), PullError> {
    let r = parse(image).map_err(|e| {
        PullError::InvalidName(format!(
            "Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {e}"
        ))
    })?;
    if r.digest.is_none() && !official_tag_exists(&r) {
        let full = format!(
            "{}/{}:{}",
            r.domain,
            r.path,
            r.tag.as_deref().unwrap_or("latest")
        );
        return Err(PullError::NotFound(format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        )));
    }
    Ok(())
}

/// Whether `image` is written in the reference grammar (what
/// `reference.ReferenceRegexp` matches, which `kubectl run` checks before
/// it creates anything). The grammar alone: a name that only the node's
/// normalisation or digest check refuses passes here.
pub fn well_formed(image: &str) -> bool {
    parse(image).map_or_else(|e| !e.starts_with(INVALID), |_| true)
}

/// A parsed reference: `domain/path[:tag][@digest]`.
#[derive(Debug, PartialEq, Eq)]
struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

const INVALID: &str = "invalid reference format";

/// `reference.ParseNormalizedNamed`.
/// Whether lowercasing `s` would change it, as the reference parser asks
/// (`strings.ToLower(s) != s`): whether it has a capital letter. (Unicode's
/// uppercase property, without the case-mapping tables: it differs only on
/// rare letters, such as the titlecase `ǅ`, which lowercases but is not
/// uppercase.)
fn has_capital(s: &str) -> bool {
    s.chars().any(char::is_uppercase)
}

fn parse(s: &str) -> Result<Reference, String> {
    if s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!(
            "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
        ));
    }
    // the first component is a registry when it looks like a host
    let (mut domain, mut remainder) = match s.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':']) || first == "localhost" || has_capital(first) =>
        {
            (first.to_string(), rest.to_string())
        }
        _ => ("docker.io".to_string(), s.to_string()),
    };
    if domain == "index.docker.io" {
        domain = "docker.io".into();
    }
    if domain == "docker.io" && !remainder.contains('/') {
        remainder = format!("library/{remainder}");
    }
    let remote = remainder.split(':').next().unwrap_or_default();
    if has_capital(remote) {
        return Err(format!(
            "{INVALID}: repository name ({remote}) must be lowercase"
        ));
    }
    let (named, digest) = match remainder.split_once('@') {
        Some((n, d)) => (n.to_string(), Some(d.to_string())),
        None => (remainder.clone(), None),
    };
    let (path, tag) = match named.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p.to_string(), Some(t.to_string())),
        _ => (named.clone(), None),
    };
    let valid = domain_ok(&domain)
        && !path.is_empty()
        && path.split('/').all(component_ok)
        && tag.as_deref().is_none_or(tag_ok)
        && digest.as_deref().is_none_or(digest_syntax_ok);
    if !valid {
        return Err(INVALID.into());
    }
    if domain.len() + 1 + path.len() > 255 {
        return Err("repository name must not be more than 255 characters".into());
    }
    if let Some(d) = &digest {
        digest_valid(d)?;
    }
    Ok(Reference {
        domain,
        path,
        tag,
        digest,
    })
}

/// `host[:port]`, each host label letters, digits and inner dashes.
fn domain_ok(d: &str) -> bool {
    let (host, port) = match d.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || !p.is_empty() => (h, Some(p)),
        _ => (d, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !v6.is_empty() && v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    !host.is_empty()
        && host.split('.').all(|l| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// A path component: lowercase letters and digits, joined by `.`, `_`,
/// `__` or runs of `-`.
fn component_ok(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `[\w][\w.-]{0,127}`.
fn tag_ok(t: &str) -> bool {
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    let b = t.as_bytes();
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&x| word(x) || x == b'.' || x == b'-')
}

/// `algorithm:hex`, the hex at least 32 digits.
fn digest_syntax_ok(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['+', '.', '-', '_']).all(|p| {
        p.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && p.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn digest_valid(d: &str) -> Result<(), String> {
    let (alg, hex) = d.split_once(':').unwrap_or((d, ""));
    let len = match alg {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".into()),
    };
    if hex.len() != len {
        return Err("invalid checksum digest length".into());
    }
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

/// Official images whose tags are known: the newest `major.minor` each has
/// published. A tag is a version (`1.27`, `1.27.3`), words (`alpine`,
/// `stable-alpine`) or a version then words (`1.27-alpine3.20`).
const OFFICIAL: &[(&str, (u32, u32))] = &[
    ("alpine", (3, 22)),
    ("busybox", (1, 37)),
    ("debian", (13, 99)),
    ("golang", (1, 25)),
    ("httpd", (2, 4)),
    ("memcached", (1, 6)),
    ("mongo", (8, 2)),
    ("mysql", (9, 5)),
    ("nginx", (1, 29)),
    ("node", (25, 99)),
    ("perl", (5, 42)),
    ("postgres", (18, 99)),
    ("python", (3, 14)),
    ("rabbitmq", (4, 2)),
    ("redis", (8, 4)),
    ("ubuntu", (25, 10)),
];

/// Words the tags of those images are made of (variants, distributions,
/// channels), each possibly followed by a version (`alpine3.20`).
const TAG_WORDS: &[&str] = &[
    "alpine",
    "apache",
    "bionic",
    "bookworm",
    "bullseye",
    "buster",
    "cli",
    "current",
    "debian",
    "edge",
    "focal",
    "fpm",
    "glibc",
    "jammy",
    "latest",
    "lts",
    "mainline",
    "management",
    "musl",
    "noble",
    "oldstable",
    "oracle",
    "oraclelinux",
    "otel",
    "perl",
    "plucky",
    "questing",
    "rc",
    "sid",
    "slim",
    "stable",
    "stretch",
    "testing",
    "threaded",
    "trixie",
    "uclibc",
    "unstable",
    "xenial",
];

fn official_tag_exists(r: &Reference) -> bool {
    let Some(name) = r.path.strip_prefix("library/") else {
        return true;
    };
    if r.domain != "docker.io" {
        return true;
    }
    let Some(&(_, max)) = OFFICIAL.iter().find(|(n, _)| *n == name) else {
        return true;
    };
    let tag = r.tag.as_deref().unwrap_or("latest");
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or_default();
    let words_ok = |w: &str| {
        let word = w.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        TAG_WORDS.contains(&word)
    };
    if first.starts_with(|c: char| c.is_ascii_digit()) {
        let nums: Vec<Option<u32>> = first.split('.').map(|n| n.parse().ok()).collect();
        if nums.len() > 3 || nums.iter().any(Option::is_none) {
            return false;
        }
        let major = nums.first().copied().flatten().unwrap_or(0);
        let minor = nums.get(1).copied().flatten().unwrap_or(0);
        if (major, minor) > max {
            return false;
        }
    } else if !words_ok(first) {
        return false;
    }
    parts.all(words_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_alone_is_what_kubectl_run_checks() {
        assert!(well_formed("nginx:1.27"));
        assert!(well_formed(
            "registry.example.com:5000/team/app@sha256:0123456789abcdef0123456789abcdef"
        ));
        // refused by the node's normalisation, not by the grammar
        assert!(well_formed(&"a".repeat(64)));
        assert!(!well_formed("Nginx"));
        assert!(!well_formed("nginx:"));
        assert!(!well_formed("nginx::1"));
        assert!(!well_formed("-nginx"));
    }

    fn not_found(image: &str) -> bool {
        matches!(check(image), Err(PullError::NotFound(_)))
    }

    #[test]
    fn short_names_are_completed_as_the_runtime_completes_them() {
        let r = parse("nginx").ok();
        assert_eq!(
            r,
            Some(Reference {
                domain: "docker.io".into(),
                path: "library/nginx".into(),
                tag: None,
                digest: None
            })
        );
        let r = parse("localhost:5000/team/app:v2").ok();
        assert_eq!(
            r.map(|r| (r.domain, r.path, r.tag)),
            Some((
                "localhost:5000".into(),
                "team/app".into(),
                Some("v2".into())
            ))
        );
        let r = parse("bitnami/redis:7.2").ok();
        assert_eq!(r.map(|r| r.domain), Some("docker.io".into()));
    }

    #[test]
    fn bad_references_get_the_kubelets_message() {
        assert_eq!(
            check("Nginx:1.25"),
            Err(PullError::InvalidName(
                "Failed to apply default image tag \"Nginx:1.25\": couldn't parse image name \"Nginx:1.25\": invalid reference format: repository name (library/Nginx) must be lowercase".into()
            ))
        );
        // a capital beyond ASCII is a capital; a lowercase one is just
        // not in the grammar
        assert!(
            matches!(check("nginxÉ"), Err(PullError::InvalidName(ref m)) if m.ends_with("(library/nginxÉ) must be lowercase"))
        );
        for bad in [
            "nginxé",
            "nginx:",
            "nginx:1.25:1",
            "-nginx",
            "nginx@sha256:abc",
            "ngi nx",
            "a//b",
        ] {
            assert!(
                matches!(check(bad), Err(PullError::InvalidName(ref m)) if m.ends_with("invalid reference format")),
                "{bad}: {:?}",
                check(bad)
            );
        }
        let digest = format!("nginx@sha512:{}", "a".repeat(64));
        assert!(
            matches!(check(&digest), Err(PullError::InvalidName(ref m)) if m.ends_with("invalid checksum digest length"))
        );
    }

    #[test]
    fn tags_the_official_images_do_not_have_are_not_found() {
        for ok in [
            "nginx",
            "nginx:1.27",
            "nginx:1.25.3",
            "nginx:1.27-alpine",
            "nginx:stable-alpine3.20",
            "nginx:alpine",
            "redis:7.4",
            "redis:7.2-alpine",
            "busybox:1.36",
            "busybox:1.28",
            "ubuntu:24.04",
            "ubuntu:jammy",
            "mysql:5.7",
            "postgres:16-bookworm",
            "perl:5.34.0",
            "docker.io/library/bash:5",
            "registry.k8s.io/nginx-slim:0.24",
            "log-collector:v1.0",
            "ngnix:1.25",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for missing in [
            "nginx:1.999",
            "nginx:2.0",
            "nginx:doesnotexist",
            "nginx:v1.25",
            "redis:99",
            "busybox:1.99",
            "nginx:1.27-typo",
        ] {
            assert!(not_found(missing), "{missing}");
        }
        assert_eq!(
            check("nginx:1.999"),
            Err(PullError::NotFound("rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.999\": failed to resolve reference \"docker.io/library/nginx:1.999\": docker.io/library/nginx:1.999: not found".into()))
        );
        // a digest names content, not a tag
        assert_eq!(check(&format!("nginx@sha256:{}", "0".repeat(64))), Ok(()));
    }
}

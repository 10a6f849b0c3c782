//! The `Range` request header (RFC 9110 §14): one byte range of a file.

/// What to send of a file of a known length.
#[derive(Debug, PartialEq, Eq)]
pub enum ByteRange {
    /// No usable range: the whole file, status 200.
    Whole,
    /// Bytes `start..=end`, status 206.
    Part { start: u64, end: u64 },
    /// The range lies past the end: status 416.
    Unsatisfiable,
}

/// Reads a `Range` header. Several ranges, other units and malformed values are
/// answered with the whole file, which RFC 9110 allows a server to do.
pub fn parse(header: Option<&str>, len: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return ByteRange::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (number(first), last.trim().is_empty()) {
        // bytes=-N: the last N bytes.
        (None, false) if first.trim().is_empty() => match number(last) {
            Some(0) => ByteRange::Unsatisfiable,
            Some(n) if len > 0 => ByteRange::Part {
                start: len.saturating_sub(n),
                end: len - 1,
            },
            Some(_) => ByteRange::Unsatisfiable,
            None => ByteRange::Whole,
        },
        (Some(start), true) if start < len => ByteRange::Part {
            start,
            end: len - 1,
        },
        (Some(start), false) => match number(last) {
            Some(end) if end < start => ByteRange::Whole,
            Some(_) if start >= len => ByteRange::Unsatisfiable,
            Some(end) => ByteRange::Part {
                start,
                end: end.min(len - 1),
            },
            None => ByteRange::Whole,
        },
        (Some(_), true) => ByteRange::Unsatisfiable,
        (None, _) => ByteRange::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_ranges() {
        let part = |start, end| ByteRange::Part { start, end };
        assert_eq!(parse(None, 10), ByteRange::Whole);
        assert_eq!(parse(Some("bytes=0-3"), 10), part(0, 3));
        assert_eq!(parse(Some("bytes=4-"), 10), part(4, 9));
        assert_eq!(parse(Some("bytes=-3"), 10), part(7, 9));
        assert_eq!(parse(Some("bytes=-30"), 10), part(0, 9));
        assert_eq!(parse(Some("bytes=5-99"), 10), part(5, 9));
        assert_eq!(parse(Some("bytes=10-"), 10), ByteRange::Unsatisfiable);
        assert_eq!(parse(Some("bytes=12-20"), 10), ByteRange::Unsatisfiable);
        assert_eq!(parse(Some("bytes=-0"), 10), ByteRange::Unsatisfiable);
        for ignored in [
            "bytes=0-1,3-4",
            "items=0-1",
            "bytes=x-1",
            "bytes=5-2",
            "bytes=-",
            "bytes=+1-2",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(parse(Some(ignored), 10), ByteRange::Whole, "{ignored}");
        }
    }
}

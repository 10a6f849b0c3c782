//! Numbers as short strings: variable-length base-64 digits, five value bits
//! per character and a sixth meaning "more follows", least significant first.
//! A posting list of small gaps takes about two characters per report instead
//! of six as JSON numbers, and the alphabet needs no escaping in JSON.

const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

pub fn push_varint(out: &mut String, mut value: u32) {
    while value >= 32 {
        out.push(ALPHABET[(32 | (value & 31)) as usize] as char);
        value >>= 5;
    }
    out.push(ALPHABET[value as usize] as char);
}

/// Decodes a whole string of varints (tests and size checks; the browser has its own).
pub fn decode_all(text: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut value, mut shift) = (0u32, 0u32);
    for b in text.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == b)? as u32;
        value |= (digit & 31).checked_shl(shift)?;
        if digit & 32 != 0 {
            shift += 5;
        } else {
            out.push(value);
            value = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let values = [0, 1, 31, 32, 1023, 1024, 65_535, 4_000_000, u32::MAX];
        let mut s = String::new();
        for v in values {
            push_varint(&mut s, v);
        }
        assert_eq!(decode_all(&s).unwrap(), values);
        let mut small = String::new();
        push_varint(&mut small, 7);
        assert_eq!(small.len(), 1);
    }
}

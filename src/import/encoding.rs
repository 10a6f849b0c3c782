//! Text files in UTF-8 or, as Windows tools in China often save them, GBK/GB18030.

/// The text and, when it was not UTF-8, the encoding it was read as.
pub fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        // GB18030 is a superset of GBK and GB2312.
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), Some("GBK/GB18030"))
        }
    };
    (text.0.replace("\r\n", "\n").replace('\r', "\n"), text.1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gbk_is_read() {
        let (bytes, _, _) = encoding_rs::GBK.encode("发布时间：2023年3月10日");
        let (text, encoding) = super::decode(&bytes);
        assert_eq!(text, "发布时间：2023年3月10日");
        assert_eq!(encoding, Some("GBK/GB18030"));
    }
}

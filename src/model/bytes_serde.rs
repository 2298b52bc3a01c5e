//! Raw bytes (lines and paths) in JSON: a string when they are UTF-8, which is nearly always,
//! else an array of byte values, so nothing is lost either way.

use serde::{Deserialize, Deserializer, Serializer};

/// The two JSON forms bytes take.
#[derive(Deserialize)]
#[serde(untagged)]
enum Repr {
    Text(String),
    Bytes(Vec<u8>),
}

impl From<Repr> for Vec<u8> {
    fn from(r: Repr) -> Vec<u8> {
        match r {
            Repr::Text(t) => t.into_bytes(),
            Repr::Bytes(b) => b,
        }
    }
}

/// Writes `bytes` as a string when they are UTF-8, else as an array of numbers.
pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => s.serialize_str(text),
        Err(_) => s.collect_seq(bytes),
    }
}

/// Reads what [`serialize`] wrote.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    Repr::deserialize(d).map(Vec::from)
}

/// The same for optional bytes (`null` when absent).
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `null` or the bytes as [`super::serialize`] does.
    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => super::serialize(b, s),
            None => s.serialize_none(),
        }
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(Option::<super::Repr>::deserialize(d)?.map(Vec::from))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Line, LineKind};

    #[test]
    fn text_and_invalid_utf8_round_trip() {
        for bytes in [b"resource \"x\" {".to_vec(), vec![0xff, b'a', 0xc3]] {
            let line = Line::new(LineKind::Added, bytes);
            let json = serde_json::to_string(&line).unwrap();
            assert_eq!(serde_json::from_str::<Line>(&json).unwrap(), line);
        }
        let json = serde_json::to_string(&Line::new(LineKind::Added, "é")).unwrap();
        assert!(json.contains(r#""bytes":"é""#), "{json}");
    }
}

//! The options of an allowed_signers line (ssh-keygen(1), ALLOWED SIGNERS):
//! `cert-authority`, `namespaces="…"`, `valid-after="…"` and `valid-before="…"`.

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

use super::pattern::PatternList;

/// The options of an allowed_signers line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `cert-authority`.
    pub cert_authority: bool,
    /// `namespaces="…"`.
    pub namespaces: Option<PatternList>,
    /// `valid-after="…"`.
    pub valid_after: Option<DateTime<Utc>>,
    /// `valid-before="…"`.
    pub valid_before: Option<DateTime<Utc>>,
}

impl Options {
    /// Parses `option[,option…]`; option names are case-insensitive, values are double-quoted.
    pub fn parse(text: &str) -> Result<Options, String> {
        let mut options = Options::default();
        let mut rest = text;
        loop {
            let (name, value, after) = next_option(rest)?;
            let name = name.to_ascii_lowercase();
            match (name.as_str(), value) {
                ("cert-authority", None) => options.cert_authority = true,
                ("namespaces", Some(v)) => {
                    if options.namespaces.replace(PatternList::new(&v)).is_some() {
                        return Err("more than one namespaces option".into());
                    }
                }
                ("valid-after" | "valid-before", Some(v)) => {
                    let time = parse_time(&v).ok_or_else(|| {
                        format!("invalid {name} time \"{v}\": expected YYYYMMDD[HHMM[SS]][Z]")
                    })?;
                    let slot = if name == "valid-after" {
                        &mut options.valid_after
                    } else {
                        &mut options.valid_before
                    };
                    if slot.replace(time).is_some() {
                        return Err(format!("more than one {name} option"));
                    }
                }
                _ => return Err(format!("unknown option \"{name}\"")),
            }
            match after.strip_prefix(',') {
                Some("") => return Err("options end with a comma".into()),
                Some(next) => rest = next,
                None => break,
            }
        }
        if let (Some(after), Some(before)) = (options.valid_after, options.valid_before)
            && before <= after
        {
            return Err("valid-before is not later than valid-after".into());
        }
        Ok(options)
    }
}

/// Splits `name[="value"]` off the front of an options list.
fn next_option(text: &str) -> Result<(&str, Option<String>, &str), String> {
    let end = text.find(['=', ',']).unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return Err("empty option".into());
    }
    let Some(quoted) = text[end..].strip_prefix('=') else {
        return Ok((name, None, &text[end..]));
    };
    let Some(body) = quoted.strip_prefix('"') else {
        return Err(format!("the value of {name} must be in double quotes"));
    };
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((name, Some(value), &body[i + 1..])),
            '\\' if body[i + 1..].starts_with('"') => {
                value.push('"');
                chars.next();
            }
            _ => value.push(c),
        }
    }
    Err(format!("the value of {name} has no closing quote"))
}

/// `YYYYMMDD[Z]` or `YYYYMMDDHHMM[SS][Z]`: in UTC with the `Z`, else in the local time zone.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let (digits, utc) = match text.strip_suffix('Z') {
        Some(d) => (d, true),
        None => (text, false),
    };
    if ![8, 12, 14].contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |from: usize, to: usize| digits[from..to].parse::<u32>().ok();
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(number(0, 4)?).ok()?,
        number(4, 6)?,
        number(6, 8)?,
    )?;
    let (hour, minute, second) = match digits.len() {
        8 => (0, 0, 0),
        12 => (number(8, 10)?, number(10, 12)?, 0),
        _ => (number(8, 10)?, number(10, 12)?, number(12, 14)?),
    };
    let naive = date.and_hms_opt(hour, minute, second)?;
    if utc {
        Some(naive.and_utc())
    } else {
        Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_without_z_are_local() {
        let local = Local
            .with_ymd_and_hms(2024, 3, 10, 8, 30, 15)
            .earliest()
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_time("20240310083015"), Some(local));
        assert_eq!(
            parse_time("202403100830Z"),
            Some(Utc.with_ymd_and_hms(2024, 3, 10, 8, 30, 0).unwrap())
        );
        for bad in [
            "2024031",
            "20241301Z",
            "2024-03-10",
            "20240310z",
            "202403100860Z",
            "",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_option_is_read() {
        let options =
            Options::parse("cert-authority,NAMESPACES=\"git,countersign\",valid-after=\"20240101Z\",valid-before=\"20250101Z\"")
                .unwrap();
        assert!(options.cert_authority);
        assert_eq!(options.namespaces.unwrap().as_str(), "git,countersign");
        assert_eq!(options.valid_after, parse_time("20240101Z"));
        assert_eq!(options.valid_before, parse_time("20250101Z"));
    }
}

//! Dates without a calendar crate: ISO 8601 weeks of Unix times, and RFC 3339 times as
//! milliseconds.

/// Days since 1970-01-01 to a (year, month, day) civil date (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of January 1st of `year`.
fn days_to_new_year(year: i64) -> i64 {
    let y = year - 1;
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    // March 1st-based day of year of January 1st is 306.
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + 306;
    era * 146_097 + doe - 719_468
}

/// The ISO 8601 week of a Unix time (seconds, UTC): `2026-W48`. Weeks start on Monday; week 1
/// is the one with the year's first Thursday, so the first days of January can belong to the
/// last week of the year before.
pub fn iso_week(unix_secs: i64) -> String {
    let days = unix_secs.div_euclid(86_400);
    let weekday = (days + 3).rem_euclid(7); // Monday = 0 (1970-01-01 was a Thursday)
    let thursday = days - weekday + 3;
    let (year, _, _) = civil_from_days(thursday);
    let week = (thursday - days_to_new_year(year)) / 7 + 1;
    format!("{year}-W{week:02}")
}

/// Milliseconds since the epoch of an RFC 3339 UTC time (`2026-11-24T10:15:00.000Z`).
pub fn rfc3339_ms(text: &str) -> Option<i64> {
    let t = humantime::parse_rfc3339(text).ok()?;
    let ms = t.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    i64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> i64 {
        rfc3339_ms(&format!("{date}T12:00:00Z")).unwrap() / 1000
    }

    #[test]
    fn iso_weeks_follow_the_first_thursday() {
        for (day, week) in [
            ("2026-11-24", "2026-W48"),
            ("2026-01-01", "2026-W01"), // a Thursday
            ("2027-01-01", "2026-W53"), // a Friday: the last week of 2026
            ("2024-12-30", "2025-W01"), // a Monday whose Thursday is in 2025
            ("2021-01-03", "2020-W53"),
            ("1970-01-01", "1970-W01"),
            ("2000-02-29", "2000-W09"),
        ] {
            assert_eq!(iso_week(at(day)), week, "{day}");
            let (y, m, d) = civil_from_days(at(day).div_euclid(86_400));
            assert_eq!(format!("{y:04}-{m:02}-{d:02}"), day);
        }
        // A week runs from Monday 00:00 to Sunday 23:59:59 UTC.
        let monday = at("2026-11-23") - 12 * 3600;
        assert_eq!(iso_week(monday - 1), "2026-W47");
        assert_eq!(iso_week(monday), "2026-W48");
    }

    #[test]
    fn rfc3339_times_read_to_the_millisecond() {
        assert_eq!(rfc3339_ms("1970-01-01T00:00:01.250Z"), Some(1250));
        assert_eq!(rfc3339_ms("yesterday"), None);
    }
}

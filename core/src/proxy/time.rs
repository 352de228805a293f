//! Calendar arithmetic on Unix time (UTC), without a clock: callers pass "now".

use core::fmt::Write;

use crate::flow::iso8601;
use crate::id::Date;

/// Days since 1970-01-01 of a proleptic-Gregorian civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The UTC date of a Unix time in milliseconds, as the identifier core's [`Date`]
/// (`None` outside years 0–9999).
pub fn date_of_unix_ms(ms: u64) -> Option<Date> {
    let days = i64::try_from(ms / 86_400_000).ok()?;
    let (y, m, d) = civil_from_days(days);
    Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )
}

/// `YYYY-MM-DD` of a day count since 1970-01-01.
pub fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    let mut s = String::with_capacity(10);
    let _ = write!(s, "{y:04}-{m:02}-{d:02}");
    s
}

/// `YYYY-MM` of a day count since 1970-01-01.
pub fn iso_month(days: i64) -> String {
    let (y, m, _) = civil_from_days(days);
    let mut s = String::with_capacity(7);
    let _ = write!(s, "{y:04}-{m:02}");
    s
}

/// Belvo-style timestamp `YYYY-MM-DDTHH:MM:SS.ffffffZ` of a Unix time in milliseconds: the
/// flow's [`iso8601`] with microseconds.
pub fn iso_timestamp(ms: u64) -> String {
    let mut out = iso8601(ms);
    out.insert_str(out.len() - 1, "000");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000i64, -1, 0, 1, 11_016, 11_017, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(
            iso_timestamp(1_719_419_154_334),
            "2024-06-26T16:25:54.334000Z"
        );
        assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(iso_month(days_from_civil(2024, 2, 29)), "2024-02");
        let d = date_of_unix_ms(1_719_419_154_334).map(|d| d.to_iso_string());
        assert_eq!(d.as_deref(), Some("2024-06-26"));
    }
}

//! The crate's one proleptic-Gregorian calendar (no time zone, no clock: callers pass "now").
//!
//! The date rule (leap years, month lengths), [`Date`] with `YYYY-MM-DD` parsing and
//! formatting, and day counts since 1970-01-01 for Unix times (UTC). It sits here, at the
//! bottom of the module graph, so that the flow, the proxy and the emulator all use this one
//! copy. Nothing here panics.

/// A real calendar date in the proleptic Gregorian calendar, years 0000–9999.
///
/// The field order (year, month, day) makes the derived `Ord` chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Full year, e.g. `1985`.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

/// Whether `year` is a Gregorian leap year (divisible by 4, except centuries not divisible
/// by 400: 1900 is not a leap year, 2000 is).
pub const fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Number of days in `month` (1–12) of `year`; `0` for a month outside 1–12.
pub const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if is_leap_year(year) {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

impl Date {
    /// A date if `year`-`month`-`day` exists (year 0–9999, month 1–12, day within the
    /// month, leap years of the full year), else `None`.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if year > 9999 || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits, a real date). Anything else is `None`.
    pub fn parse(s: &str) -> Option<Date> {
        let b: &[u8; 10] = s.as_bytes().try_into().ok()?;
        if b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let mut year: u16 = 0;
        for &c in &b[0..4] {
            year = year * 10 + u16::from(digit(c)?);
        }
        let month = digit(b[5])? * 10 + digit(b[6])?;
        let day = digit(b[8])? * 10 + digit(b[9])?;
        Date::new(year, month, day)
    }

    /// Writes the date as `YYYY-MM-DD` (ASCII) into `out`.
    pub fn write_iso(&self, out: &mut [u8; 10]) {
        let y = self.year % 10_000;
        // All values are < 10 after the modulo, so the additions cannot overflow.
        out[0] = b'0' + (y / 1000) as u8;
        out[1] = b'0' + (y / 100 % 10) as u8;
        out[2] = b'0' + (y / 10 % 10) as u8;
        out[3] = b'0' + (y % 10) as u8;
        out[4] = b'-';
        out[5] = b'0' + self.month / 10 % 10;
        out[6] = b'0' + self.month % 10;
        out[7] = b'-';
        out[8] = b'0' + self.day / 10 % 10;
        out[9] = b'0' + self.day % 10;
    }

    /// The date as `YYYY-MM-DD` (ASCII bytes).
    pub fn to_iso(&self) -> [u8; 10] {
        let mut out = [0u8; 10];
        self.write_iso(&mut out);
        out
    }

    /// The date as an owned `YYYY-MM-DD` string (allocates; not for hot paths).
    pub fn to_iso_string(&self) -> std::string::String {
        self.to_iso().iter().map(|&b| char::from(b)).collect()
    }
}

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

/// The civil date `(year, month, day)` of a day count since 1970-01-01 (the inverse of
/// [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
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

/// Milliseconds in a day.
const DAY_MS: u64 = 86_400_000;

/// The day count since 1970-01-01 of a Unix time in milliseconds (UTC).
pub const fn days_of_unix_ms(ms: u64) -> i64 {
    // At most u64::MAX / DAY_MS, far inside i64.
    (ms / DAY_MS) as i64
}

impl Date {
    /// The UTC date of a Unix time in milliseconds (`None` after year 9999).
    pub fn from_unix_ms(ms: u64) -> Option<Date> {
        let (y, m, d) = civil_from_days(days_of_unix_ms(ms));
        Date::new(
            u16::try_from(y).ok()?,
            u8::try_from(m).ok()?,
            u8::try_from(d).ok()?,
        )
    }
}

/// Formats Unix milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC).
pub fn iso8601(ms: u64) -> String {
    let (y, mo, d) = civil_from_days(days_of_unix_ms(ms));
    let in_day = ms % DAY_MS;
    let (h, mi, s, milli) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Value of an ASCII digit.
const fn digit(c: u8) -> Option<u8> {
    if c.is_ascii_digit() {
        Some(c - b'0')
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_years() {
        assert!(!is_leap_year(1900));
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(2023));
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2000, 13), 0);
    }

    #[test]
    fn parse_and_format() {
        let d = Date::parse("2000-02-29").unwrap();
        assert_eq!(
            d,
            Date {
                year: 2000,
                month: 2,
                day: 29
            }
        );
        assert_eq!(&d.to_iso(), b"2000-02-29");
        assert_eq!(Date::parse("1900-02-29"), None);
        assert_eq!(Date::parse("2021-4-01"), None);
        assert_eq!(Date::parse("2021-04-31"), None);
        assert_eq!(Date::parse("２０２１-04-01"), None);
        assert_eq!(Date::parse(""), None);
        assert_eq!(Date::new(0, 1, 1).unwrap().to_iso_string(), "0000-01-01");
        assert_eq!(Date::new(10_000, 1, 1), None);
        assert!(Date::new(1999, 12, 31) < Date::new(2000, 1, 1));
    }

    #[test]
    fn day_counts_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000i64, -1, 0, 1, 11_016, 11_017, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        // Day by day over four centuries, against the date rule above.
        let mut day = days_from_civil(1899, 12, 31);
        for year in 1900..2300u16 {
            for month in 1..=12 {
                for d in 1..=days_in_month(year, month) {
                    day += 1;
                    let civil = (i64::from(year), u32::from(month), u32::from(d));
                    assert_eq!(civil_from_days(day), civil);
                    assert_eq!(days_from_civil(civil.0, civil.1, civil.2), day);
                }
            }
        }
    }

    #[test]
    fn unix_times() {
        let d = Date::from_unix_ms(1_719_419_154_334).map(|d| d.to_iso_string());
        assert_eq!(d.as_deref(), Some("2024-06-26"));
        assert_eq!(Date::from_unix_ms(0), Date::new(1970, 1, 1));
        assert_eq!(
            Date::from_unix_ms(253_402_300_799_999),
            Date::new(9999, 12, 31)
        );
        assert_eq!(Date::from_unix_ms(253_402_300_800_000), None);
        assert_eq!(Date::from_unix_ms(u64::MAX), None);
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(iso8601(1_719_419_154_334), "2024-06-26T16:25:54.334Z");
        assert_eq!(iso8601(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
        assert_eq!(iso8601(253_402_300_800_000), "10000-01-01T00:00:00.000Z");
    }
}

//! A minimal proleptic-Gregorian calendar date (no time zone, no clock).
//!
//! Only what the identifier rules need: construction with validation, `YYYY-MM-DD` parsing
//! and formatting, leap years and month lengths. Nothing here allocates or panics.

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
}

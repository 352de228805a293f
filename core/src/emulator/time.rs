//! Belvo's date and time formats, on the crate's one calendar ([`crate::id::date`]).

use core::fmt::Write;

use crate::id::date::{civil_from_days, iso8601};

/// `YYYY-MM-DD` of a day count since 1970-01-01.
pub(crate) fn iso_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    let mut s = String::with_capacity(10);
    let _ = write!(s, "{y:04}-{m:02}-{d:02}");
    s
}

/// `YYYY-MM` of a day count since 1970-01-01.
pub(crate) fn iso_month(days: i64) -> String {
    let (y, m, _) = civil_from_days(days);
    let mut s = String::with_capacity(7);
    let _ = write!(s, "{y:04}-{m:02}");
    s
}

/// Belvo-style timestamp `YYYY-MM-DDTHH:MM:SS.ffffffZ` of a Unix time in milliseconds: the
/// calendar's [`iso8601`] with microseconds.
pub(crate) fn iso_timestamp(ms: u64) -> String {
    let mut out = iso8601(ms);
    out.insert_str(out.len() - 1, "000");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::date::days_from_civil;

    #[test]
    fn formats() {
        assert_eq!(
            iso_timestamp(1_719_419_154_334),
            "2024-06-26T16:25:54.334000Z"
        );
        assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(iso_month(days_from_civil(2024, 2, 29)), "2024-02");
    }
}

//! The few `f64` operations the core needs, written with `core` only: the browser builds are
//! `no_std`, where `f64::fract`, `round` and `powi` (which live in `std`) do not exist.

/// Whether `v` is a whole number of magnitude below 9·10¹⁵ (exactly representable as `i64`).
pub(crate) fn is_small_whole(v: f64) -> bool {
    v.is_finite() && v.abs() < 9.0e15 && (v as i64) as f64 == v
}

/// `v` rounded half away from zero, as `u64`; for `0 ≤ v < 1.8·10¹⁹` (like `v.round() as u64`).
pub(crate) fn round_to_u64(v: f64) -> u64 {
    let t = v as u64;
    // Exact: below 2⁵³ the fractional part is representable, above it `v` is whole.
    if v - t as f64 >= 0.5 {
        t.saturating_add(1)
    } else {
        t
    }
}

/// `10ⁿ` by repeated squaring: the same steps (and so the same rounding) as `powi`.
pub(crate) fn pow10(mut n: u32) -> f64 {
    let (mut r, mut b) = (1.0f64, 10.0f64);
    loop {
        if n & 1 == 1 {
            r *= b;
        }
        n >>= 1;
        if n == 0 {
            return r;
        }
        b *= b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_matches_fract() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -2.5,
            12.0,
            1e15,
            8.9e15,
            9.0e15,
            1e300,
            1e-300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4503599627370495.5,
            123456.000001,
        ] {
            let want = v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15;
            assert_eq!(is_small_whole(v), want, "{v}");
        }
    }

    #[test]
    fn rounding_matches_std() {
        for v in [
            0.0,
            0.49999999999999994,
            0.5,
            1.5,
            2.5,
            2.4999,
            1e15 + 0.5,
            4503599627370495.5,
            9007199254740993.0,
            1.7e19,
            123.456,
        ] {
            assert_eq!(round_to_u64(v), v.round() as u64, "{v}");
        }
    }

    #[test]
    fn pow10_matches_powi() {
        for n in 0..=400u32 {
            assert_eq!(pow10(n).to_bits(), 10f64.powi(n as i32).to_bits(), "10^{n}");
        }
    }
}

//! The crate's one pseudo-random generator: SplitMix64, deterministic and tiny. It drives the
//! identifier `generate` functions and the emulator's synthetic data and ids (no `rand`
//! crate; nothing here is for secrets).

/// SplitMix64 (Steele, Lea and Flood): the same seed always yields the same sequence.
#[derive(Clone, Debug)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    /// A generator starting from `seed`.
    pub(crate) const fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 pseudo-random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`0` when `n == 0`); the modulo bias is irrelevant here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64().checked_rem(n).unwrap_or(0)
    }

    /// A value in `lo..=hi` (`lo` when `hi <= lo`, without advancing).
    #[cfg(feature = "server")]
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below(hi.abs_diff(lo) + 1) as i64
    }

    /// One element of `xs` (`T::default()` for an empty slice).
    pub(crate) fn pick<T: Copy + Default>(&mut self, xs: &[T]) -> T {
        let i = usize::try_from(self.below(xs.len() as u64)).unwrap_or(0);
        xs.get(i).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix;

    #[test]
    fn known_sequence() {
        // The reference outputs of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        let mut r = SplitMix::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn bounds() {
        let mut r = SplitMix::new(5);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            #[cfg(feature = "server")]
            assert!((3..=9).contains(&r.range(3, 9)));
            assert!(b"abc".contains(&r.pick(b"abc")));
        }
        assert_eq!(r.below(0), 0);
        #[cfg(feature = "server")]
        {
            assert_eq!(r.range(4, 4), 4);
            assert_eq!(r.range(4, -1), 4);
        }
        assert_eq!(r.pick::<u8>(&[]), 0);
    }
}

//! Small string helpers for the browser build: substring search by plain byte comparison
//! (`str::contains(&str)` / `split_once(&str)` bring in core's two-way searcher and its
//! panic-formatting paths, a few KB of wasm, for needles of a few bytes).

/// Byte offset of the first occurrence of `needle` in `haystack` (`Some(0)` for an empty
/// needle).
pub(crate) fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// One text's three translations (es, pt, en) as one string, separated by U+001F (one
/// pointer per text in the wasm instead of three); [`part`] picks one.
macro_rules! tr {
    ($es:literal, $pt:literal, $en:literal $(,)?) => {
        concat!($es, "\u{1f}", $pt, "\u{1f}", $en)
    };
}
pub(crate) use tr;

/// Part `n` (0-based) of `s` split at U+001F, the separator of the localised texts that hold
/// their translations in one string; the last part when there are fewer. A byte loop, not
/// `str::split(char)`: that pattern searcher is about 0.8 KB more gzip in the validator module.
pub(crate) fn part(s: &str, n: usize) -> &str {
    let (mut seen, mut start) = (0, 0);
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if b == 0x1f {
            if seen == n {
                return s.get(start..i).unwrap_or(s);
            }
            seen += 1;
            start = i + 1;
        }
    }
    s.get(start..).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts() {
        let s = "uno\u{1f}um\u{1f}one";
        assert_eq!(
            [0, 1, 2, 3].map(|n| super::part(s, n)),
            ["uno", "um", "one", "one"]
        );
        assert_eq!(super::part("só", 0), "só");
        assert_eq!(super::part("", 2), "");
        assert_eq!(super::part("a\u{1f}", 1), "");
    }
}

/// A fieldless enum whose variants have stable JS strings: `as_str`, `ALL`, and `TS`, the
/// TypeScript literal union of those strings (`export type $ts = "a" | "b";`) that the bindings
/// emit into their `.d.ts`, so the union is never typed a second time.
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $ts:literal {
            $($(#[$vmeta:meta])* $variant:ident => $s:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// TypeScript: the union of every variant's string.
            pub const TS: &'static str =
                concat!("export type ", $ts, " =", $(" | \"", $s, "\"",)+ ";\n");

            /// The stable JS string.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $s,)+
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

//! String helpers shared by the core: localised texts and string enums.

/// One text's three translations (es, pt, en) as one string, separated by U+001F, so a table
/// row holds each text as one literal; [`part`] picks one.
macro_rules! tr {
    ($es:literal, $pt:literal, $en:literal $(,)?) => {
        concat!($es, "\u{1f}", $pt, "\u{1f}", $en)
    };
}
pub(crate) use tr;

/// Part `n` (0-based) of `s` split at U+001F (see [`tr`]); the last part when there are fewer.
pub(crate) fn part(s: &str, n: usize) -> &str {
    let mut parts = s.split('\u{1f}');
    let last = parts.clone().next_back().unwrap_or(s);
    parts.nth(n).unwrap_or(last)
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

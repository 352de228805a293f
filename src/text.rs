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

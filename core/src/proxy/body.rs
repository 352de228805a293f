//! Bodies that arrive as a stream — incoming requests and Belvo's answers — read up to a
//! limit. The adapter keeps at most [`BodyLimit::take`] bytes of each chunk and stops reading
//! (cancels the stream) as soon as the limit is [exceeded](BodyLimit::exceeded): a body far
//! over the limit is never held whole. One byte past the limit is kept, which is what proves
//! the body too large (for a request the policy then answers 413; see
//! [`super::Policy::check`]); the adapter copies what it kept into wasm memory once, at its
//! exact size, because wasm memory never shrinks.

use super::Reject;

/// A body's bytes, counted against a limit as its chunks arrive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BodyLimit {
    max: usize,
    held: usize,
}

impl BodyLimit {
    /// Nothing counted yet; up to `max_bytes` bytes accepted.
    pub fn new(max_bytes: usize) -> BodyLimit {
        BodyLimit {
            max: max_bytes,
            held: 0,
        }
    }

    /// How many more bytes are worth keeping: up to one past the limit, then none.
    pub fn wanted(&self) -> usize {
        self.max.saturating_add(1).saturating_sub(self.held)
    }

    /// Counts a chunk of `len` bytes and returns how many of its first bytes to keep (the
    /// rest is dropped). Once the body [exceeds](Self::exceeded) the limit, stop reading.
    pub fn take(&mut self, len: usize) -> usize {
        let keep = len.min(self.wanted());
        self.held = self.held.saturating_add(keep);
        keep
    }

    /// Whether more than the limit arrived.
    pub fn exceeded(&self) -> bool {
        self.held > self.max
    }

    /// Bytes kept so far (at most the limit + 1).
    pub fn held(&self) -> usize {
        self.held
    }
}

/// Whether a `Content-Length` value declares more than `max` bytes (so the body need not be
/// read at all). A missing or unparsable value declares nothing.
pub fn declared_over(content_length: Option<&str>, max: usize) -> bool {
    content_length
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_some_and(|n| n > max as u64)
}

/// The answer to a request whose body did not arrive within `BODY_READ_TIMEOUT_MS`.
pub fn read_timeout() -> Reject {
    Reject::new(
        408,
        "request_timeout",
        "The request body did not arrive in time.",
    )
}

/// The answer to a request whose body could not be read (the client went away, a broken
/// stream).
pub fn unreadable() -> Reject {
    Reject::new(400, "parse_error", "The request body could not be read.")
}

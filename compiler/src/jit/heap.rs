//! The JIT's object memory: one free list per object size, carved from
//! chunks.
//!
//! Every heap object is a run of 64-bit words (the reference count, then
//! the fields). Reference counting frees objects at a high rate and
//! reallocates them at once (a loop that consumes a list while it builds
//! another), so going to the system allocator for each one dominated the
//! allocation-heavy benchmarks (docs/jit.md). Instead a freed object goes
//! on the free list of its size, and the next allocation of that size
//! takes it back: both are a few instructions. Lists are intrusive (a free
//! object's first word links to the next), and fresh objects are carved
//! from chunks of [`CHUNK_BYTES`].
//!
//! Memory held this way never exceeds the peak of live objects of each
//! size, so the memory budget (which charges live objects) still bounds
//! it; everything goes back to the system when the [`Heap`] is dropped at
//! the end of the run, including objects a stopped run left behind.
//! Objects of more than [`MAX_WORDS`] words come from the system allocator
//! directly.

use std::alloc::Layout;

/// Objects up to this many words (count included) are pooled.
pub(crate) const MAX_WORDS: usize = 16;

/// Bytes taken from the system at a time for one size.
const CHUNK_BYTES: usize = 32 * 1024;

/// The free lists and the chunks they are carved from.
pub(crate) struct Heap {
    /// Head of the free list of objects of `i` words (null when empty).
    free: [*mut u64; MAX_WORDS + 1],
    chunks: Vec<(*mut u8, Layout)>,
}

impl Heap {
    pub fn new() -> Heap {
        Heap { free: [std::ptr::null_mut(); MAX_WORDS + 1], chunks: Vec::new() }
    }

    /// A zeroed object of `words` 64-bit words (at least one); null when
    /// the system has no memory left.
    pub fn alloc(&mut self, words: usize) -> *mut u64 {
        let words = words.max(1);
        if words > MAX_WORDS {
            return match layout(words) {
                // SAFETY: the layout has a non-zero size.
                Some(l) => unsafe { std::alloc::alloc_zeroed(l) as *mut u64 },
                None => std::ptr::null_mut(),
            };
        }
        if self.free[words].is_null() && !self.refill(words) {
            return std::ptr::null_mut();
        }
        let object = self.free[words];
        // SAFETY: `object` heads the free list of this size: a block of
        // `words` words inside one of our chunks, not in use, whose first
        // word links to the next free block.
        unsafe {
            self.free[words] = *object as *mut u64;
            std::ptr::write_bytes(object, 0, words);
        }
        object
    }

    /// Gives back an object `alloc(words)` returned.
    ///
    /// # Safety
    ///
    /// `object` came from `self.alloc(words)` with the same `words`, and is
    /// not used after this call.
    pub unsafe fn free(&mut self, object: *mut u64, words: usize) {
        let words = words.max(1);
        if words > MAX_WORDS {
            if let Some(l) = layout(words) {
                // SAFETY: allocated by `alloc` with this layout (caller's
                // contract).
                unsafe { std::alloc::dealloc(object as *mut u8, l) };
            }
            return;
        }
        // SAFETY: the object is ours and unused (caller's contract); its
        // first word becomes the link.
        unsafe { *object = self.free[words] as u64 };
        self.free[words] = object;
    }

    /// Carves a new chunk into free objects of `words` words.
    fn refill(&mut self, words: usize) -> bool {
        let Some(l) = Layout::from_size_align(CHUNK_BYTES, 8).ok() else { return false };
        // SAFETY: the layout has a non-zero size.
        let chunk = unsafe { std::alloc::alloc(l) };
        if chunk.is_null() {
            return false;
        }
        self.chunks.push((chunk, l));
        let count = CHUNK_BYTES / (8 * words);
        let base = chunk as *mut u64;
        // Link the blocks so that the lowest address is taken first.
        for i in (0..count).rev() {
            // SAFETY: block `i` lies inside the chunk (`i * words + words`
            // words is at most `CHUNK_BYTES / 8`).
            unsafe {
                let block = base.add(i * words);
                *block = self.free[words] as u64;
                self.free[words] = block;
            }
        }
        true
    }
}

impl Drop for Heap {
    fn drop(&mut self) {
        for (chunk, l) in self.chunks.drain(..) {
            // SAFETY: allocated in `refill` with this layout; the run is
            // over, so no object inside it is used any more.
            unsafe { std::alloc::dealloc(chunk, l) };
        }
    }
}

fn layout(words: usize) -> Option<Layout> {
    Layout::from_size_align(words.checked_mul(8)?, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freed_objects_are_reused_and_come_back_zeroed() {
        let mut heap = Heap::new();
        let a = heap.alloc(3);
        // SAFETY: a fresh object of three words.
        unsafe {
            *a.add(2) = 42;
            heap.free(a, 3);
        }
        let b = heap.alloc(3);
        assert_eq!(a, b, "the freed object is taken first");
        // SAFETY: a fresh object of three words.
        assert_eq!(unsafe { (*b, *b.add(1), *b.add(2)) }, (0, 0, 0));
    }

    #[test]
    fn objects_of_every_size_are_distinct_and_large_ones_bypass_the_pool() {
        let mut heap = Heap::new();
        let mut seen = std::collections::HashSet::new();
        for words in 1..=MAX_WORDS + 3 {
            // More than one chunk's worth of small objects.
            for _ in 0..(CHUNK_BYTES / (8 * words) + 5).min(3000) {
                let p = heap.alloc(words);
                assert!(!p.is_null());
                for w in 0..words {
                    assert!(seen.insert(p as usize + 8 * w), "overlapping objects");
                }
            }
        }
        let big = heap.alloc(MAX_WORDS + 1);
        // SAFETY: allocated just above with the same size.
        unsafe { heap.free(big, MAX_WORDS + 1) };
    }
}

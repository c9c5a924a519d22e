//! An array the bar loop reads at random, backed by 2 MiB pages where the system gives them.
//!
//! The bar loop reads a fill's bar (the packed prices, see `sim::PackedBar`) wherever a rule
//! happens to act: a few thousand reads per combination scattered over a 3 MB array for 100k
//! bars. With 4 KiB pages most of those reads also missed the TLB, and a page walk costs more
//! than the cache miss itself (on a virtual machine, twice over). Aligned to 2 MiB and marked
//! with `madvise(MADV_HUGEPAGE)`, the array takes one or two TLB entries. Where transparent huge
//! pages are off (or on other systems) this is an ordinary allocation.

use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::ops::Deref;
use std::ptr::NonNull;

/// Size (and alignment) of a huge page.
const HUGE_PAGE: usize = 2 << 20;

/// Below this many bytes an array is allocated as usual (a huge page would be mostly empty).
const MIN_HUGE_BYTES: usize = HUGE_PAGE / 2;

/// A fixed-length array of plain values, in huge pages when it is large enough.
pub struct HugeArray<T: Copy> {
    ptr: NonNull<T>,
    len: usize,
    /// `None`: nothing allocated (empty array).
    layout: Option<Layout>,
}

// SAFETY: the array owns its values (plain `Copy` data, no shared ownership); sending or sharing
// it is sending or sharing `[T]`.
unsafe impl<T: Copy + Send> Send for HugeArray<T> {}
unsafe impl<T: Copy + Sync> Sync for HugeArray<T> {}

impl<T: Copy> HugeArray<T> {
    /// The array `[f(0), f(1), …, f(len - 1)]`.
    pub fn from_fn(len: usize, mut f: impl FnMut(usize) -> T) -> HugeArray<T> {
        let bytes = len.checked_mul(size_of::<T>()).expect("array size overflows");
        if bytes == 0 {
            return HugeArray { ptr: NonNull::dangling(), len, layout: None };
        }
        let huge = bytes >= MIN_HUGE_BYTES;
        let layout = if huge {
            Layout::from_size_align(bytes.next_multiple_of(HUGE_PAGE), HUGE_PAGE)
        } else {
            Layout::array::<T>(len)
        }
        .expect("array layout");
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<T>()) else { handle_alloc_error(layout) };
        if huge {
            advise_huge(raw, layout.size());
        }
        for i in 0..len {
            // SAFETY: `i < len` and the allocation holds `len` values of `T` (aligned: the
            // alignment is at least `T`'s); each is written once, before any read.
            unsafe { ptr.as_ptr().add(i).write(f(i)) };
        }
        HugeArray { ptr, len, layout: Some(layout) }
    }
}

/// Asks for huge pages over `len` bytes at `addr` (2 MiB aligned), before they are touched. A
/// refusal is not an error: the pages stay small.
#[cfg(target_os = "linux")]
fn advise_huge(addr: *mut u8, len: usize) {
    // SAFETY: `addr..addr + len` is one allocation this array owns; MADV_HUGEPAGE changes how
    // the kernel backs it, never its contents.
    unsafe {
        libc::madvise(addr.cast(), len, libc::MADV_HUGEPAGE);
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge(_addr: *mut u8, _len: usize) {}

impl<T: Copy> Deref for HugeArray<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` holds `len` initialised values (or is dangling with `len` 0 values of
        // a zero-sized layout), alive as long as `self`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<T: Copy> Drop for HugeArray<T> {
    fn drop(&mut self) {
        if let Some(layout) = self.layout {
            // SAFETY: allocated in `from_fn` with this layout; `T: Copy` needs no drop.
            unsafe { dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }
}

impl<T: Copy + std::fmt::Debug> std::fmt::Debug for HugeArray<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HugeArray").field("len", &self.len).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_its_values_small_large_and_empty() {
        for len in [0usize, 1, 1000, 300_000] {
            let a = HugeArray::from_fn(len, |i| [i as f64, -(i as f64), 0.5, 1.0]);
            assert_eq!(a.len(), len);
            assert!(a.iter().enumerate().all(|(i, v)| *v == [i as f64, -(i as f64), 0.5, 1.0]));
            if len * 32 >= MIN_HUGE_BYTES {
                assert_eq!(a.as_ptr() as usize % HUGE_PAGE, 0, "large arrays start on a huge page");
            }
        }
    }
}

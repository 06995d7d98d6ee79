//! A forged snapshot — right signature, version and checksum, but counts
//! that ask for gigabytes — is refused without a huge allocation. Its own
//! test binary, so that the allocator below sees only this test.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use critmin::snapshot::{self, HEADER_LEN};

/// The system allocator, remembering the largest block asked for.
struct Largest;

static LARGEST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Largest {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LARGEST.fetch_max(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LARGEST.fetch_max(new_size, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Largest = Largest;

/// The bytes with the header's checksum made right for the payload.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let crc = crc32fast::hash(&bytes[HEADER_LEN..]);
    bytes[24..28].copy_from_slice(&crc.to_le_bytes());
    bytes
}

#[test]
fn forged_counts_are_refused_without_a_huge_allocation() {
    let text = r#"{"sources": [{"id": "s", "title": "S"}],
      "nodes": [{"id": "c", "kind": "country", "name": "C", "aliases": ["See"], "sources": ["s"]},
                {"id": "m", "kind": "mineral", "name": "M", "props": {"symbol": "Mm"}, "sources": ["s"]}],
      "edges": [{"from": "c", "to": "m", "kind": "produces", "sources": ["s"],
                 "props": {"tonnes": 5, "stage": "mining", "year": 2024}, "valid_from": "2024"}]}"#;
    let loaded = critmin::load::load_texts(&[("g.json", text)]).unwrap();
    let bytes = snapshot::write(&loaded);
    let file_len = bytes.len();
    let mut refused = 0;
    // Every 8-byte window of the payload replaced by huge counts: whatever
    // it hits (a count, a length, an offset, a value), opening fails or
    // gives a graph, and never allocates much more than the file's size.
    for huge in [u64::MAX, 1 << 40, u64::from(u32::MAX), 1 << 28] {
        for at in HEADER_LEN..file_len.saturating_sub(8) {
            let mut forged = bytes.clone();
            forged[at..at + 8].copy_from_slice(&huge.to_le_bytes());
            if snapshot::read(&resealed(forged)).is_err() {
                refused += 1;
            }
        }
    }
    assert!(refused > 0);
    let largest = LARGEST.load(Ordering::Relaxed);
    assert!(
        largest < 64 * file_len.max(1 << 16),
        "an allocation of {largest} bytes for a file of {file_len}"
    );
}

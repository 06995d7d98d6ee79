//! syntax (work in progress).

//! analysis (work in progress).

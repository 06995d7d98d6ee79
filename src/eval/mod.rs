//! eval (work in progress).

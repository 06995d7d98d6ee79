//! Numbers with four decimals (`0.4284`), as `format!("{:.4}")` writes
//! them, without its exact-arithmetic fallback on the common case: an
//! exposure answer writes thousands of them, and the standard formatter
//! spends most of its time proving the last digit.
//!
//! Invariant: the text is byte for byte what `format!("{:.4}", number)`
//! gives; whenever the fast path cannot be sure, it defers to it.

use std::fmt;

/// Displays a number as `{:.4}` does (no width or other flags).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fixed4(pub f64);

impl fmt::Display for Fixed4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match ten_thousandths(self.0) {
            Some(scaled) => write!(f, "{}.{:04}", scaled / 10_000, scaled % 10_000),
            None => write!(f, "{:.4}", self.0),
        }
    }
}

/// `number` in ten-thousandths, rounded half to even as the standard
/// formatter rounds the exact binary value; `None` for negative numbers
/// (`-0.0000` keeps its sign), numbers of 2^33 ten-thousandths or more, and
/// numbers whose scaled value lies too near a half to decide here.
fn ten_thousandths(number: f64) -> Option<u64> {
    // Scaling rounds by at most half an ulp of the product: below 2^33
    // that is under 2^-20, far inside the margin kept around each half.
    const LIMIT: f64 = 8_589_934_592.0;
    const MARGIN: f64 = 1e-5;
    if number.is_nan() || number.is_sign_negative() {
        return None;
    }
    let scaled = number * 10_000.0;
    if scaled >= LIMIT {
        return None;
    }
    let whole = scaled.floor();
    let fraction = scaled - whole;
    if (fraction - 0.5).abs() < MARGIN {
        return None;
    }
    // `whole` is below 2^33: the conversion is exact.
    let whole = whole as u64;
    Some(if fraction > 0.5 { whole + 1 } else { whole })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(number: f64) {
        assert_eq!(
            Fixed4(number).to_string(),
            format!("{number:.4}"),
            "{number:e}"
        );
    }

    #[test]
    fn writes_what_the_standard_formatter_writes() {
        for number in [
            0.0,
            -0.0,
            1.0,
            0.5,
            0.00005,
            0.00015,
            0.00025,
            0.12345,
            0.12355,
            0.99995,
            0.999949,
            9.99995,
            1e-9,
            123.4567,
            8.5e5,
            1e12,
            -0.4284,
            -1e-9,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::MAX,
            0.1 + 0.2,
        ] {
            check(number);
        }
    }

    #[test]
    fn agrees_on_many_numbers_of_every_scale() {
        // A fixed pseudo-random walk (splitmix64) over mantissas and scales,
        // and every half ten-thousandth near the rounding boundaries.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        for _ in 0..200_000 {
            let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let scale = 10f64.powi((next() % 16) as i32 - 8);
            check(unit * scale);
        }
        for tenth_thousandths in 0..20_000u32 {
            let half = (f64::from(tenth_thousandths) + 0.5) / 10_000.0;
            check(half);
            check(f64::from_bits(half.to_bits() + 1));
            check(f64::from_bits(half.to_bits() - 1));
        }
    }
}

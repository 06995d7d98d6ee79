//! Sparklines for the terminal: a series as `▁▂▄▆█`, one character per
//! value, lowest to highest.

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One bar per value, scaled from the smallest to the largest; a flat
/// series is drawn at mid height. Non-finite values are left out.
pub fn sparkline(values: &[f64]) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let Some(low) = finite.iter().copied().reduce(f64::min) else {
        return String::new();
    };
    let high = finite.iter().copied().fold(low, f64::max);
    finite
        .iter()
        .map(|value| {
            if high == low {
                return BARS[3];
            }
            let step = ((value - low) / (high - low) * 7.0).round() as usize;
            BARS[step.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn scales_from_lowest_to_highest() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
        assert_eq!(sparkline(&[3.0, 3.0]), "▄▄");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[f64::NAN, 1.0, 2.0]), "▁█");
    }
}

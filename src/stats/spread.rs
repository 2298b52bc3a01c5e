//! How long things took: the median and 90th percentile of a set of durations, by nearest
//! rank (the smallest value with at least p % of the values at or below it), so every
//! reported value is one that was measured.

use serde::Serialize;

/// The count, median and 90th percentile of some durations; `None` without any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    /// How many values.
    pub count: usize,
    /// The 50th percentile.
    pub median: Option<u64>,
    /// The 90th percentile.
    pub p90: Option<u64>,
}

impl Spread {
    /// The spread of `values` (in any order).
    pub fn of(mut values: Vec<u64>) -> Spread {
        values.sort_unstable();
        Spread {
            count: values.len(),
            median: nearest_rank(&values, 50),
            p90: nearest_rank(&values, 90),
        }
    }
}

/// The `p`-th percentile of sorted `values` by nearest rank: the value at rank ⌈p·n/100⌉.
pub fn nearest_rank(sorted: &[u64], p: usize) -> Option<u64> {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_measured_values() {
        let s = Spread::of(vec![40, 10, 30, 20]);
        assert_eq!((s.count, s.median, s.p90), (4, Some(20), Some(40)));
        let s = Spread::of((1..=10).rev().collect());
        assert_eq!((s.median, s.p90), (Some(5), Some(9)));
        let s = Spread::of(vec![7]);
        assert_eq!((s.median, s.p90), (Some(7), Some(7)));
        assert_eq!(Spread::of(Vec::new()).median, None);
    }
}

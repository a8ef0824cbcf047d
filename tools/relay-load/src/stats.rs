//! Latencies as histograms that workers can send to the coordinator and
//! that add up: a million samples per run would be megabytes as a list.

use serde::{Deserialize, Serialize};

/// Values below this are counted exactly; above, each power of two is split
/// into `SUB` buckets, so a reported value is at most 1/64 (1.6 %) high.
const EXACT: u64 = 128;
const SUB: u64 = 64;

/// A log-linear histogram of microseconds, with the exact maximum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Histogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

fn bucket(value: u64) -> usize {
    if value < EXACT {
        return value as usize;
    }
    let shift = u64::from(63 - value.leading_zeros()) - 6;
    (shift * SUB + (value >> shift)) as usize
}

/// The largest value that falls into `bucket`.
fn upper(bucket: usize) -> u64 {
    let b = bucket as u64;
    if b < EXACT {
        return b;
    }
    let shift = b / SUB - 1;
    let mantissa = b - shift * SUB;
    ((mantissa + 1) << shift) - 1
}

impl Histogram {
    pub(crate) fn record(&mut self, micros: u64) {
        let b = bucket(micros);
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += 1;
        self.total += 1;
        self.max = self.max.max(micros);
    }

    pub(crate) fn merge(&mut self, other: &Histogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    pub(crate) fn max(&self) -> u64 {
        self.max
    }

    /// The smallest value at or below which `fraction` of the samples lie
    /// (rounded up to its bucket's top, never above the maximum); 0 if empty.
    pub(crate) fn quantile(&self, fraction: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((fraction * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0;
        for (b, &n) in self.counts.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return upper(b).min(self.max);
            }
        }
        self.max
    }
}

/// Microseconds as milliseconds for a report.
pub(crate) fn ms(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_values_are_exact_and_large_ones_within_two_percent() {
        for v in [0, 1, 127, 128, 129, 1_000, 99_999, 100_000, 7_000_000, u64::MAX / 2] {
            let top = upper(bucket(v));
            assert!(top >= v, "{v} lies in a bucket whose top is {top}");
            if v < EXACT {
                assert_eq!(top, v);
            } else {
                assert!((top - v) as f64 <= v as f64 / 64.0, "{v} reported as {top}");
            }
        }
        // Buckets are contiguous: the next value starts the next bucket.
        for v in [127u64, 255, 1023, 65_535] {
            assert_eq!(bucket(v) + 1, bucket(v + 1), "{v}");
        }
    }

    #[test]
    fn quantiles_of_one_to_ten_thousand() {
        let mut h = Histogram::default();
        for v in 1..=10_000 {
            h.record(v);
        }
        let near = |got: u64, want: u64| (got as f64 - want as f64).abs() <= want as f64 / 64.0;
        assert!(near(h.quantile(0.5), 5_000), "p50 {}", h.quantile(0.5));
        assert!(near(h.quantile(0.99), 9_900), "p99 {}", h.quantile(0.99));
        assert_eq!(h.quantile(1.0), 10_000, "never above the maximum");
        assert_eq!(h.max(), 10_000);
        assert_eq!(Histogram::default().quantile(0.99), 0);
    }

    #[test]
    fn merged_histograms_equal_one_that_saw_everything() {
        let (mut a, mut b, mut all) = (Histogram::default(), Histogram::default(), Histogram::default());
        for v in 0..5_000u64 {
            let x = v * v % 300_007;
            if v % 3 == 0 { &mut a } else { &mut b }.record(x);
            all.record(x);
        }
        a.merge(&b);
        assert_eq!(a, all);
        let round_trip: Histogram = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(round_trip, all);
    }
}

//! Sorting compiled once.
//!
//! The standard library compiles its sort again for every element type and
//! every comparison: about forty times in the page's binary, some of them
//! once per record kind (issue 8: the page's bytes). These functions sort
//! positions with the comparison behind `&dyn`, so the sort itself is
//! compiled once, and then move the items into that order. They are stable,
//! like `sort_by`; the extra cost is a vector of positions, which does not
//! matter for the few thousand items a list or a report sorts.

use std::cmp::Ordering;

/// `items` sorted by `cmp`, stably.
pub fn sort_by<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&items[a], &items[b]));
    permute(items, order);
}

/// `items` sorted by `key`, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// `items` sorted by `key`, computing each item's key once.
pub fn sort_by_cached_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| keys[a].cmp(&keys[b]));
    permute(items, order);
}

/// `items` in their order.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The one compiled sort.
#[inline(never)]
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts the item at `order[i]` at `i`, one cycle of the permutation at a
/// time, by swaps (no item is cloned).
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = order[at];
            order[at] = DONE;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small seeded generator: the model has no RNG, the test needs no crate.
    fn numbers(seed: u64, n: usize, range: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (x >> 33) % range
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        for seed in 0..200 {
            let n = (seed as usize * 7) % 90;
            // (key, original position): equal keys must keep their order.
            let items: Vec<(u64, usize)> = numbers(seed, n, 6).into_iter().enumerate().map(|(i, k)| (k, i)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|&(k, _)| k);
            let mut by = items.clone();
            sort_by(&mut by, |a, b| a.0.cmp(&b.0));
            assert_eq!(by, expected, "sort_by, seed {seed}");
            let mut by_key = items.clone();
            sort_by_key(&mut by_key, |&(k, _)| k);
            assert_eq!(by_key, expected, "sort_by_key, seed {seed}");
            let mut cached = items.clone();
            sort_by_cached_key(&mut cached, |&(k, _)| k);
            assert_eq!(cached, expected, "sort_by_cached_key, seed {seed}");
            let mut whole = items.clone();
            sort(&mut whole);
            let mut std_whole = items;
            std_whole.sort();
            assert_eq!(whole, std_whole, "sort, seed {seed}");
        }
    }

    #[test]
    fn moves_items_without_cloning_them() {
        let mut names: Vec<String> = ["Olga", "Ayşe", "Karim", "Leyla", "Ayşe"].map(String::from).to_vec();
        sort_by(&mut names, |a, b| b.cmp(a));
        assert_eq!(names, ["Olga", "Leyla", "Karim", "Ayşe", "Ayşe"]);
    }
}

//! One page of a list, newest first, cut from items kept oldest first: the cursor walk that
//! reports and events share.

/// The page of `all` (items by ascending key: oldest first) that a list answers, newest
/// first, with `has_more`. `cursor` is the key of the `starting_after` object (`true`: older
/// ones follow) or of the `ending_before` one (`false`: newer ones), and `keep` the list's
/// filters.
pub(super) fn newest_first<K: PartialOrd + Copy, T>(
    all: impl DoubleEndedIterator<Item = (K, T)>,
    cursor: Option<(K, bool)>,
    limit: usize,
    keep: impl Fn(&T) -> bool,
) -> (Vec<T>, bool) {
    let mut page: Vec<T> = match cursor {
        None => all.rev().filter(|(_, t)| keep(t)).take(limit + 1).map(|(_, t)| t).collect(),
        Some((at, true)) => {
            all.rev().filter(|(k, t)| *k < at && keep(t)).take(limit + 1).map(|(_, t)| t).collect()
        }
        Some((at, false)) => {
            all.filter(|(k, t)| *k > at && keep(t)).take(limit + 1).map(|(_, t)| t).collect()
        }
    };
    let has_more = page.len() > limit;
    page.truncate(limit);
    // Walking to newer objects gathers them oldest first; the page is still newest first.
    if matches!(cursor, Some((_, false))) {
        page.reverse();
    }
    (page, has_more)
}

#[cfg(test)]
mod tests {
    use super::newest_first;

    #[test]
    fn pages_are_newest_first_both_ways() {
        let items = || (1..=7).map(|k| (k, k));
        assert_eq!(newest_first(items(), None, 3, |_| true), (vec![7, 6, 5], true));
        assert_eq!(newest_first(items(), Some((5, true)), 3, |_| true), (vec![4, 3, 2], true));
        assert_eq!(newest_first(items(), Some((2, true)), 3, |_| true), (vec![1], false));
        assert_eq!(newest_first(items(), Some((2, false)), 3, |_| true), (vec![5, 4, 3], true));
        assert_eq!(newest_first(items(), Some((4, false)), 3, |t| t % 2 == 1), (vec![7, 5], false));
    }
}

//! Ordered maps and sets kept as sorted vectors.
//!
//! Most maps here are small (an object's labels, a pod's resources, the
//! names a command collects) and are built, read in order, and dropped.
//! A sorted vector iterates and looks up as a B-tree does, in the same
//! order, with less code per key and value type than even
//! [`crate::ordmap`]'s blocks. Inserting is linear, so large maps that
//! change often (the store's indexes, the scheduler's per-node tables) are
//! [`crate::ordmap::OrdMap`]s.

use std::borrow::Borrow;
use std::fmt;

/// A map ordered by key, as `BTreeMap`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VecMap<K, V> {
    items: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.items.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap { items: Vec::new() }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn clear(&mut self) {
        self.items.clear()
    }
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(self.items.iter())
    }
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(self.items.iter_mut())
    }
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.items.iter().map(|(k, _)| k)
    }
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.items.iter().map(|(_, v)| v)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.items.iter_mut().map(|(_, v)| v)
    }
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.items.into_iter().map(|(k, _)| k)
    }
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.items.into_iter().map(|(_, v)| v)
    }
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.items.first().map(|(k, v)| (k, v))
    }
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.items.last().map(|(k, v)| (k, v))
    }
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        (!self.items.is_empty()).then(|| self.items.remove(0))
    }
    pub fn pop_last(&mut self) -> Option<(K, V)> {
        self.items.pop()
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v))
    }
}

impl<K: Ord, V> VecMap<K, V> {
    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.items.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.items[i].1)
    }
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| {
            let (k, v) = &self.items[i];
            (k, v)
        })
    }
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(&mut self.items[i].1),
            Err(_) => None,
        }
    }
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        match self.find(key) {
            Ok(i) => Some(self.items.remove(i).1),
            Err(_) => None,
        }
    }
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.find(&key) {
            Ok(i) => Entry::Occupied(OccupiedEntry {
                map: self,
                index: i,
            }),
            Err(i) => Entry::Vacant(VacantEntry {
                map: self,
                index: i,
                key,
            }),
        }
    }
}

/// A place for a key in a map, as `btree_map::Entry`: occupied (`O`) or
/// vacant (`W`). [`VecMap`] and [`crate::ordmap::OrdMap`] share it.
pub enum MapEntry<O, W> {
    Occupied(O),
    Vacant(W),
}

/// A place in a [`VecMap`].
pub type Entry<'a, K, V> = MapEntry<OccupiedEntry<'a, K, V>, VacantEntry<'a, K, V>>;

/// What [`MapEntry`] needs of an occupied place.
pub trait Occupied<'a> {
    type K;
    type V: 'a;
    fn key(&self) -> &Self::K;
    fn get_mut(&mut self) -> &mut Self::V;
    fn into_mut(self) -> &'a mut Self::V;
}

/// What [`MapEntry`] needs of a vacant place.
pub trait Vacant<'a> {
    type K;
    type V: 'a;
    fn key(&self) -> &Self::K;
    fn insert(self, value: Self::V) -> &'a mut Self::V;
}

/// Both maps' entries give the traits their own methods.
macro_rules! entry_traits {
    () => {
        impl<'a, K, V> $crate::vecmap::Occupied<'a> for OccupiedEntry<'a, K, V> {
            type K = K;
            type V = V;
            fn key(&self) -> &K {
                OccupiedEntry::key(self)
            }
            fn get_mut(&mut self) -> &mut V {
                OccupiedEntry::get_mut(self)
            }
            fn into_mut(self) -> &'a mut V {
                OccupiedEntry::into_mut(self)
            }
        }
        impl<'a, K, V> $crate::vecmap::Vacant<'a> for VacantEntry<'a, K, V> {
            type K = K;
            type V = V;
            fn key(&self) -> &K {
                VacantEntry::key(self)
            }
            fn insert(self, value: V) -> &'a mut V {
                VacantEntry::insert(self, value)
            }
        }
    };
}
pub(crate) use entry_traits;

entry_traits!();

pub struct OccupiedEntry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    index: usize,
}

pub struct VacantEntry<'a, K, V> {
    map: &'a mut VecMap<K, V>,
    index: usize,
    key: K,
}

impl<'a, K, V> OccupiedEntry<'a, K, V> {
    pub fn get(&self) -> &V {
        &self.map.items[self.index].1
    }
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.map.items[self.index].1
    }
    pub fn into_mut(self) -> &'a mut V {
        &mut self.map.items[self.index].1
    }
    pub fn key(&self) -> &K {
        &self.map.items[self.index].0
    }
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }
    pub fn remove(self) -> V {
        self.map.items.remove(self.index).1
    }
}

impl<'a, K, V> VacantEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        &self.key
    }
    pub fn insert(self, value: V) -> &'a mut V {
        self.map.items.insert(self.index, (self.key, value));
        &mut self.map.items[self.index].1
    }
}

impl<'a, O: Occupied<'a>, W: Vacant<'a, K = O::K, V = O::V>> MapEntry<O, W> {
    pub fn or_insert(self, default: O::V) -> &'a mut O::V {
        self.or_insert_with(|| default)
    }
    pub fn or_insert_with(self, f: impl FnOnce() -> O::V) -> &'a mut O::V {
        match self {
            MapEntry::Occupied(o) => o.into_mut(),
            MapEntry::Vacant(v) => v.insert(f()),
        }
    }
    pub fn or_default(self) -> &'a mut O::V
    where
        O::V: Default,
    {
        self.or_insert_with(Default::default)
    }
    pub fn and_modify(mut self, f: impl FnOnce(&mut O::V)) -> Self {
        if let MapEntry::Occupied(o) = &mut self {
            f(o.get_mut());
        }
        self
    }
    pub fn key(&self) -> &O::K {
        match self {
            MapEntry::Occupied(o) => o.key(),
            MapEntry::Vacant(v) => v.key(),
        }
    }
}

/// The conversions and indexing an ordered map has, for [`VecMap`] and
/// [`crate::ordmap::OrdMap`]: indexing by key (a missing key panics, as
/// `BTreeMap`'s index does), extending and collecting by inserting one by
/// one (a later value for a key replaces an earlier one, as in
/// `BTreeMap`), and building from an array.
macro_rules! map_conversions {
    ($map:ident) => {
        impl<K: Ord, Q: Ord + ?Sized, V> std::ops::Index<&Q> for $map<K, V>
        where
            K: std::borrow::Borrow<Q>,
        {
            type Output = V;
            fn index(&self, key: &Q) -> &V {
                match self.get(key) {
                    Some(v) => v,
                    None => panic!("no entry found for key"),
                }
            }
        }

        impl<K: Ord, V> Extend<(K, V)> for $map<K, V> {
            fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
                for (k, v) in iter {
                    self.insert(k, v);
                }
            }
        }

        impl<K: Ord, V> FromIterator<(K, V)> for $map<K, V> {
            fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
                let mut m = $map::new();
                m.extend(iter);
                m
            }
        }

        impl<K: Ord, V, const N: usize> From<[(K, V); N]> for $map<K, V> {
            fn from(items: [(K, V); N]) -> Self {
                items.into_iter().collect()
            }
        }
    };
}
pub(crate) use map_conversions;

map_conversions!(VecMap);

/// The entries of a [`VecMap`] in key order.
#[derive(Clone)]
pub struct Iter<'a, K, V>(std::slice::Iter<'a, (K, V)>);

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

pub struct IterMut<'a, K, V>(std::slice::IterMut<'a, (K, V)>);

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for IterMut<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut VecMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A set ordered by value, as `BTreeSet`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VecSet<T> {
    items: Vec<T>,
}

impl<T> Default for VecSet<T> {
    fn default() -> Self {
        VecSet { items: Vec::new() }
    }
}

impl<T: fmt::Debug> fmt::Debug for VecSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.items.iter()).finish()
    }
}

impl<T> VecSet<T> {
    pub const fn new() -> Self {
        VecSet { items: Vec::new() }
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    pub fn clear(&mut self) {
        self.items.clear()
    }
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }
    pub fn first(&self) -> Option<&T> {
        self.items.first()
    }
    pub fn last(&self) -> Option<&T> {
        self.items.last()
    }
    pub fn pop_first(&mut self) -> Option<T> {
        (!self.items.is_empty()).then(|| self.items.remove(0))
    }
    pub fn pop_last(&mut self) -> Option<T> {
        self.items.pop()
    }
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.items.retain(keep)
    }
    /// The values in order, as a slice.
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }
}

impl<T: Ord> VecSet<T> {
    fn find<Q: Ord + ?Sized>(&self, value: &Q) -> Result<usize, usize>
    where
        T: Borrow<Q>,
    {
        self.items.binary_search_by(|v| v.borrow().cmp(value))
    }
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.find(value).is_ok()
    }
    pub fn get<Q: Ord + ?Sized>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
    {
        self.find(value).ok().map(|i| &self.items[i])
    }
    pub fn insert(&mut self, value: T) -> bool {
        match self.find(&value) {
            Ok(_) => false,
            Err(i) => {
                self.items.insert(i, value);
                true
            }
        }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        match self.find(value) {
            Ok(i) => {
                self.items.remove(i);
                true
            }
            Err(_) => false,
        }
    }
    pub fn is_subset(&self, other: &VecSet<T>) -> bool {
        self.items.iter().all(|v| other.contains(v))
    }
    pub fn is_superset(&self, other: &VecSet<T>) -> bool {
        other.is_subset(self)
    }
    /// Values in `self` but not in `other`, in order.
    pub fn difference<'a>(&'a self, other: &'a VecSet<T>) -> impl Iterator<Item = &'a T> + 'a {
        self.items.iter().filter(move |v| !other.contains(*v))
    }
    /// Values in both, in order.
    pub fn intersection<'a>(&'a self, other: &'a VecSet<T>) -> impl Iterator<Item = &'a T> + 'a {
        self.items.iter().filter(move |v| other.contains(*v))
    }
    /// Values in either, in order.
    pub fn union<'a>(&'a self, other: &'a VecSet<T>) -> impl Iterator<Item = &'a T> + 'a {
        let mut all: Vec<&T> = self.items.iter().chain(other.items.iter()).collect();
        crate::sort::sort_by(&mut all, |a, b| a.cmp(b));
        all.dedup();
        all.into_iter()
    }
}

/// Extending an ordered set (inserting one by one: of equal values the
/// one already there is kept, as in `BTreeSet`) and building one from an
/// array, for [`VecSet`] and [`crate::ordmap::OrdSet`].
macro_rules! set_conversions {
    ($set:ident) => {
        impl<T: Ord> Extend<T> for $set<T> {
            fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
                for v in iter {
                    self.insert(v);
                }
            }
        }

        impl<T: Ord, const N: usize> From<[T; N]> for $set<T> {
            fn from(items: [T; N]) -> Self {
                items.into_iter().collect()
            }
        }
    };
}
pub(crate) use set_conversions;

set_conversions!(VecSet);

impl<T: Ord> FromIterator<T> for VecSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        let mut s = VecSet::new();
        s.extend(it);
        s
    }
}

impl<'a, T> IntoIterator for &'a VecSet<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T> IntoIterator for VecSet<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vec_map_keeps_keys_in_order_like_a_btree_map() {
        let mut m = VecMap::new();
        let mut b = std::collections::BTreeMap::new();
        for (i, k) in [5, 3, 9, 3, 1, 7, 5].into_iter().enumerate() {
            assert_eq!(m.insert(k, i), b.insert(k, i));
        }
        *m.entry(4).or_default() += 10;
        *b.entry(4).or_default() += 10;
        *m.entry(9).or_insert(0) += 1;
        *b.entry(9).or_insert(0) += 1;
        assert_eq!(m.remove(&3), b.remove(&3));
        assert_eq!(m.remove(&3), None);
        assert!(m.iter().eq(b.iter()));
        assert_eq!(m.get(&7), b.get(&7));
        assert_eq!(m.pop_first(), b.pop_first());
        m.retain(|k, _| k % 2 == 1);
        b.retain(|k, _| k % 2 == 1);
        assert!(m.into_iter().eq(b));
    }

    #[test]
    fn a_vec_set_keeps_values_once_and_in_order() {
        let s: VecSet<&str> = ["b", "a", "c", "a"].into_iter().collect();
        assert_eq!(s.as_slice(), ["a", "b", "c"]);
        let t = VecSet::from(["c", "d"]);
        assert_eq!(s.difference(&t).copied().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(s.intersection(&t).copied().collect::<Vec<_>>(), ["c"]);
        assert_eq!(
            s.union(&t).copied().collect::<Vec<_>>(),
            ["a", "b", "c", "d"]
        );
    }
}

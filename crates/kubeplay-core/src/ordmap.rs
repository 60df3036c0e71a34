//! Ordered maps and sets of any size, kept as a list of sorted blocks.
//!
//! A map is a vector of blocks, each a sorted vector of at most [`CAP`]
//! entries, and every key of a block is less than every key of the next.
//! A lookup is a binary search over the blocks' last keys, then one inside
//! a block; an insert or a removal moves at most a block's entries (and
//! splits a full block in two, or joins two small ones). It iterates, looks
//! up and ranges as a B-tree does, in the same order.
//!
//! The standard B-tree is as fast, but the browser bundle carries a copy of
//! its code (node splits, merges, steals, cursors, clones) for every pair of
//! key and value types it is used with, several kilobytes each; these
//! blocks need little more than the code of a vector. Small maps that are
//! built once and read are [`crate::vecmap`]'s sorted vectors.

pub use crate::vecmap::MapEntry;
use std::borrow::Borrow;
use std::fmt;
use std::ops::{Bound, RangeBounds};

/// The most entries a block holds. A full block that gets one more is
/// split in two halves.
const CAP: usize = 64;

/// A map ordered by key, as `BTreeMap`.
#[derive(Clone)]
pub struct OrdMap<K, V> {
    /// Never an empty block.
    blocks: Vec<Vec<(K, V)>>,
    len: usize,
}

impl<K, V> Default for OrdMap<K, V> {
    fn default() -> Self {
        OrdMap::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for OrdMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal maps may be split into blocks differently: compare the entries.
impl<K: PartialEq, V: PartialEq> PartialEq for OrdMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}
impl<K: Eq, V: Eq> Eq for OrdMap<K, V> {}

/// A place in a map: a block and an index in it. `(blocks.len(), 0)` is the
/// end; any other place is an entry.
type Place = (usize, usize);

impl<K, V> OrdMap<K, V> {
    pub const fn new() -> Self {
        OrdMap {
            blocks: Vec::new(),
            len: 0,
        }
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.len = 0;
    }
    pub fn iter(&self) -> Iter<'_, K, V> {
        Counted {
            inner: Blocks::all(self.blocks.iter()),
            len: self.len,
        }
    }
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        Counted {
            inner: Blocks::all(self.blocks.iter_mut()),
            len: self.len,
        }
    }
    pub fn keys(&self) -> Keys<'_, K, V> {
        self.iter().map(key_of as fn(_) -> _)
    }
    pub fn values(&self) -> Values<'_, K, V> {
        self.iter().map(value_of as fn(_) -> _)
    }
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.iter_mut().map(|(_, v)| v)
    }
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = K> + ExactSizeIterator {
        self.into_iter().map(|(k, _)| k)
    }
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        let (k, v) = self.blocks.first()?.first()?;
        Some((k, v))
    }
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        let (k, v) = self.blocks.last()?.last()?;
        Some((k, v))
    }
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        self.take((0, 0))
    }
    pub fn first_entry(&mut self) -> Option<OccupiedEntry<'_, K, V>> {
        (!self.is_empty()).then_some(OccupiedEntry {
            map: self,
            at: (0, 0),
        })
    }
    pub fn pop_last(&mut self) -> Option<(K, V)> {
        let b = self.blocks.len().checked_sub(1)?;
        let i = self.blocks[b].len().checked_sub(1)?;
        self.take((b, i))
    }
    /// Keeps the entries `keep` says yes to, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        for b in &mut self.blocks {
            b.retain_mut(|(k, v)| keep(k, v));
        }
        self.repack();
    }

    /// Joins neighbouring blocks that fit in one, and drops empty ones.
    fn repack(&mut self) {
        let mut blocks: Vec<Vec<(K, V)>> = Vec::with_capacity(self.blocks.len());
        let mut len = 0;
        for b in self.blocks.drain(..) {
            len += b.len();
            match blocks.last_mut() {
                _ if b.is_empty() => {}
                Some(last) if last.len() + b.len() <= CAP => last.extend(b),
                _ => blocks.push(b),
            }
        }
        self.blocks = blocks;
        self.len = len;
    }

    /// Puts `kv` at `at` (where the search for its key ended), giving the
    /// place it ended up in.
    fn put(&mut self, (b, i): Place, kv: (K, V)) -> Place {
        self.len += 1;
        let Some(block) = self.blocks.get_mut(b) else {
            self.blocks.push(vec![kv]);
            return (self.blocks.len() - 1, 0);
        };
        if block.len() < CAP {
            block.insert(i, kv);
            return (b, i);
        }
        let mut tail = Vec::with_capacity(CAP);
        tail.extend(block.drain(CAP / 2..));
        let at = if i <= CAP / 2 {
            block.insert(i, kv);
            (b, i)
        } else {
            tail.insert(i - CAP / 2, kv);
            (b + 1, i - CAP / 2)
        };
        self.blocks.insert(b + 1, tail);
        at
    }

    /// Takes the entry at `(b, i)` out, joining its block with a neighbour
    /// when both fit in half a block.
    fn take(&mut self, (b, i): Place) -> Option<(K, V)> {
        let block = self.blocks.get_mut(b)?;
        if i >= block.len() {
            return None;
        }
        let kv = block.remove(i);
        self.len -= 1;
        if block.is_empty() {
            self.blocks.remove(b);
        } else if block.len() < CAP / 4 {
            self.join(b);
            if b > 0 {
                self.join(b - 1);
            }
        }
        Some(kv)
    }

    /// Moves block `b + 1` into block `b` if they fit in half a block.
    fn join(&mut self, b: usize) {
        let fits = match (self.blocks.get(b), self.blocks.get(b + 1)) {
            (Some(x), Some(y)) => x.len() + y.len() <= CAP / 2,
            _ => false,
        };
        if fits {
            let next = self.blocks.remove(b + 1);
            self.blocks[b].extend(next);
        }
    }

    fn at(&self, (b, i): Place) -> Option<&(K, V)> {
        self.blocks.get(b)?.get(i)
    }
    fn at_mut(&mut self, (b, i): Place) -> Option<&mut (K, V)> {
        self.blocks.get_mut(b)?.get_mut(i)
    }
}

impl<K: Ord, V> OrdMap<K, V> {
    /// The first place whose key is not less than `q` (or, if `past`, is
    /// greater than `q`), and whether the key there is `q`.
    fn search<Q: Ord + ?Sized>(&self, q: &Q, past: bool) -> (Place, bool)
    where
        K: Borrow<Q>,
    {
        let blocks = &self.blocks;
        search(
            blocks.len(),
            &|b| blocks[b].len(),
            &|b, i| blocks[b][i].0.borrow().cmp(q),
            past,
        )
    }

    fn bound<Q: Ord + ?Sized>(&self, q: &Q, past: bool) -> Place
    where
        K: Borrow<Q>,
    {
        self.search(q, past).0
    }

    /// Where `q` is, or where it would go.
    fn find<Q: Ord + ?Sized>(&self, q: &Q) -> Result<Place, Place>
    where
        K: Borrow<Q>,
    {
        match self.search(q, false) {
            (at, true) => Ok(at),
            // past the last key: the end of the last block
            ((b, _), false) if b == self.blocks.len() && b > 0 => {
                Err((b - 1, self.blocks[b - 1].len()))
            }
            (at, false) => Err(at),
        }
    }

    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }
    pub fn get_key_value<Q: Ord + ?Sized>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
    {
        let (k, v) = self.at(self.find(key).ok()?)?;
        Some((k, v))
    }
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        let at = self.find(key).ok()?;
        self.at_mut(at).map(|(_, v)| v)
    }
    pub fn contains_key<Q: Ord + ?Sized>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
    {
        self.find(key).is_ok()
    }
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(at) => self.at_mut(at).map(|e| std::mem::replace(&mut e.1, value)),
            Err(at) => {
                self.put(at, (key, value));
                None
            }
        }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }
    pub fn remove_entry<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
    {
        let at = self.find(key).ok()?;
        self.take(at)
    }
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        match self.find(&key) {
            Ok(at) => MapEntry::Occupied(OccupiedEntry { map: self, at }),
            Err(at) => MapEntry::Vacant(VacantEntry { map: self, key, at }),
        }
    }
    /// The entries with keys in `range`, in order. A range whose start is
    /// past its end is empty.
    pub fn range<Q: Ord + ?Sized, R: RangeBounds<Q>>(&self, range: R) -> Range<'_, K, V>
    where
        K: Borrow<Q>,
    {
        let from = match range.start_bound() {
            Bound::Included(q) => self.bound(q, false),
            Bound::Excluded(q) => self.bound(q, true),
            Bound::Unbounded => (0, 0),
        };
        let to = match range.end_bound() {
            Bound::Included(q) => self.bound(q, true),
            Bound::Excluded(q) => self.bound(q, false),
            Bound::Unbounded => (self.blocks.len(), 0),
        };
        between(&self.blocks, from, to)
    }
}

/// The binary search behind every lookup, compiled once for all key and
/// value types (in the browser build; natively it is inlined into each
/// caller, where its closures are too): `len(b)` is the length of block
/// `b`, and `cmp(b, i)` orders the key of entry `i` of block `b` against
/// the key sought. The first place whose key is not less than it (or, if
/// `past`, greater), and whether the key there equals it.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn search(
    blocks: usize,
    len: &dyn Fn(usize) -> usize,
    cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering,
    past: bool,
) -> (Place, bool) {
    use std::cmp::Ordering::{Equal, Less};
    let before = |o| o == Less || (past && o == Equal);
    // the first block whose last key is not before the key sought
    let (mut lo, mut hi) = (0, blocks);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let n = len(mid);
        if n > 0 && before(cmp(mid, n - 1)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo == blocks {
        return ((blocks, 0), false);
    }
    let n = len(lo);
    let (mut a, mut z) = (0, n);
    while a < z {
        let m = a + (z - a) / 2;
        if before(cmp(lo, m)) {
            a = m + 1;
        } else {
            z = m;
        }
    }
    ((lo, a), a < n && cmp(lo, a) == Equal)
}

/// A place in an [`OrdMap`] for a key, as `btree_map::Entry`.
pub type Entry<'a, K, V> = MapEntry<OccupiedEntry<'a, K, V>, VacantEntry<'a, K, V>>;

crate::vecmap::entry_traits!();

pub struct OccupiedEntry<'a, K, V> {
    map: &'a mut OrdMap<K, V>,
    at: Place,
}

pub struct VacantEntry<'a, K, V> {
    map: &'a mut OrdMap<K, V>,
    key: K,
    at: Place,
}

impl<'a, K, V> OccupiedEntry<'a, K, V> {
    fn entry(&self) -> &(K, V) {
        let (b, i) = self.at;
        &self.map.blocks[b][i]
    }
    fn entry_mut(&mut self) -> &mut (K, V) {
        let (b, i) = self.at;
        &mut self.map.blocks[b][i]
    }
    pub fn key(&self) -> &K {
        &self.entry().0
    }
    pub fn get(&self) -> &V {
        &self.entry().1
    }
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.entry_mut().1
    }
    pub fn into_mut(self) -> &'a mut V {
        let (b, i) = self.at;
        &mut self.map.blocks[b][i].1
    }
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }
    pub fn remove(self) -> V {
        self.remove_entry().1
    }
    pub fn remove_entry(self) -> (K, V) {
        match self.map.take(self.at) {
            Some(kv) => kv,
            None => unreachable!("an occupied entry's place holds an entry"),
        }
    }
}

impl<'a, K, V> VacantEntry<'a, K, V> {
    pub fn key(&self) -> &K {
        &self.key
    }
    pub fn insert(self, value: V) -> &'a mut V {
        let (b, i) = self.map.put(self.at, (self.key, value));
        &mut self.map.blocks[b][i].1
    }
}

crate::vecmap::map_conversions!(OrdMap);

/// The entries of a run of blocks, in order: the rest of the first block
/// (`front`), the whole blocks between, and the start of the last (`back`).
/// One walk serves the map's borrowing, mutable and owning iterators.
#[derive(Clone)]
pub struct Blocks<B, I> {
    blocks: B,
    front: I,
    back: I,
}

/// An entry as a block gives it, split as the map's iterators give it.
pub trait Split {
    type Out;
    fn split(self) -> Self::Out;
}

impl<'a, K, V> Split for &'a (K, V) {
    type Out = (&'a K, &'a V);
    fn split(self) -> Self::Out {
        (&self.0, &self.1)
    }
}

impl<'a, K, V> Split for &'a mut (K, V) {
    type Out = (&'a K, &'a mut V);
    fn split(self) -> Self::Out {
        (&self.0, &mut self.1)
    }
}

impl<K, V> Split for (K, V) {
    type Out = (K, V);
    fn split(self) -> Self::Out {
        self
    }
}

impl<B: Iterator, I: Default> Blocks<B, I> {
    /// All the entries of `blocks`.
    fn all(blocks: B) -> Self {
        Blocks {
            blocks,
            front: I::default(),
            back: I::default(),
        }
    }
}

impl<B, I> Iterator for Blocks<B, I>
where
    B: Iterator,
    B::Item: IntoIterator<IntoIter = I>,
    I: Iterator,
    I::Item: Split,
{
    type Item = <I::Item as Split>::Out;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.front.next() {
                return Some(e.split());
            }
            match self.blocks.next() {
                Some(b) => self.front = b.into_iter(),
                None => return self.back.next().map(Split::split),
            }
        }
    }
}

impl<B, I> DoubleEndedIterator for Blocks<B, I>
where
    B: DoubleEndedIterator,
    B::Item: IntoIterator<IntoIter = I>,
    I: DoubleEndedIterator,
    I::Item: Split,
{
    fn next_back(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.back.next_back() {
                return Some(e.split());
            }
            match self.blocks.next_back() {
                Some(b) => self.back = b.into_iter(),
                None => return self.front.next_back().map(Split::split),
            }
        }
    }
}

/// An iterator over a whole map, which knows how many entries are left.
#[derive(Clone)]
pub struct Counted<I> {
    inner: I,
    len: usize,
}

impl<I: Iterator> Iterator for Counted<I> {
    type Item = I::Item;
    fn next(&mut self) -> Option<I::Item> {
        let e = self.inner.next()?;
        self.len -= 1;
        Some(e)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<I: DoubleEndedIterator> DoubleEndedIterator for Counted<I> {
    fn next_back(&mut self) -> Option<I::Item> {
        let e = self.inner.next_back()?;
        self.len -= 1;
        Some(e)
    }
}

impl<I: Iterator> ExactSizeIterator for Counted<I> {}

/// Some of a map's entries, in order.
pub type Range<'a, K, V> = Blocks<std::slice::Iter<'a, Vec<(K, V)>>, std::slice::Iter<'a, (K, V)>>;
/// All of a map's entries, in order.
pub type Iter<'a, K, V> = Counted<Range<'a, K, V>>;
/// All of a map's entries in order, values mutable.
pub type IterMut<'a, K, V> =
    Counted<Blocks<std::slice::IterMut<'a, Vec<(K, V)>>, std::slice::IterMut<'a, (K, V)>>>;
/// A map's entries, taken out in order.
pub type IntoIter<K, V> =
    Counted<Blocks<std::vec::IntoIter<Vec<(K, V)>>, std::vec::IntoIter<(K, V)>>>;

/// The entries between two places: the rest of the first block, the
/// whole blocks between, and the start of the last.
fn between<K, V>(blocks: &[Vec<(K, V)>], from: Place, to: Place) -> Range<'_, K, V> {
    if from >= to {
        return Blocks::all([].iter());
    }
    let ((b0, i0), (b1, i1)) = (from, to);
    let slice = |b: usize, lo: usize, hi: Option<usize>| {
        let block = blocks.get(b).map_or(&[][..], |v| &v[..]);
        let hi = hi.unwrap_or(block.len()).min(block.len());
        block.get(lo.min(hi)..hi).unwrap_or_default().iter()
    };
    if b0 == b1 {
        return Blocks {
            front: slice(b0, i0, Some(i1)),
            ..Blocks::all([].iter())
        };
    }
    Blocks {
        front: slice(b0, i0, None),
        blocks: blocks.get(b0 + 1..b1).unwrap_or_default().iter(),
        back: slice(b1, 0, Some(i1)),
    }
}

impl<'a, K, V> IntoIterator for &'a OrdMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<'a, K, V> IntoIterator for &'a mut OrdMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;
    fn into_iter(self) -> IterMut<'a, K, V> {
        self.iter_mut()
    }
}

impl<K, V> IntoIterator for OrdMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;
    fn into_iter(self) -> IntoIter<K, V> {
        Counted {
            inner: Blocks::all(self.blocks.into_iter()),
            len: self.len,
        }
    }
}

/// A set ordered by value, as `BTreeSet`: a map to nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct OrdSet<T> {
    map: OrdMap<T, ()>,
}

impl<T> Default for OrdSet<T> {
    fn default() -> Self {
        OrdSet::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for OrdSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// The key of an entry.
fn key_of<K>((k, _): (K, impl Sized)) -> K {
    k
}

/// The value of an entry.
fn value_of<V>((_, v): (impl Sized, V)) -> V {
    v
}

/// A map's keys in order.
pub type Keys<'a, K, V> = std::iter::Map<Iter<'a, K, V>, fn((&'a K, &'a V)) -> &'a K>;
/// A map's values in key order.
pub type Values<'a, K, V> = std::iter::Map<Iter<'a, K, V>, fn((&'a K, &'a V)) -> &'a V>;

/// A set's values in order.
pub type SetIter<'a, T> = std::iter::Map<Iter<'a, T, ()>, fn((&'a T, &'a ())) -> &'a T>;
/// Some of a set's values in order.
pub type SetRange<'a, T> = std::iter::Map<Range<'a, T, ()>, fn((&'a T, &'a ())) -> &'a T>;

impl<T> OrdSet<T> {
    pub const fn new() -> Self {
        OrdSet { map: OrdMap::new() }
    }
    pub fn len(&self) -> usize {
        self.map.len()
    }
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    pub fn clear(&mut self) {
        self.map.clear()
    }
    pub fn iter(&self) -> SetIter<'_, T> {
        self.map.iter().map(key_of as fn(_) -> _)
    }
    pub fn first(&self) -> Option<&T> {
        self.map.first_key_value().map(|(k, _)| k)
    }
    pub fn last(&self) -> Option<&T> {
        self.map.last_key_value().map(|(k, _)| k)
    }
    pub fn pop_first(&mut self) -> Option<T> {
        self.map.pop_first().map(|(k, _)| k)
    }
    pub fn pop_last(&mut self) -> Option<T> {
        self.map.pop_last().map(|(k, _)| k)
    }
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.map.retain(|k, _| keep(k))
    }
}

impl<T: Ord> OrdSet<T> {
    /// Adds `value`; false if it was there already (and is kept).
    pub fn insert(&mut self, value: T) -> bool {
        match self.map.entry(value) {
            MapEntry::Occupied(_) => false,
            MapEntry::Vacant(v) => {
                v.insert(());
                true
            }
        }
    }
    pub fn remove<Q: Ord + ?Sized>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.remove(value).is_some()
    }
    pub fn take<Q: Ord + ?Sized>(&mut self, value: &Q) -> Option<T>
    where
        T: Borrow<Q>,
    {
        self.map.remove_entry(value).map(|(k, _)| k)
    }
    pub fn contains<Q: Ord + ?Sized>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
    {
        self.map.contains_key(value)
    }
    pub fn get<Q: Ord + ?Sized>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
    {
        self.map.get_key_value(value).map(|(k, _)| k)
    }
    /// The values also in `other`, in order.
    pub fn intersection<'a>(&'a self, other: &'a OrdSet<T>) -> impl Iterator<Item = &'a T> + 'a {
        self.iter().filter(move |v| other.contains(*v))
    }
    pub fn range<Q: Ord + ?Sized, R: RangeBounds<Q>>(&self, range: R) -> SetRange<'_, T>
    where
        T: Borrow<Q>,
    {
        self.map.range(range).map(key_of as fn(_) -> _)
    }
}

crate::vecmap::set_conversions!(OrdSet);

/// Inserts the items one by one; of equal items the last is kept, as
/// `BTreeSet`'s `collect` keeps it (its `extend` keeps the first).
impl<T: Ord> FromIterator<T> for OrdSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut s = OrdSet::new();
        for v in iter {
            match s.map.find(&v) {
                Ok(at) => {
                    if let Some(e) = s.map.at_mut(at) {
                        e.0 = v;
                    }
                }
                Err(at) => {
                    s.map.put(at, (v, ()));
                }
            }
        }
        s
    }
}

impl<'a, T> IntoIterator for &'a OrdSet<T> {
    type Item = &'a T;
    type IntoIter = SetIter<'a, T>;
    fn into_iter(self) -> SetIter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for OrdSet<T> {
    type Item = T;
    type IntoIter = std::iter::Map<IntoIter<T, ()>, fn((T, ())) -> T>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter().map(key_of as fn(_) -> _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every read a map has, against the standard B-tree's.
    fn same(m: &OrdMap<u32, u32>, want: &BTreeMap<u32, u32>, rng: &mut Rng) {
        assert_eq!(m.len(), want.len());
        assert!(m.iter().eq(want.iter()));
        assert!(m.iter().rev().eq(want.iter().rev()));
        assert_eq!(m.iter().len(), want.len());
        assert_eq!(m.first_key_value(), want.first_key_value());
        assert_eq!(m.last_key_value(), want.last_key_value());
        assert!(m.blocks.iter().all(|b| !b.is_empty() && b.len() <= CAP));
        for _ in 0..20 {
            let (a, b) = (rng.below(600), rng.below(600));
            assert_eq!(m.get(&a), want.get(&a));
            assert!(m.range(a..).eq(want.range(a..)));
            assert!(m.range(..=a).rev().eq(want.range(..=a).rev()));
            let (lo, hi) = (a.min(b), a.max(b));
            assert!(m.range(lo..hi).eq(want.range(lo..hi)));
            assert!(m.range(lo..=hi).rev().eq(want.range(lo..=hi).rev()));
            let ex = (Bound::Excluded(lo), Bound::Included(hi));
            assert!(m.range(ex).eq(want.range(ex)));
            // both ends, taken alternately
            let mut r = m.range(lo..=hi);
            let mut w = want.range(lo..=hi);
            loop {
                let (x, y) = (r.next(), w.next());
                assert_eq!(x, y);
                let (x2, y2) = (r.next_back(), w.next_back());
                assert_eq!(x2, y2);
                if x.is_none() && x2.is_none() {
                    break;
                }
            }
        }
    }

    /// Random inserts, removals, entries, pops and retains, over many seeds
    /// and sizes, give what the standard B-tree gives at every step.
    #[test]
    fn an_ordmap_behaves_as_a_btreemap() {
        for seed in 0..60 {
            let mut rng = Rng::new(seed);
            let mut m = OrdMap::new();
            let mut want = BTreeMap::new();
            let span = [8, 100, 600][seed as usize % 3];
            for step in 0..1500u32 {
                let k = rng.below(span);
                match rng.below(10) {
                    0..=3 => assert_eq!(m.insert(k, step), want.insert(k, step)),
                    4..=5 => assert_eq!(m.remove(&k), want.remove(&k)),
                    6 => {
                        *m.entry(k).or_default() += 1;
                        *want.entry(k).or_default() += 1;
                    }
                    7 => match (m.entry(k), want.entry(k)) {
                        (
                            MapEntry::Occupied(o),
                            std::collections::btree_map::Entry::Occupied(w),
                        ) => {
                            assert_eq!(o.remove_entry(), w.remove_entry())
                        }
                        (MapEntry::Vacant(v), std::collections::btree_map::Entry::Vacant(w)) => {
                            v.insert(step);
                            w.insert(step);
                        }
                        _ => panic!("entry {k} differs"),
                    },
                    8 if step % 50 == 0 => {
                        m.retain(|k, v| (k + *v) % 3 != 0);
                        want.retain(|k, v| (k + *v) % 3 != 0);
                    }
                    8 => assert_eq!(m.pop_first(), want.pop_first()),
                    _ => {
                        assert_eq!(m.pop_last(), want.pop_last());
                        for (_, v) in m.iter_mut().rev().take(3) {
                            *v += 7;
                        }
                        for (_, v) in want.iter_mut().rev().take(3) {
                            *v += 7;
                        }
                    }
                }
                if step % 97 == 0 {
                    same(&m, &want, &mut rng);
                }
            }
            same(&m, &want, &mut rng);
            assert!(m.clone().into_iter().eq(want.clone()));
            assert!(m
                .clone()
                .into_iter()
                .rev()
                .eq(want.clone().into_iter().rev()));
            assert!(m
                .values_mut()
                .rev()
                .map(|v| *v)
                .eq(want.values().rev().copied()));
        }
    }

    #[test]
    fn equal_maps_built_differently_are_equal() {
        let up: OrdMap<u32, ()> = (0..500).map(|k| (k, ())).collect();
        let mut down: OrdMap<u32, ()> = (0..1000).rev().map(|k| (k, ())).collect();
        down.retain(|k, _| *k < 500);
        assert_ne!(up.blocks.len(), 0);
        assert_eq!(up, down);
        assert_ne!(up, OrdMap::new());
    }

    #[test]
    fn a_set_keeps_the_first_of_equal_values_as_btreeset_does() {
        #[derive(Debug, Clone)]
        struct E(u8, &'static str);
        impl PartialEq for E {
            fn eq(&self, o: &Self) -> bool {
                self.0 == o.0
            }
        }
        impl Eq for E {}
        impl PartialOrd for E {
            fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(o))
            }
        }
        impl Ord for E {
            fn cmp(&self, o: &Self) -> std::cmp::Ordering {
                self.0.cmp(&o.0)
            }
        }
        let items = [E(2, "a"), E(1, "b"), E(2, "c")];
        let s: OrdSet<E> = items.clone().into_iter().collect();
        let want: BTreeSet<E> = items.into_iter().collect();
        let names = |i: Vec<&E>| i.iter().map(|e| e.1).collect::<Vec<_>>();
        assert_eq!(names(s.iter().collect()), names(want.iter().collect()));
        let mut s2 = s.clone();
        assert!(!s2.insert(E(1, "z")));
        assert_eq!(s2.get(&E(1, "")).map(|e| e.1), Some("b"));
        let mut w2 = want.clone();
        w2.extend([E(1, "y")]);
        s2.extend([E(1, "y")]);
        assert_eq!(names(s2.iter().collect()), names(w2.iter().collect()));
        assert!(s2.remove(&E(1, "")));
        assert!(s2.range(E(0, "")..).map(|e| e.1).eq(["c"]));
    }
}

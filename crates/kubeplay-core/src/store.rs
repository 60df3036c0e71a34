//! The object store: one ordered map per kind, keyed by (namespace, name).
//! Cluster-scoped kinds use an empty namespace.

use crate::api::*;
use crate::ordmap::{OrdMap, OrdSet};
use std::cmp::Ordering;
use std::ops::Bound;

/// (namespace, name); namespace is "" for cluster-scoped objects.
///
/// Both are [`Name`]s: a name of up to 23 bytes (nearly every name) is kept
/// inside the key, so searching a map compares bytes next to each other
/// instead of following a pointer per key.
pub type ObjKey = (Name, Name);

/// A namespace or name in an [`ObjKey`]: ordered, compared and hashed as
/// its text, eight bytes at a time.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Name(smol_str::SmolStr);

/// Hashed as its text, so that a map keyed by `Name` is searched with a
/// `&str` (and an [`ObjKey`] with a [`KeyRef`]).
impl std::hash::Hash for Name {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl Name {
    pub fn new(s: &str) -> Name {
        Name(smol_str::SmolStr::new(s))
    }
    /// A name for static text: never allocates, however long.
    pub const fn new_static(s: &'static str) -> Name {
        Name(smol_str::SmolStr::new_static(s))
    }
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_text(self.as_str(), other.as_str())
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(smol_str::SmolStr::from(s))
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        self == other.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::new(s)
    }
}

/// Serialized and decoded as a string, so output and decode errors are
/// those of a `String` field.
impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        <String as serde::Deserialize>::deserialize(d).map(Name::from)
    }
}

/// `a.cmp(b)` for text, as `str` orders it (byte by byte, then the shorter
/// first), eight bytes at a time: keys are short, and a map search makes
/// many comparisons.
///
/// The bytes both texts have are compared in words of eight; the last word
/// ends at the shorter length (overlapping the one before it), and text
/// shorter than eight bytes is read as one zero-padded word, so no byte is
/// looked at alone. The first byte that differs is found from the lowest set
/// bit of the two words' difference, which needs no byte swap, in wasm
/// either.
pub fn cmp_text(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    let (x, y) = match (a[..n].last_chunk::<8>(), b[..n].last_chunk::<8>()) {
        (Some(x_last), Some(y_last)) => {
            // Whole words before the last one: those ending before `n`.
            let ahead = a[..n - 1].chunks_exact(8).zip(b[..n - 1].chunks_exact(8));
            for (x, y) in ahead {
                let (x, y) = (word(x), word(y));
                if x != y {
                    return cmp_words(x, y);
                }
            }
            (u64::from_le_bytes(*x_last), u64::from_le_bytes(*y_last))
        }
        _ => (short_word(&a[..n]), short_word(&b[..n])),
    };
    if x != y {
        return cmp_words(x, y);
    }
    a.len().cmp(&b.len())
}

/// The first eight bytes of `s` (which has at least eight), first byte
/// lowest.
#[inline(always)]
fn word(s: &[u8]) -> u64 {
    match s.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => 0,
    }
}

/// `s` (under eight bytes) as a word, first byte lowest, zero above: read
/// as two overlapping halves (4 + 4, 2 + 2 or 1 + 1 + 1 bytes), whose
/// shared bytes are the same in both.
#[inline(always)]
fn short_word(s: &[u8]) -> u64 {
    let n = s.len();
    if n >= 4 {
        let lo = u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as u64;
        let hi = u32::from_le_bytes([s[n - 4], s[n - 3], s[n - 2], s[n - 1]]) as u64;
        lo | hi << ((n - 4) * 8)
    } else if n > 0 {
        s[0] as u64 | (s[n / 2] as u64) << (n / 2 * 8) | (s[n - 1] as u64) << ((n - 1) * 8)
    } else {
        0
    }
}

/// How two different words compare as the bytes they hold, first byte
/// lowest: by the lowest byte in which they differ.
#[inline(always)]
fn cmp_words(x: u64, y: u64) -> Ordering {
    let shift = (x ^ y).trailing_zeros() & !7;
    ((x >> shift) as u8).cmp(&((y >> shift) as u8))
}

pub fn key(ns: &str, name: &str) -> ObjKey {
    (Name::new(ns), Name::new(name))
}

/// A (namespace, name) pair, owned or borrowed: a map keyed by [`ObjKey`]
/// is searched with `(ns, name)` through [`at`] without building a key.
pub trait KeyRef {
    fn ns(&self) -> &str;
    fn name(&self) -> &str;
}

impl KeyRef for ObjKey {
    fn ns(&self) -> &str {
        &self.0
    }
    fn name(&self) -> &str {
        &self.1
    }
}

impl KeyRef for (&str, &str) {
    fn ns(&self) -> &str {
        self.0
    }
    fn name(&self) -> &str {
        self.1
    }
}

impl<'a> std::borrow::Borrow<dyn KeyRef + 'a> for ObjKey {
    fn borrow(&self) -> &(dyn KeyRef + 'a) {
        self
    }
}

// Ordered as the tuple is: namespace, then name.
impl PartialEq for dyn KeyRef + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.ns() == other.ns() && self.name() == other.name()
    }
}
impl Eq for dyn KeyRef + '_ {}
// Hashed as the tuple of `Name`s is.
impl std::hash::Hash for dyn KeyRef + '_ {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.ns().hash(h);
        self.name().hash(h);
    }
}
impl PartialOrd for dyn KeyRef + '_ {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for dyn KeyRef + '_ {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        cmp_text(self.ns(), other.ns()).then_with(|| cmp_text(self.name(), other.name()))
    }
}

/// The entries of a map keyed by [`ObjKey`] in one namespace, in key order.
pub fn in_ns<'a, V>(
    map: &'a OrdMap<ObjKey, V>,
    ns: &'a str,
) -> impl Iterator<Item = (&'a ObjKey, &'a V)> + 'a {
    map.range::<dyn KeyRef, _>(from_ns(&(ns, "")))
        .take_while(move |(k, _)| k.0 == ns)
}

/// The keys from `(ns, "")` on: the first of namespace `ns`.
fn from_ns<'a>(
    start: &'a (&'a str, &'a str),
) -> (Bound<&'a (dyn KeyRef + 'a)>, Bound<&'a (dyn KeyRef + 'a)>) {
    (Bound::Included(at(start)), Bound::Unbounded)
}

/// `(ns, name)` as a key to look up in a map keyed by [`ObjKey`].
pub fn at<'a>(k: &'a (&'a str, &'a str)) -> &'a (dyn KeyRef + 'a) {
    k
}

/// One kind's objects by key. Each object is boxed in a slot, and the
/// tree orders the keys with the slot of each: inserting, removing and
/// splitting a tree node moves keys and slot numbers, not objects of 300
/// to 1,400 bytes, and the maps of every kind share one tree layout. A map
/// made [`ObjMap::hashed`] also finds a key through a hash table, a probe
/// or two instead of a dozen or more comparisons of namespace and name
/// (for the kinds with thousands of objects that are looked up by key at
/// every step: pods, nodes, the kubelets' runtimes). The table is never
/// iterated: every walk goes through the tree, in key order. Reads give
/// the objects themselves, as a map of objects would.
#[derive(Clone)]
pub struct ObjMap<T> {
    index: SlotIndex,
    slots: Vec<Option<Box<T>>>,
}

/// An [`ObjMap`]'s keys and the slot of each: all of the map but the
/// objects, so that its code is compiled once rather than once per kind.
#[derive(Clone, Default)]
struct SlotIndex {
    tree: BTreeMap<ObjKey, u32>,
    /// Slots emptied by removals, taken again first.
    free: Vec<u32>,
    /// Whether the map keeps the table once it holds more than
    /// [`HASH_FROM`] keys.
    hashed: bool,
    hash: Option<HashMap<ObjKey, u32, BuildHasherDefault<KeyHash>>>,
}

impl SlotIndex {
    fn new(hashed: bool) -> Self {
        SlotIndex {
            hashed,
            ..SlotIndex::default()
        }
    }
    #[inline(never)]
    fn key_value<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> Option<(&ObjKey, u32)>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        let (k, i) = match &self.hash {
            Some(h) => h.get_key_value(k)?,
            None => self.tree.get_key_value(k)?,
        };
        Some((k, *i))
    }
    fn slot_of<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> Option<u32>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        self.key_value(k).map(|(_, i)| i)
    }
    /// The slot of `k`: `Ok` with the one it has, or `Err` with the one it
    /// is given (an emptied slot, or `next`, a new one at the end).
    #[inline(never)]
    fn place(&mut self, k: ObjKey, next: usize) -> Result<u32, u32> {
        let free = &mut self.free;
        let mut take = || {
            free.pop()
                .unwrap_or(u32::try_from(next).unwrap_or(u32::MAX))
        };
        match &mut self.hash {
            Some(h) => match h.entry(k) {
                hash_map::Entry::Occupied(e) => Ok(*e.get()),
                hash_map::Entry::Vacant(e) => {
                    let i = take();
                    self.tree.insert(e.key().clone(), i);
                    e.insert(i);
                    Err(i)
                }
            },
            None => {
                let i = match self.tree.entry(k) {
                    btree_map::Entry::Occupied(e) => return Ok(*e.get()),
                    btree_map::Entry::Vacant(e) => *e.insert(take()),
                };
                if self.hashed && self.tree.len() > HASH_FROM {
                    self.hash = Some(self.tree.iter().map(|(k, &i)| (k.clone(), i)).collect());
                }
                Err(i)
            }
        }
    }
    /// Takes `k` out, freeing its slot (given back).
    #[inline(never)]
    fn remove<Q: Ord + Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<u32>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        let i = self.tree.remove(k)?;
        if let Some(h) = &mut self.hash {
            h.remove(k);
        }
        self.free.push(i);
        Some(i)
    }
    /// Keeps the keys `keep` says yes to (given each key's slot), freeing
    /// the slots of the others.
    fn retain(&mut self, mut keep: impl FnMut(&ObjKey, u32) -> bool) {
        let (free, hash) = (&mut self.free, &mut self.hash);
        self.tree.retain(|k, i| {
            if keep(k, *i) {
                return true;
            }
            free.push(*i);
            if let Some(h) = hash {
                h.remove(k);
            }
            false
        });
    }
}

/// The hash of a key for an [`ObjMap`]'s table: [`WordHash`]'s steps, and
/// a last rotation so that the low bits the table indexes by depend on
/// every byte.
///
/// [`WordHash`]: crate::rng::WordHash
#[derive(Default)]
pub struct KeyHash(crate::rng::WordHash);

impl std::hash::Hasher for KeyHash {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write_bytes(bytes);
    }
    /// Text ends with a `0xff` written alone, which adds nothing to
    /// [`crate::rng::WordHash::write_bytes`]'s length.
    fn write_u8(&mut self, _: u8) {}
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i);
    }
    fn finish(&self) -> u64 {
        self.0.finish().rotate_left(26)
    }
}

impl<T> Default for ObjMap<T> {
    fn default() -> Self {
        ObjMap {
            index: SlotIndex::default(),
            slots: Vec::new(),
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ObjMap<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

use std::collections::{btree_map, hash_map, BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash};

/// Up to this many keys a hashed map has no table: a few comparisons cost
/// less than hashing the key, and inserts and removals keep one tree.
const HASH_FROM: usize = 64;

/// Puts `v` in slot `i` in place of the object there (no new box), giving
/// that back.
fn replace_in<T>(slots: &mut [Option<Box<T>>], i: u32, v: T) -> Option<T> {
    match slots.get_mut(i as usize) {
        Some(Some(old)) => Some(std::mem::replace(&mut **old, v)),
        Some(empty) => {
            *empty = Some(Box::new(v));
            None
        }
        None => None,
    }
}

/// Puts `v` in slot `i`, a new one if `i` is past the end.
fn fill<T>(slots: &mut Vec<Option<Box<T>>>, i: u32, v: T) {
    match slots.get_mut(i as usize) {
        Some(s) => *s = Some(Box::new(v)),
        None => slots.push(Some(Box::new(v))),
    }
}

/// Empties slot `i`, giving back its object.
fn empty<T>(slots: &mut [Option<Box<T>>], i: u32) -> Option<T> {
    slots.get_mut(i as usize).and_then(Option::take).map(|b| *b)
}

/// The object in slot `i`.
#[inline]
fn slot<T>(slots: &[Option<Box<T>>], i: u32) -> Option<&T> {
    slots.get(i as usize).and_then(|s| s.as_deref())
}

/// An [`ObjMap`]'s iterators: they give the objects, not their slots.
macro_rules! slot_iter {
    ($name:ident, $inner:ident, $item:ty, |$k:ident, $v:ident| $out:expr) => {
        pub struct $name<'a, T>(btree_map::$inner<'a, ObjKey, u32>, &'a [Option<Box<T>>]);

        impl<'a, T> Iterator for $name<'a, T> {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<$item> {
                loop {
                    let ($k, i) = self.0.next()?;
                    if let Some($v) = slot(self.1, *i) {
                        return Some($out);
                    }
                }
            }
            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl<'a, T> DoubleEndedIterator for $name<'a, T> {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                loop {
                    let ($k, i) = self.0.next_back()?;
                    if let Some($v) = slot(self.1, *i) {
                        return Some($out);
                    }
                }
            }
        }
    };
}

slot_iter!(Iter, Iter, (&'a ObjKey, &'a T), |k, v| (k, v));
slot_iter!(Range, Range, (&'a ObjKey, &'a T), |k, v| (k, v));

/// An [`ObjMap`]'s objects in key order.
pub struct Values<'a, T>(Iter<'a, T>);

impl<'a, T> Iterator for Values<'a, T> {
    type Item = &'a T;
    #[inline]
    fn next(&mut self) -> Option<&'a T> {
        self.0.next().map(|(_, v)| v)
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T> DoubleEndedIterator for Values<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(_, v)| v)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> ExactSizeIterator for Values<'_, T> {}

impl<T> ObjMap<T> {
    /// An empty map that also finds keys through a hash table.
    pub fn hashed() -> Self {
        ObjMap {
            index: SlotIndex::new(true),
            slots: Vec::new(),
        }
    }
    pub fn get<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> Option<&T>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        self.index.slot_of(k).and_then(|i| slot(&self.slots, i))
    }
    /// The stored key equal to `k`, if any: cloning it shares the text of
    /// long names instead of copying it.
    pub fn key_of<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> Option<&ObjKey>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        self.index.key_value(k).map(|(k, _)| k)
    }
    pub fn get_mut<Q: Ord + Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<&mut T>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        let i = self.index.slot_of(k)?;
        self.slots
            .get_mut(i as usize)
            .and_then(|s| s.as_deref_mut())
    }
    pub fn get_key_value<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> Option<(&ObjKey, &T)>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        let (k, i) = self.index.key_value(k)?;
        slot(&self.slots, i).map(|v| (k, v))
    }
    pub fn contains_key<Q: Ord + Hash + Eq + ?Sized>(&self, k: &Q) -> bool
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        self.get(k).is_some()
    }
    /// Puts an object in, giving back the one it replaces.
    pub fn insert(&mut self, k: ObjKey, v: T) -> Option<T> {
        match self.index.place(k, self.slots.len()) {
            Ok(i) => replace_in(&mut self.slots, i, v),
            Err(i) => {
                fill(&mut self.slots, i, v);
                None
            }
        }
    }
    pub fn remove<Q: Ord + Hash + Eq + ?Sized>(&mut self, k: &Q) -> Option<T>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        let i = self.index.remove(k)?;
        empty(&mut self.slots, i)
    }
    pub fn len(&self) -> usize {
        self.index.tree.len()
    }
    pub fn is_empty(&self) -> bool {
        self.index.tree.is_empty()
    }
    pub fn clear(&mut self) {
        self.index = SlotIndex::new(self.index.hashed);
        self.slots.clear();
    }
    pub fn keys(&self) -> btree_map::Keys<'_, ObjKey, u32> {
        self.index.tree.keys()
    }
    pub fn values(&self) -> Values<'_, T> {
        Values(self.iter())
    }
    /// The objects in key order, to change in place.
    pub fn values_mut(&mut self) -> std::vec::IntoIter<&mut T> {
        let mut by_slot: Vec<Option<&mut T>> =
            self.slots.iter_mut().map(|s| s.as_deref_mut()).collect();
        let in_order: Vec<&mut T> = self
            .index
            .tree
            .values()
            .filter_map(|&i| by_slot.get_mut(i as usize).and_then(Option::take))
            .collect();
        in_order.into_iter()
    }
    pub fn iter(&self) -> Iter<'_, T> {
        Iter(self.index.tree.iter(), &self.slots)
    }
    pub fn range<Q: Ord + ?Sized, R: std::ops::RangeBounds<Q>>(&self, r: R) -> Range<'_, T>
    where
        ObjKey: std::borrow::Borrow<Q>,
    {
        Range(self.index.tree.range(r), &self.slots)
    }
    pub fn retain(&mut self, mut f: impl FnMut(&ObjKey, &mut T) -> bool) {
        let slots = &mut self.slots;
        self.index.retain(|k, i| {
            let slot = slots.get_mut(i as usize).and_then(|s| s.as_deref_mut());
            let kept = slot.is_some_and(|v| f(k, v));
            if !kept {
                empty(slots, i);
            }
            kept
        });
    }
    /// The objects in one namespace, in key order.
    pub fn in_ns<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = (&'a ObjKey, &'a T)> + 'a {
        self.range::<dyn KeyRef, _>(from_ns(&(ns, "")))
            .take_while(move |(k, _)| k.0 == ns)
    }
}
impl<'a, T> IntoIterator for &'a ObjMap<T> {
    type Item = (&'a ObjKey, &'a T);
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

macro_rules! store {
    ($($field:ident : $t:ident),* $(,)?) => {
        #[derive(Clone, Debug)]
        pub struct Store {
            $(pub $field: ObjMap<$t>,)*
        }

        impl Default for Store {
            fn default() -> Self {
                Store {
                    $($field: if HASHED.contains(&stringify!($field)) {
                        ObjMap::hashed()
                    } else {
                        ObjMap::default()
                    },)*
                }
            }
        }

        /// Typed access to a kind's map in the store.
        pub trait Stored: Resource + 'static {
            fn map(store: &Store) -> &ObjMap<Self>;
            fn map_mut(store: &mut Store) -> &mut ObjMap<Self>;
        }

        $(impl Stored for $t {
            fn map(store: &Store) -> &ObjMap<Self> { &store.$field }
            fn map_mut(store: &mut Store) -> &mut ObjMap<Self> { &mut store.$field }
        })*

        impl Store {
            /// The metadata of one object, without cloning it.
            pub fn meta(&self, kind: Kind, k: &dyn KeyRef) -> Option<&ObjectMeta> {
                match kind {
                    $(Kind::$t => self.$field.get(k).map(|o| &o.metadata),)*
                }
            }
            /// The metadata of one object, to change in place.
            pub fn meta_mut(&mut self, kind: Kind, k: &dyn KeyRef) -> Option<&mut ObjectMeta> {
                match kind {
                    $(Kind::$t => self.$field.get_mut(k).map(|o| &mut o.metadata),)*
                }
            }
            pub fn get_object(&self, kind: Kind, k: &dyn KeyRef) -> Option<Object> {
                match kind {
                    $(Kind::$t => self.$field.get(k).cloned().map(Object::$t),)*
                }
            }
            pub fn insert_object(&mut self, o: Object) {
                let k = key(&o.meta().namespace, &o.meta().name);
                match o {
                    $(Object::$t(x) => { self.$field.insert(k, x); })*
                }
            }
            pub fn remove_object(&mut self, kind: Kind, k: &ObjKey) -> Option<Object> {
                match kind {
                    $(Kind::$t => self.$field.remove(k).map(Object::$t),)*
                }
            }
            /// Every object of a kind, in key order.
            pub fn list_objects(&self, kind: Kind) -> Vec<Object> {
                match kind {
                    $(Kind::$t => self.$field.values().cloned().map(Object::$t).collect(),)*
                }
            }
            pub fn keys(&self, kind: Kind) -> Vec<ObjKey> {
                match kind {
                    $(Kind::$t => self.$field.keys().cloned().collect(),)*
                }
            }
            /// The metadata of every object of a kind, without cloning.
            pub fn metas(&self, kind: Kind) -> Box<dyn Iterator<Item = &ObjectMeta> + '_> {
                match kind {
                    $(Kind::$t => Box::new(self.$field.values().map(|o| &o.metadata)),)*
                }
            }
            pub fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$t => self.$field.len(),)*
                }
            }
        }
    };
}

/// The kinds whose maps find keys through a hash table (see [`ObjMap`]):
/// thousands of objects, looked up by key at every step.
const HASHED: [&str; 2] = ["pods", "nodes"];

store! {
    namespaces: Namespace,
    nodes: Node,
    configmaps: ConfigMap,
    secrets: Secret,
    services: Service,
    pods: Pod,
    replicasets: ReplicaSet,
    deployments: Deployment,
    statefulsets: StatefulSet,
    daemonsets: DaemonSet,
    jobs: Job,
    cronjobs: CronJob,
    pvcs: PersistentVolumeClaim,
    pvs: PersistentVolume,
    storageclasses: StorageClass,
    pdbs: PodDisruptionBudget,
    hpas: HorizontalPodAutoscaler,
    endpoints: Endpoints,
    events: Event,
}

impl Store {
    pub fn get<T: Stored>(&self, ns: &str, name: &str) -> Option<&T> {
        T::map(self).get(at(&(ns, name)))
    }
    pub fn get_mut<T: Stored>(&mut self, ns: &str, name: &str) -> Option<&mut T> {
        T::map_mut(self).get_mut(at(&(ns, name)))
    }
    pub fn list<T: Stored>(&self) -> impl Iterator<Item = &T> {
        T::map(self).values()
    }
    /// Objects of a kind in one namespace.
    pub fn list_ns<'a, T: Stored>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        T::map(self).in_ns(ns).map(|(_, v)| v)
    }
    /// Objects whose controller owner reference has this uid.
    pub fn owned_by<'a, T: Stored>(
        &'a self,
        ns: &'a str,
        uid: &'a str,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.list_ns::<T>(ns)
            .filter(move |o| o.meta().is_controlled_by(uid))
    }
}

/// An object's controller: its kind, name and uid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controller {
    pub kind: String,
    pub name: String,
    pub uid: String,
}

/// What [`ByController::sync`] found.
#[derive(Debug, Default)]
pub struct Synced {
    /// The controller the object had, if it had one and that changed.
    pub previous: Option<Controller>,
    /// The object keeps its controller and its digest.
    pub same: bool,
}

/// What the pod controllers read of a pod, kept in the index as it is
/// written: whether it is finished, terminating, running and ready, since
/// when it is ready, for a StatefulSet's pod the ordinal in its name and
/// for a DaemonSet's pod the node it is for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub finished: bool,
    pub terminating: bool,
    pub running: bool,
    pub ready: bool,
    /// When the Ready condition last turned True, if it is True.
    pub ready_since: Option<crate::time::Time>,
    /// Controlled by a StatefulSet.
    pub stateful: bool,
    /// The ordinal in a StatefulSet pod's name, and whether the name is
    /// exactly `<set>-<ordinal>`.
    pub ordinal: Option<(i32, bool)>,
    /// Controlled by a DaemonSet.
    pub daemon: bool,
    /// The node a DaemonSet's pod is for (`GetTargetNodeName`), if any.
    pub node: Option<String>,
}

impl Count {
    pub fn of(p: &Pod) -> Count {
        let controller = p.metadata.controller();
        let set = controller.filter(|o| o.kind == "StatefulSet");
        let daemon = controller.is_some_and(|o| o.kind == "DaemonSet");
        let ordinal = set.and_then(|o| {
            use crate::controllers::statefulset::{named_ordinal, ordinal_of};
            let n = ordinal_of(&o.name, &p.metadata.name)?;
            Some((n, named_ordinal(&o.name, &p.metadata.name).is_some()))
        });
        Count {
            finished: p.is_finished(),
            terminating: p.is_terminating(),
            running: p.phase() == "Running",
            ready: p.is_ready(),
            ready_since: p.ready_since(),
            stateful: set.is_some(),
            ordinal,
            daemon,
            node: daemon
                .then(|| crate::controllers::daemonset::target_node(p).map(str::to_string))
                .flatten(),
        }
    }

    /// Running and ready.
    pub fn running_ready(&self) -> bool {
        self.running && self.ready
    }

    /// Neither finished nor terminating.
    pub fn active(&self) -> bool {
        !self.finished && !self.terminating
    }

    /// Where a DaemonSet's controller places it: for a node, and not both
    /// finished and terminating.
    fn placed(&self) -> Option<&str> {
        self.node
            .as_deref()
            .filter(|_| self.daemon && !(self.finished && self.terminating))
    }

    /// podutil.IsPodAvailable.
    pub fn available(&self, min_ready_seconds: i64, now: crate::time::Time) -> bool {
        self.ready
            && !self.terminating
            && (min_ready_seconds == 0
                || self
                    .ready_since
                    .is_some_and(|t| t.plus(min_ready_seconds * 1000) <= now))
    }
}

/// A controller's objects in one namespace that carry the same labels (the
/// pods of a ReplicaSet are all labelled alike; a StatefulSet's pods are
/// grouped without the labels naming each pod), counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelGroup {
    pub ns: String,
    pub labels: Labels,
    pub objects: usize,
    /// Neither finished nor terminating.
    pub active: usize,
    /// Active and ready.
    pub ready: usize,
    /// Running and ready (terminating or not).
    pub running_ready: usize,
    /// Running, ready and not terminating.
    pub available: usize,
    /// Finished and not terminating.
    pub failed: usize,
    /// Terminating, or not running and ready.
    pub waiting: usize,
}

impl LabelGroup {
    fn new(ns: &str, labels: Labels) -> LabelGroup {
        LabelGroup {
            ns: ns.to_string(),
            labels,
            objects: 0,
            active: 0,
            ready: 0,
            running_ready: 0,
            available: 0,
            failed: 0,
            waiting: 0,
        }
    }

    fn apply(&mut self, c: &Count, sign: isize) {
        let step = |n: &mut usize, on: bool| {
            if on {
                *n = n.saturating_add_signed(sign);
            }
        };
        step(&mut self.objects, true);
        step(&mut self.active, c.active());
        step(&mut self.ready, c.active() && c.ready);
        step(&mut self.running_ready, c.running_ready());
        step(&mut self.available, c.running_ready() && !c.terminating);
        step(&mut self.failed, c.finished && !c.terminating);
        step(&mut self.waiting, c.terminating || !c.running_ready());
    }
}

/// The ordinals in the names of a StatefulSet's pods in one namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ordinals {
    /// The pods named exactly `<set>-<ordinal>`, by ordinal.
    pub named: OrdMap<i32, usize>,
    /// Pods with an ordinal not written that way (`web-+1`).
    pub unnamed: usize,
    /// Pods without an ordinal in their name.
    pub without: usize,
}

impl Ordinals {
    fn apply(&mut self, c: &Count, sign: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        match c.ordinal {
            Some((o, true)) => {
                let n = self.named.entry(o).or_default();
                step(n);
                if *n == 0 {
                    self.named.remove(&o);
                }
            }
            Some((_, false)) => step(&mut self.unnamed),
            None => step(&mut self.without),
        }
    }

    fn is_empty(&self) -> bool {
        self.named.is_empty() && self.unnamed == 0 && self.without == 0
    }
}

/// A DaemonSet's pods in one namespace by the node each is for, counted:
/// the pods its controller places (for a node, and not both finished and
/// terminating), as it groups them by node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Daemon {
    /// Every pod controlled by a DaemonSet, placed or not.
    pub objects: usize,
    /// By node: how many pods are placed there, and how many of those are
    /// active (neither finished nor terminating).
    pub nodes: OrdMap<String, (usize, usize)>,
    /// The nodes whose pods are not exactly one, active.
    pub unsettled: usize,
    /// The placed pods that are ready.
    pub ready: usize,
    /// Changes whenever a node is added to `nodes` or leaves it, to a value
    /// the index never gave before: the same version, the same nodes.
    pub version: u64,
}

impl Daemon {
    fn apply(&mut self, c: &Count, sign: isize, serial: &mut u64) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        step(&mut self.objects);
        let Some(node) = c.placed() else {
            return;
        };
        if c.ready {
            step(&mut self.ready);
        }
        let settled = |e: &(usize, usize)| *e == (1, 1);
        let entry = match self.nodes.get_mut(node) {
            Some(e) => e,
            None => {
                *serial = serial.wrapping_add(1);
                self.version = *serial;
                self.nodes.entry(node.to_string()).or_default()
            }
        };
        // (a node is counted unsettled while it has pods)
        let was = entry.0 > 0 && !settled(entry);
        step(&mut entry.0);
        if c.active() {
            step(&mut entry.1);
        }
        let gone = entry.0 == 0;
        let now = !gone && !settled(entry);
        match (was, now) {
            (false, true) => self.unsettled += 1,
            (true, false) => self.unsettled = self.unsettled.saturating_sub(1),
            _ => {}
        }
        if gone {
            self.nodes.remove(node);
            *serial = serial.wrapping_add(1);
            self.version = *serial;
        }
    }

    fn is_empty(&self) -> bool {
        self.objects == 0 && self.nodes.is_empty()
    }
}

/// An owned object's label group and what it counts, where it is counted.
type Counted = Option<(u32, Count)>;

/// One controller's objects, each with its label group and count where
/// counted; the groups, found by namespace and labels; for a
/// StatefulSet's pods their ordinals, and for a DaemonSet's their nodes.
#[derive(Clone, Debug, Default)]
struct Owned {
    keys: OrdMap<ObjKey, Counted>,
    groups: OrdMap<u32, LabelGroup>,
    lookup: OrdMap<String, OrdMap<Labels, u32>>,
    next: u32,
    ordinals: crate::vecmap::VecMap<String, Ordinals>,
    daemons: crate::vecmap::VecMap<String, Daemon>,
}

/// The labels a pod is grouped by: a StatefulSet's pods without the two
/// that name each one.
fn group_labels<'a>(labels: &'a Labels, c: &Count) -> std::borrow::Cow<'a, Labels> {
    use crate::controllers::statefulset::{POD_INDEX_LABEL, POD_NAME_LABEL};
    if c.stateful && (labels.contains_key(POD_NAME_LABEL) || labels.contains_key(POD_INDEX_LABEL)) {
        let mut l = labels.clone();
        l.remove(POD_NAME_LABEL);
        l.remove(POD_INDEX_LABEL);
        std::borrow::Cow::Owned(l)
    } else {
        std::borrow::Cow::Borrowed(labels)
    }
}

impl Owned {
    /// Counts an object in the group of its namespace and labels.
    fn count(&mut self, ns: &str, labels: &Labels, c: Option<Count>, serial: &mut u64) -> Counted {
        let c = c?;
        let labels = group_labels(labels, &c);
        let id = match self.lookup.get(ns).and_then(|m| m.get(labels.as_ref())) {
            Some(id) => *id,
            None => {
                let id = self.next;
                self.next = self.next.wrapping_add(1);
                let labels = labels.into_owned();
                self.lookup
                    .entry(ns.to_string())
                    .or_default()
                    .insert(labels.clone(), id);
                self.groups.insert(id, LabelGroup::new(ns, labels));
                id
            }
        };
        if let Some(g) = self.groups.get_mut(&id) {
            g.apply(&c, 1);
        }
        if c.stateful {
            self.ordinals
                .entry(ns.to_string())
                .or_default()
                .apply(&c, 1);
        }
        if c.daemon {
            self.daemons
                .entry(ns.to_string())
                .or_default()
                .apply(&c, 1, serial);
        }
        Some((id, c))
    }

    fn uncount(&mut self, counted: Counted, serial: &mut u64) {
        let Some((id, c)) = counted else {
            return;
        };
        let Some(g) = self.groups.get_mut(&id) else {
            return;
        };
        g.apply(&c, -1);
        if c.stateful {
            if let Some(o) = self.ordinals.get_mut(&g.ns) {
                o.apply(&c, -1);
                if o.is_empty() {
                    self.ordinals.remove(&g.ns);
                }
            }
        }
        if c.daemon {
            if let Some(d) = self.daemons.get_mut(&g.ns) {
                d.apply(&c, -1, serial);
                if d.is_empty() {
                    self.daemons.remove(&g.ns);
                }
            }
        }
        if g.objects == 0 {
            if let Some(g) = self.groups.remove(&id) {
                if let Some(m) = self.lookup.get_mut(&g.ns) {
                    m.remove(&g.labels);
                    if m.is_empty() {
                        self.lookup.remove(&g.ns);
                    }
                }
            }
        }
    }
}

/// An indexed object's controller and the digest it was indexed with.
#[derive(Clone, Debug)]
struct Entry {
    controller: Controller,
    digest: u64,
}

/// What [`ByController::sync`] is told of an object: its metadata, a digest
/// of what its controller reads of it (the object is counted again only
/// when that changes), and its count, for the objects that are counted.
pub type Indexed<'a> = (&'a ObjectMeta, u64, Option<Count>);

/// The objects of one kind by the uid of their controller (an indexer, as
/// the informers keep): the controllers that reconcile one object at a time
/// read their own pods and the orphans, not every pod of the namespace, and
/// learn which controller an object left. Pods are also counted, each and
/// by label group, so a ReplicaSet's status is a sum over a group or two
/// and a StatefulSet reads what it needs of its pods here rather than in
/// the pods. Kept up to date with every recorded write (`Cluster::note`),
/// rebuilt when the store was written directly.
#[derive(Clone, Debug, Default)]
pub struct ByController {
    of: OrdMap<ObjKey, Entry>,
    by_uid: OrdMap<String, Owned>,
    /// Objects without a controller.
    orphans: OrdSet<ObjKey>,
    /// The last [`Daemon::version`] given out (kept across rebuilds).
    serial: u64,
}

impl ByController {
    pub fn rebuild<T: Resource>(
        &mut self,
        objects: &ObjMap<T>,
        index: impl Fn(&T) -> (u64, Option<Count>),
    ) {
        *self = ByController {
            serial: self.serial,
            ..ByController::default()
        };
        for (k, o) in objects {
            let (digest, count) = index(o);
            self.sync(k, Some((o.meta(), digest, count)));
        }
    }

    /// Brings one object's entry up to date (`None` once it is gone).
    pub fn sync(&mut self, k: &ObjKey, now: Option<Indexed<'_>>) -> Synced {
        let labels = now.as_ref().map(|(m, ..)| &m.labels);
        let now = now.map(|(m, digest, count)| m.controller().map(|o| (o, digest, count)));
        let was_orphan = self.orphans.contains(k);
        let before = self.of.get_mut(k);
        match (&now, before, labels) {
            (Some(Some((n, digest, count))), Some(e), Some(labels))
                if n.uid == e.controller.uid
                    && n.name == e.controller.name
                    && n.kind == e.controller.kind =>
            {
                let same = *digest == e.digest;
                e.digest = *digest;
                if !same {
                    if let Some(owned) = self.by_uid.get_mut(n.uid.as_str()) {
                        // (counted again before it is uncounted, so that a
                        // group or node it stays in is never left empty)
                        let was = owned.keys.get_mut(k).and_then(Option::take);
                        let counted = owned.count(&k.0, labels, count.clone(), &mut self.serial);
                        owned.uncount(was, &mut self.serial);
                        if let Some(at) = owned.keys.get_mut(k) {
                            *at = counted;
                        }
                    }
                }
                return Synced {
                    previous: None,
                    same,
                };
            }
            (Some(None), None, _) if was_orphan => return Synced::default(),
            (None, None, _) if !was_orphan => return Synced::default(),
            _ => {}
        }
        let previous = self.of.remove(k);
        if let Some(b) = &previous {
            if let Some(owned) = self.by_uid.get_mut(&b.controller.uid) {
                let was = owned.keys.remove(k).flatten();
                owned.uncount(was, &mut self.serial);
                if owned.keys.is_empty() {
                    self.by_uid.remove(&b.controller.uid);
                }
            }
        }
        if was_orphan {
            self.orphans.remove(k);
        }
        match (now, labels) {
            (Some(Some((o, digest, count))), Some(labels)) => {
                let controller = Controller {
                    kind: o.kind.to_string(),
                    name: o.name.to_string(),
                    uid: o.uid.to_string(),
                };
                let owned = self.by_uid.entry(controller.uid.clone()).or_default();
                let counted = owned.count(&k.0, labels, count, &mut self.serial);
                owned.keys.insert(k.clone(), counted);
                self.of.insert(k.clone(), Entry { controller, digest });
            }
            (Some(None), _) => {
                self.orphans.insert(k.clone());
            }
            _ => {}
        }
        Synced {
            previous: previous.map(|e| e.controller),
            same: false,
        }
    }

    /// The counted objects in `ns` controlled by `uid`, in key order: each
    /// key with its count and label group.
    pub fn counted<'a>(
        &'a self,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = (&'a ObjKey, &'a Count, &'a LabelGroup)> + 'a {
        self.by_uid.get(uid).into_iter().flat_map(move |o| {
            in_ns(&o.keys, ns).filter_map(move |(k, c)| {
                let (g, c) = c.as_ref()?;
                Some((k, c, o.groups.get(g)?))
            })
        })
    }

    /// The label groups of the objects in `ns` controlled by `uid` (only
    /// for objects indexed with a count), the empty ones left out.
    pub fn groups<'a>(
        &'a self,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = &'a LabelGroup> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flat_map(move |o| o.groups.values().filter(move |g| g.ns == ns))
    }

    /// Checks the counts of the objects in `ns` controlled by `uid` against
    /// the objects themselves (debug builds, where the controllers that
    /// read the counts call it).
    #[cfg(debug_assertions)]
    pub fn check(&self, pods: &ObjMap<Pod>, ns: &str, uid: &str) {
        let counted: Vec<_> = self.counted(ns, uid).collect();
        let owned: Vec<&Pod> = pods
            .in_ns(ns)
            .map(|(_, p)| p)
            .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == uid))
            .collect();
        assert_eq!(
            counted.len(),
            owned.len(),
            "the pods counted of {uid} in {ns}"
        );
        let mut groups: OrdMap<Labels, LabelGroup> = OrdMap::new();
        let mut ordinals = Ordinals::default();
        let mut daemon = Daemon::default();
        let mut serial = 0;
        for ((k, c, g), p) in counted.into_iter().zip(owned) {
            assert_eq!(k.1, p.metadata.name);
            let now = Count::of(p);
            assert_eq!(*c, now, "the count of {ns}/{}", k.1);
            let labels = group_labels(&p.metadata.labels, &now).into_owned();
            assert_eq!(g.labels, labels, "the label group of {ns}/{}", k.1);
            groups
                .entry(labels.clone())
                .or_insert_with(|| LabelGroup::new(ns, labels))
                .apply(&now, 1);
            if now.stateful {
                ordinals.apply(&now, 1);
            }
            if now.daemon {
                daemon.apply(&now, 1, &mut serial);
            }
        }
        let kept: OrdMap<&Labels, &LabelGroup> =
            self.groups(ns, uid).map(|g| (&g.labels, g)).collect();
        let groups: OrdMap<&Labels, &LabelGroup> = groups.iter().collect();
        assert_eq!(kept, groups, "the label groups of {uid} in {ns}");
        let kept = self.ordinals(ns, uid).cloned().unwrap_or_default();
        assert_eq!(kept, ordinals, "the ordinals of {uid} in {ns}");
        let kept = self.daemon(ns, uid).cloned().unwrap_or_default();
        daemon.version = kept.version;
        assert_eq!(kept, daemon, "the nodes of {uid}'s pods in {ns}");
    }

    /// The nodes of the pods of the DaemonSet `uid` in `ns`.
    /// The objects whose controller has this uid.
    pub fn keys_of<'a>(&'a self, uid: &str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.by_uid.get(uid).into_iter().flat_map(|o| o.keys.keys())
    }

    pub fn daemon(&self, ns: &str, uid: &str) -> Option<&Daemon> {
        self.by_uid.get(uid)?.daemons.get(ns)
    }

    /// The ordinals of the pods of the StatefulSet `uid` in `ns`.
    pub fn ordinals(&self, ns: &str, uid: &str) -> Option<&Ordinals> {
        self.by_uid.get(uid)?.ordinals.get(ns)
    }

    /// The keys of the pods in `ns` controlled by `uid`, in key order.
    pub fn owned<'a>(&'a self, ns: &'a str, uid: &str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flat_map(move |o| in_ns(&o.keys, ns).map(|(k, _)| k))
    }

    /// The keys of the pods in `ns` without a controller, in key order.
    pub fn orphans<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.orphans
            .range(key(ns, "")..)
            .take_while(move |k| k.0 == ns)
    }
}

impl Store {
    /// The pods in `ns` controlled by `uid`, in key order, from the index.
    pub fn pods_owned<'a>(
        &'a self,
        index: &'a ByController,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        Merged::new(&self.pods, index.owned(ns, uid))
    }

    /// The pods in `ns` without a controller, in key order, from the index.
    pub fn pods_orphaned<'a>(
        &'a self,
        index: &'a ByController,
        ns: &'a str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        Merged::new(&self.pods, index.orphans(ns))
    }
}

/// The objects of `map` with the keys `keys` yields in ascending order,
/// walking the map alongside while the keys are near one another (a
/// controller's pods are mostly named alike, so mostly next to each other)
/// and looking a key up when it is further on.
struct Merged<'a, T, I> {
    map: &'a ObjMap<T>,
    keys: I,
    walk: Option<Range<'a, T>>,
}

/// How many objects the walk steps over before looking the key up instead.
const MERGE_STEPS: usize = 4;

impl<'a, T, I: Iterator<Item = &'a ObjKey>> Merged<'a, T, I> {
    fn new(map: &'a ObjMap<T>, keys: I) -> Self {
        Merged {
            map,
            keys,
            walk: None,
        }
    }
}

impl<'a, T, I: Iterator<Item = &'a ObjKey>> Iterator for Merged<'a, T, I> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            let k = self.keys.next()?;
            if let Some(walk) = &mut self.walk {
                for _ in 0..MERGE_STEPS {
                    match walk.next() {
                        Some((at, v)) if at == k => return Some(v),
                        Some((at, _)) if at < k => continue,
                        _ => break,
                    }
                }
            }
            let mut walk = self.map.range::<ObjKey, _>(k..);
            match walk.next() {
                Some((at, v)) if at == k => {
                    self.walk = Some(walk);
                    return Some(v);
                }
                // (not stored: the index is behind the store)
                _ => self.walk = None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hashed map and a plain one, put through the same inserts,
    /// replacements and removals (past the size at which the hashed one
    /// starts using its table), read the same as a `BTreeMap` does.
    #[test]
    fn hashed_and_plain_maps_read_as_an_ordered_map_does() {
        let mut rng = crate::rng::Rng::new(7);
        let mut hashed: ObjMap<u32> = ObjMap::hashed();
        let mut plain: ObjMap<u32> = ObjMap::default();
        let mut model: BTreeMap<ObjKey, u32> = BTreeMap::new();
        for step in 0..4000u32 {
            let n = rng.below(300);
            let ns = ["", "default", "kube-system"][(n % 3) as usize];
            let name = format!("pod-with-a-long-generated-name-{n}");
            let k = key(ns, &name);
            match rng.below(10) {
                0..=5 => {
                    let was = model.insert(k.clone(), step);
                    assert_eq!(hashed.insert(k.clone(), step), was);
                    assert_eq!(plain.insert(k.clone(), step), was);
                }
                6..=7 => {
                    let was = model.remove(&k);
                    assert_eq!(hashed.remove(at(&(ns, &name))), was);
                    assert_eq!(plain.remove(&k), was);
                }
                8 => {
                    hashed.retain(|_, v| *v % 7 != 0);
                    plain.retain(|_, v| *v % 7 != 0);
                    model.retain(|_, v| *v % 7 != 0);
                }
                _ => {
                    for v in hashed.values_mut().chain(plain.values_mut()) {
                        *v += 1;
                    }
                    for v in model.values_mut() {
                        *v += 1;
                    }
                }
            }
            let pair = (ns, name.as_str());
            assert_eq!(hashed.get(at(&pair)), model.get(&k));
            assert_eq!(plain.get(at(&pair)), model.get(&k));
            assert_eq!(hashed.key_of(&k), model.get_key_value(&k).map(|(k, _)| k));
            assert_eq!(hashed.len(), model.len());
            if step % 97 == 0 {
                let want: Vec<(&ObjKey, &u32)> = model.iter().collect();
                assert_eq!(hashed.iter().collect::<Vec<_>>(), want);
                assert_eq!(plain.iter().collect::<Vec<_>>(), want);
                assert_eq!(hashed.iter().rev().count(), model.len());
                let in_default: Vec<_> = model.iter().filter(|(k, _)| k.0 == "default").collect();
                assert_eq!(hashed.in_ns("default").collect::<Vec<_>>(), in_default);
            }
        }
        // slots of removed objects are taken again
        assert!(hashed.slots.len() <= 300);
        assert!(hashed.index.hash.is_some() && plain.index.hash.is_none());
    }

    #[test]
    fn names_order_as_their_text_does() {
        let words = [
            "",
            "a",
            "b",
            "node-1",
            "node-10",
            "node-2",
            "node-1\u{0}",
            "kube-system",
            "kube-systemd",
            "default",
            "web-5d8f7c9b4-x2k9p",
            "web-5d8f7c9b4-x2k9q",
            "web-5d8f7c9b4-x2k9",
            "data-redis-0",
            "data-redis-10",
            "é",
            "z",
            "ünïcode-näme",
            "a-name-that-is-longer-than-twenty-three-bytes",
            "a-name-that-is-longer-than-twenty-three-bytez",
        ];
        for a in words {
            for b in words {
                assert_eq!(cmp_text(a, b), a.cmp(b), "{a:?} vs {b:?}");
                assert_eq!(Name::new(a).cmp(&Name::new(b)), a.cmp(b), "{a:?} vs {b:?}");
                let (x, y) = (key(a, b), key(b, a));
                assert_eq!(x.cmp(&y), (a, b).cmp(&(b, a)));
                assert_eq!(
                    at(&(a, b)).cmp(at(&(b, a))),
                    (a, b).cmp(&(b, a)),
                    "{a:?} vs {b:?}"
                );
            }
        }

        // Every pair of lengths up to three words and a bit, differing at
        // every position they share (by bytes below, inside and above ASCII,
        // NUL included), then perhaps again later the other way round, or
        // not at all (one a prefix of the other).
        fn text(len: usize, edits: &[(usize, char)]) -> String {
            let filler = "default-cleanup-29012345-x7k2p".chars().cycle();
            let mut t: Vec<char> = filler.take(len).collect();
            for &(i, c) in edits {
                t[i] = c;
            }
            t.into_iter().collect()
        }
        fn check(a: &str, b: &str) {
            assert_eq!(cmp_text(a, b), a.cmp(b), "{a:?} vs {b:?}");
            assert_eq!(Name::new(a).cmp(&Name::new(b)), a.cmp(b), "{a:?} vs {b:?}");
            assert_eq!(at(&("", a)).cmp(at(&("", b))), a.cmp(b), "{a:?} vs {b:?}");
        }
        let chars = ['\0', '\u{1}', 'd', '\u{7f}', '\u{80}', 'é', '\u{10ffff}'];
        for la in 0..=26 {
            for lb in 0..=26 {
                check(&text(la, &[]), &text(lb, &[]));
                for i in 0..la.min(lb) {
                    for x in chars {
                        for y in chars {
                            check(&text(la, &[(i, x)]), &text(lb, &[(i, y)]));
                        }
                        check(&text(la, &[(i, x)]), &text(lb, &[]));
                    }
                    for j in i + 1..la.min(lb) {
                        for (x, y) in [('\0', '\u{ff}'), ('\u{ff}', '\0')] {
                            check(
                                &text(la, &[(i, 'a'), (j, x)]),
                                &text(lb, &[(i, 'b'), (j, y)]),
                            );
                        }
                    }
                }
            }
        }
    }
}

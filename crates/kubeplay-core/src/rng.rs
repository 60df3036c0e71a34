//! A small, portable, seeded random number generator (PCG-XSH-RR 64/32).
//! The same seed gives the same stream on every platform, wasm included.

#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
    inc: u64,
}

/// The seed a cluster uses unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut r = Rng {
            state: 0,
            inc: (0xda3e_39cb_94b9_5bdb_u64 << 1) | 1,
        };
        r.next_u32();
        r.state = r.state.wrapping_add(seed ^ 0x853c_49e6_748f_ea9b);
        r.next_u32();
        r
    }

    /// Where the stream is: equal states give equal streams.
    pub fn state(&self) -> u64 {
        self.state
    }

    pub fn next_u32(&mut self) -> u32 {
        let old = self.state;
        self.state = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        let rot = (old >> 59) as u32;
        xorshifted.rotate_right(rot)
    }

    /// Uniform in [0, n) for n > 0, without modulo bias.
    pub fn below(&mut self, n: u32) -> u32 {
        if n <= 1 {
            return 0;
        }
        // Draws below `2^32 mod n` are redrawn, so that every remainder is
        // equally likely. That bound is below `n`: a draw of `n` or more
        // needs no division to know it is kept.
        let mut threshold = None;
        loop {
            let r = self.next_u32();
            if r >= n || r >= *threshold.get_or_insert_with(|| n.wrapping_neg() % n) {
                return r % n;
            }
        }
    }

    /// Uniform in [lo, hi] (inclusive), in milliseconds or any unit.
    pub fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo + 1).min(i64::from(u32::MAX)) as u32;
        lo + i64::from(self.below(span))
    }

    /// `n` characters from Kubernetes' name alphabet (no vowels, no 0/1/3).
    pub fn name_suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| ALPHANUMS[self.below(ALPHANUMS.len() as u32) as usize] as char)
            .collect()
    }
}

/// apimachinery util/rand's alphabet for generated names.
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// rand.SafeEncodeString: maps each byte into the name alphabet.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// FNV-1a, 32 bits, as hash/fnv's New32a.
pub fn fnv32a(data: &[u8]) -> u32 {
    let mut h = Fnv32a::new();
    h.write_bytes(data);
    h.finish()
}

/// [`fnv32a`] of text written in pieces (`write!`), without building the
/// string.
pub struct Fnv32a(u32);

impl Fnv32a {
    pub fn new() -> Fnv32a {
        Fnv32a(0x811c_9dc5)
    }
    pub fn write_bytes(&mut self, data: &[u8]) {
        for b in data {
            self.0 ^= u32::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
    pub fn finish(&self) -> u32 {
        self.0
    }
}

impl Default for Fnv32a {
    fn default() -> Self {
        Fnv32a::new()
    }
}

impl std::fmt::Write for Fnv32a {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

/// Appends the low `digits` hex digits of `v`, lowercase and zero-padded
/// (`{:0digits$x}` for a value that fits), without going through `fmt`.
pub fn push_hex(out: &mut String, v: u32, digits: u32) {
    for i in (0..digits).rev() {
        let x = (v >> (4 * i)) & 0xf;
        out.push(char::from_digit(x, 16).unwrap_or('0'));
    }
}

/// A hash of byte strings taken eight bytes at a time (FxHash's step), for
/// lookups whose results do not depend on the hash: several times faster
/// than FNV-1a, which takes a multiplication per byte.
pub struct WordHash(u64);

impl WordHash {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    pub fn new() -> WordHash {
        WordHash(0)
    }

    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(Self::K);
    }

    /// Adds `data` and its length, so that the parts of a sequence of
    /// strings cannot run into each other.
    pub fn write_bytes(&mut self, data: &[u8]) {
        let mut words = data.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
        self.add(data.len() as u64);
    }

    pub fn finish32(&self) -> u32 {
        (self.0 >> 32) as u32
    }

    /// The hash of a sequence of strings (each with its length, so parts
    /// cannot run into each other).
    pub fn of(parts: &[&str]) -> u64 {
        let mut h = WordHash::new();
        for part in parts {
            h.write_bytes(part.as_bytes());
        }
        h.0
    }
}

impl Default for WordHash {
    fn default() -> Self {
        WordHash::new()
    }
}

impl std::hash::Hasher for WordHash {
    fn write(&mut self, bytes: &[u8]) {
        self.write_bytes(bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// 64-bit FNV-1a as a [`std::hash::Hasher`]: fast on short keys and the
/// same on every platform, for maps that are never iterated and for
/// digests that only detect change.
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv64 {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_hash(parts: &[&str]) -> u32 {
        let mut h = WordHash::new();
        for p in parts {
            h.write_bytes(p.as_bytes());
        }
        h.finish32()
    }

    #[test]
    fn word_hash_keeps_parts_apart_and_sees_every_byte() {
        assert_ne!(word_hash(&["ab", "c"]), word_hash(&["a", "bc"]));
        assert_ne!(word_hash(&["abc", ""]), word_hash(&["", "abc"]));
        assert_ne!(word_hash(&["a"]), word_hash(&["a\0"]));
        let long = "redis-cleanup-28928340-x7k2p.18a2b3c4d5e6f708";
        for i in 0..long.len() {
            let mut b = long.as_bytes().to_vec();
            b[i] ^= 1;
            let other = String::from_utf8_lossy(&b).into_owned();
            assert_ne!(word_hash(&[long]), word_hash(&[&other]), "byte {i}");
        }
        assert_eq!(
            word_hash(&["default", "redis-0"]),
            word_hash(&["default", "redis-0"])
        );
    }

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let a: Vec<u32> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u32()).collect()
        };
        let b: Vec<u32> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u32()).collect()
        };
        let c: Vec<u32> = {
            let mut r = Rng::new(8);
            (0..5).map(|_| r.next_u32()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn name_suffixes_use_only_the_safe_alphabet() {
        let mut r = Rng::new(1);
        for _ in 0..100 {
            let s = r.name_suffix(5);
            assert_eq!(s.len(), 5);
            assert!(s.bytes().all(|b| ALPHANUMS.contains(&b)), "{s}");
        }
    }
}

//! Raw DEFLATE (RFC 1951), the compression of shared links, both ways.
//!
//! A link is read far more often than it is written, and both happen a few
//! times a session on a few kilobytes of JSON, so this is written for size
//! rather than speed: [`inflate`] decodes every kind of block (stored,
//! fixed and dynamic Huffman codes) a bit at a time, as zlib's `puff`
//! reference decoder does, and [`deflate`] finds repeats through hash
//! chains and writes one block with Huffman codes built for it. Links
//! written by earlier versions (miniz at level 9) read the same; tests
//! check both directions against miniz.

/// Lengths 3-258: the base of each length symbol (257-285) and its extra
/// bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Distances 1-32768: the base of each distance symbol and its extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which a dynamic block gives the code length code's lengths.
const CLEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];
const MAX_BITS: usize = 15;

// ---------------------------------------------------------------- reading

/// The bits of `data`, least significant first.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    buf: u32,
    have: u32,
}

/// Why data does not inflate.
const DAMAGED: &str = "not valid DEFLATE";
const SHORT: &str = "it ends early";
const LARGE: &str = "it inflates past the limit";

impl Bits<'_> {
    fn take(&mut self, n: u32) -> Result<u32, &'static str> {
        while self.have < n {
            let byte = *self.data.get(self.pos).ok_or(SHORT)?;
            self.pos += 1;
            self.buf |= u32::from(byte) << self.have;
            self.have += 8;
        }
        let v = self.buf & ((1u32 << n) - 1);
        self.buf >>= n;
        self.have -= n;
        Ok(v)
    }
}

/// A canonical Huffman code: how many codes there are of each length, and
/// the symbols in code order.
struct Code {
    counts: [u16; MAX_BITS + 1],
    symbols: Vec<u16>,
}

impl Code {
    /// The code with these lengths (0: the symbol is not used); refuses a
    /// code with more codes of some length than fit.
    fn new(lengths: &[u8]) -> Result<Code, &'static str> {
        let mut counts = [0u16; MAX_BITS + 1];
        for &l in lengths {
            counts[usize::from(l)] += 1;
        }
        let mut left: i32 = 1;
        for &c in &counts[1..] {
            left = left * 2 - i32::from(c);
            if left < 0 {
                return Err(DAMAGED);
            }
        }
        let mut offsets = [0u16; MAX_BITS + 2];
        for len in 1..=MAX_BITS {
            offsets[len + 1] = offsets[len] + counts[len];
        }
        let mut symbols = vec![0u16; usize::from(offsets[MAX_BITS + 1])];
        for (symbol, &l) in lengths.iter().enumerate() {
            if l != 0 {
                let at = &mut offsets[usize::from(l)];
                symbols[usize::from(*at)] = symbol as u16;
                *at += 1;
            }
        }
        counts[0] = 0;
        Ok(Code { counts, symbols })
    }

    /// The next symbol, reading its code a bit at a time.
    fn read(&self, bits: &mut Bits<'_>) -> Result<u16, &'static str> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for &count in &self.counts[1..] {
            code |= bits.take(1)? as i32;
            let count = i32::from(count);
            if code - first < count {
                return self
                    .symbols
                    .get((index + code - first) as usize)
                    .copied()
                    .ok_or(DAMAGED);
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(DAMAGED)
    }
}

/// The bytes `data` decodes to, refused (with the reason) once they would
/// pass `limit`.
pub fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, String> {
    inflate_blocks(data, limit).map_err(str::to_string)
}

fn inflate_blocks(data: &[u8], limit: usize) -> Result<Vec<u8>, &'static str> {
    let mut bits = Bits {
        data,
        pos: 0,
        buf: 0,
        have: 0,
    };
    let mut out = Vec::new();
    loop {
        let last = bits.take(1)? == 1;
        match bits.take(2)? {
            0 => {
                // stored: from the next byte, a length and its complement
                bits.buf = 0;
                bits.have = 0;
                let at = bits.pos;
                let header = data.get(at..at + 4).ok_or(SHORT)?;
                let len = usize::from(u16::from_le_bytes([header[0], header[1]]));
                if u16::from_le_bytes([header[2], header[3]]) != !(len as u16) {
                    return Err(DAMAGED);
                }
                let body = data.get(at + 4..at + 4 + len).ok_or(SHORT)?;
                if out.len() + len > limit {
                    return Err(LARGE);
                }
                out.extend_from_slice(body);
                bits.pos = at + 4 + len;
            }
            1 => {
                let (lit, dist) = fixed_lengths();
                let (lit, dist) = (Code::new(&lit)?, Code::new(&dist)?);
                codes(&mut bits, &mut out, &lit, &dist, limit)?;
            }
            2 => {
                let (lit, dist) = dynamic_codes(&mut bits)?;
                codes(&mut bits, &mut out, &lit, &dist, limit)?;
            }
            _ => return Err(DAMAGED),
        }
        if last {
            return Ok(out);
        }
    }
}

/// A dynamic block's codes, themselves given in a code.
fn dynamic_codes(bits: &mut Bits<'_>) -> Result<(Code, Code), &'static str> {
    let nlit = bits.take(5)? as usize + 257;
    let ndist = bits.take(5)? as usize + 1;
    let nclen = bits.take(4)? as usize + 4;
    if nlit > 286 || ndist > 30 {
        return Err(DAMAGED);
    }
    let mut clen = [0u8; 19];
    for &i in &CLEN_ORDER[..nclen] {
        clen[i] = bits.take(3)? as u8;
    }
    let clen = Code::new(&clen)?;
    let mut lengths = Vec::with_capacity(nlit + ndist);
    while lengths.len() < nlit + ndist {
        let (value, times) = match clen.read(bits)? {
            s @ 0..=15 => (s as u8, 1),
            16 => (*lengths.last().ok_or(DAMAGED)?, 3 + bits.take(2)?),
            17 => (0, 3 + bits.take(3)?),
            _ => (0, 11 + bits.take(7)?),
        };
        if lengths.len() + times as usize > nlit + ndist {
            return Err(DAMAGED);
        }
        lengths.extend(std::iter::repeat_n(value, times as usize));
    }
    if lengths[256] == 0 {
        return Err(DAMAGED);
    }
    Ok((Code::new(&lengths[..nlit])?, Code::new(&lengths[nlit..])?))
}

/// A block's literals and copies, up to its end code.
fn codes(
    bits: &mut Bits<'_>,
    out: &mut Vec<u8>,
    lit: &Code,
    dist: &Code,
    limit: usize,
) -> Result<(), &'static str> {
    loop {
        let symbol = usize::from(lit.read(bits)?);
        if out.len() >= limit && symbol != 256 {
            return Err(LARGE);
        }
        match symbol {
            0..=255 => out.push(symbol as u8),
            256 => return Ok(()),
            _ => {
                let i = symbol - 257;
                let len = usize::from(*LEN_BASE.get(i).ok_or(DAMAGED)?)
                    + bits.take(u32::from(LEN_EXTRA[i]))? as usize;
                let d = usize::from(dist.read(bits)?);
                let back = usize::from(*DIST_BASE.get(d).ok_or(DAMAGED)?)
                    + bits.take(u32::from(DIST_EXTRA[d]))? as usize;
                if back > out.len() {
                    return Err(DAMAGED);
                }
                if out.len() + len > limit {
                    return Err(LARGE);
                }
                let start = out.len() - back;
                for k in 0..len {
                    out.push(out[start + k]);
                }
            }
        }
    }
}

// ---------------------------------------------------------------- writing

/// Bits written least significant first.
#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
    buf: u64,
    have: u32,
}

impl Out {
    fn put(&mut self, value: u32, n: u32) {
        self.buf |= u64::from(value) << self.have;
        self.have += n;
        while self.have >= 8 {
            self.bytes.push(self.buf as u8);
            self.buf >>= 8;
            self.have -= 8;
        }
    }

    /// A Huffman code, whose bits go most significant first.
    fn code(&mut self, codes: &[(u16, u8)], symbol: usize) {
        let (code, len) = codes[symbol];
        self.put(u32::from(code), u32::from(len));
    }
}

/// What the repeat finder leaves: a literal byte, or a copy of `len` bytes
/// from `dist` back.
#[derive(Clone, Copy)]
enum Token {
    Literal(u8),
    Copy { len: u16, dist: u16 },
}

const WINDOW: usize = 32 * 1024;
const HASH_BITS: u32 = 15;
/// How many earlier places with the same three bytes are tried.
const CHAIN: usize = 256;

/// The longest earlier repeat (of at least 3 bytes, within the window)
/// of what starts at each place, found through chains of places with the
/// same three bytes.
fn tokens(data: &[u8]) -> Vec<Token> {
    let hash = |i: usize| {
        let v = u32::from(data[i]) << 16 | u32::from(data[i + 1]) << 8 | u32::from(data[i + 2]);
        (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    };
    let mut head = vec![usize::MAX; 1 << HASH_BITS];
    let mut prev = vec![usize::MAX; data.len()];
    let insert = |i: usize, head: &mut [usize], prev: &mut [usize]| {
        if i + 2 < data.len() {
            let h = hash(i);
            prev[i] = head[h];
            head[h] = i;
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let (mut best_len, mut best_dist) = (0, 0);
        if i + 2 < data.len() {
            let mut at = head[hash(i)];
            let max = (data.len() - i).min(258);
            for _ in 0..CHAIN {
                if at == usize::MAX || i - at > WINDOW {
                    break;
                }
                // (only a place that matches one byte further can be longer)
                if best_len > 0 && data.get(at + best_len) != data.get(i + best_len) {
                    at = prev[at];
                    continue;
                }
                let len = data[at..]
                    .iter()
                    .zip(&data[i..i + max])
                    .take_while(|(a, b)| a == b)
                    .count();
                if len > best_len {
                    (best_len, best_dist) = (len, i - at);
                    if len == max {
                        break;
                    }
                }
                at = prev[at];
            }
        }
        if best_len >= 3 {
            out.push(Token::Copy {
                len: best_len as u16,
                dist: best_dist as u16,
            });
            for k in i..i + best_len {
                insert(k, &mut head, &mut prev);
            }
            i += best_len;
        } else {
            out.push(Token::Literal(data[i]));
            insert(i, &mut head, &mut prev);
            i += 1;
        }
    }
    out
}

/// The symbol of a length or distance and its extra bits' value.
fn symbol_of(value: u16, base: &[u16]) -> (usize, u16) {
    let i = base.partition_point(|&b| b <= value) - 1;
    (i, value - base[i])
}

/// Code lengths of at most `limit` bits for these symbol counts, at least
/// two symbols with a code (a code of one symbol is incomplete, which
/// some readers refuse).
fn code_lengths(freq: &[u32], limit: u8) -> Vec<u8> {
    let mut freq = freq.to_vec();
    for i in 0..2 {
        if freq.iter().filter(|&&f| f > 0).count() < 2 {
            let unused = freq.iter().position(|&f| f == 0).unwrap_or(i);
            freq[unused] = 1;
        }
    }
    loop {
        // Huffman's merging of the two rarest, with each node's depth
        let mut nodes: Vec<(u32, Vec<usize>)> = freq
            .iter()
            .enumerate()
            .filter(|(_, &f)| f > 0)
            .map(|(s, &f)| (f, vec![s]))
            .collect();
        let mut lengths = vec![0u8; freq.len()];
        while nodes.len() > 1 {
            kubeplay_core::sort::sort_by(&mut nodes, |a, b| b.0.cmp(&a.0));
            let (fa, a) = nodes.pop().unwrap_or_default();
            let (fb, mut b) = nodes.pop().unwrap_or_default();
            for &s in a.iter().chain(&b) {
                lengths[s] += 1;
            }
            b.extend(a);
            nodes.push((fa + fb, b));
        }
        if lengths.iter().all(|&l| l <= limit) {
            return lengths;
        }
        // too deep: flatten the counts and build again
        for f in freq.iter_mut().filter(|f| **f > 0) {
            *f = (*f).div_ceil(2);
        }
    }
}

/// Canonical codes (RFC 1951 3.2.2) for these lengths, each bit-reversed
/// for writing least significant first.
fn canonical(lengths: &[u8]) -> Vec<(u16, u8)> {
    let mut count = [0u16; MAX_BITS + 1];
    for &l in lengths {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u16; MAX_BITS + 1];
    let mut code = 0u16;
    for bits in 1..=MAX_BITS {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return (0, 0);
            }
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            (c.reverse_bits() >> (16 - u16::from(l)), l)
        })
        .collect()
}

/// The fixed codes' lengths (RFC 1951 3.2.6): literal/length, distance.
fn fixed_lengths() -> (Vec<u8>, Vec<u8>) {
    let mut lit = vec![8u8; 288];
    lit[144..256].fill(9);
    lit[256..280].fill(7);
    (lit, vec![5; 30])
}

/// `data` compressed: its repeats as copies, in one block with codes built
/// for it or with the fixed codes, or stored as it is, whichever is
/// shortest.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let tokens = tokens(data);
    let mut lit_freq = [0u32; 286];
    let mut dist_freq = [0u32; 30];
    lit_freq[256] = 1;
    for t in &tokens {
        match *t {
            Token::Literal(b) => lit_freq[usize::from(b)] += 1,
            Token::Copy { len, dist } => {
                lit_freq[257 + symbol_of(len, &LEN_BASE).0] += 1;
                dist_freq[symbol_of(dist, &DIST_BASE).0] += 1;
            }
        }
    }
    // the tokens' size in bits with these code lengths
    let cost = |lit: &[u8], dist: &[u8]| -> usize {
        let extra = |freq: &[u32], extra: &[u8], skip: usize| -> usize {
            freq.iter()
                .skip(skip)
                .zip(extra)
                .map(|(&f, &x)| f as usize * usize::from(x))
                .sum()
        };
        let bits = |freq: &[u32], len: &[u8]| -> usize {
            freq.iter()
                .zip(len)
                .map(|(&f, &l)| f as usize * usize::from(l))
                .sum()
        };
        bits(&lit_freq, lit)
            + bits(&dist_freq, dist)
            + extra(&lit_freq, &LEN_EXTRA, 257)
            + extra(&dist_freq, &DIST_EXTRA, 0)
    };
    let mut out = Out::default();
    let (header, lit_len, dist_len) = dynamic_header(&lit_freq, &dist_freq);
    let (fixed_lit, fixed_dist) = fixed_lengths();
    let dynamic = header.have as usize + 8 * header.bytes.len() + cost(&lit_len, &dist_len);
    let fixed = 3 + cost(&fixed_lit, &fixed_dist);
    let stored = 8 * (data.len() + 5 * data.len().div_ceil(0xffff).max(1));
    if stored < dynamic.min(fixed) {
        let mut chunks = data.chunks(0xffff).peekable();
        if chunks.peek().is_none() {
            out.bytes.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
        }
        while let Some(chunk) = chunks.next() {
            let len = chunk.len() as u16;
            out.bytes.push(u8::from(chunks.peek().is_none()));
            out.bytes.extend_from_slice(&len.to_le_bytes());
            out.bytes.extend_from_slice(&(!len).to_le_bytes());
            out.bytes.extend_from_slice(chunk);
        }
        return out.bytes;
    }
    let (lit, dist) = if dynamic <= fixed {
        out = header;
        (canonical(&lit_len), canonical(&dist_len))
    } else {
        out.put(1, 1); // the last block
        out.put(1, 2); // with the fixed codes
        (canonical(&fixed_lit), canonical(&fixed_dist))
    };
    for t in &tokens {
        match *t {
            Token::Literal(b) => out.code(&lit, usize::from(b)),
            Token::Copy { len, dist: d } => {
                let (ls, lx) = symbol_of(len, &LEN_BASE);
                out.code(&lit, 257 + ls);
                out.put(u32::from(lx), u32::from(LEN_EXTRA[ls]));
                let (ds, dx) = symbol_of(d, &DIST_BASE);
                out.code(&dist, ds);
                out.put(u32::from(dx), u32::from(DIST_EXTRA[ds]));
            }
        }
    }
    out.code(&lit, 256);
    out.put(0, 7); // the last byte's remaining bits
    out.bytes
}

/// A last block's header with codes built for these counts: the header
/// written, and the literal/length and distance code lengths.
fn dynamic_header(lit_freq: &[u32], dist_freq: &[u32]) -> (Out, Vec<u8>, Vec<u8>) {
    let lit_len = code_lengths(lit_freq, 15);
    let dist_len = code_lengths(dist_freq, 15);
    let nlit = 257.max(lit_len.iter().rposition(|&l| l > 0).map_or(0, |i| i + 1));
    let ndist = 1.max(dist_len.iter().rposition(|&l| l > 0).map_or(0, |i| i + 1));
    // the lengths, runs of them as the code length code's 16, 17 and 18
    let all: Vec<u8> = lit_len[..nlit]
        .iter()
        .chain(&dist_len[..ndist])
        .copied()
        .collect();
    let mut runs: Vec<(u8, u8)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let l = all[i];
        let run = all[i..].iter().take_while(|&&x| x == l).count();
        let taken = if l == 0 && run >= 11 {
            let n = run.min(138);
            runs.push((18, (n - 11) as u8));
            n
        } else if l == 0 && run >= 3 {
            runs.push((17, (run - 3) as u8));
            run
        } else if l != 0 && run >= 4 {
            let n = (run - 1).min(6);
            runs.push((l, 0));
            runs.push((16, (n - 3) as u8));
            n + 1
        } else {
            runs.push((l, 0));
            1
        };
        i += taken;
    }
    let mut clen_freq = [0u32; 19];
    for &(s, _) in &runs {
        clen_freq[usize::from(s)] += 1;
    }
    let clen_len = code_lengths(&clen_freq, 7);
    let nclen = 4.max(
        CLEN_ORDER
            .iter()
            .rposition(|&s| clen_len[s] > 0)
            .map_or(0, |i| i + 1),
    );
    let clen = canonical(&clen_len);
    let mut out = Out::default();
    out.put(1, 1); // the last block
    out.put(2, 2); // with codes of its own
    out.put((nlit - 257) as u32, 5);
    out.put((ndist - 1) as u32, 5);
    out.put((nclen - 4) as u32, 4);
    for &s in &CLEN_ORDER[..nclen] {
        out.put(u32::from(clen_len[s]), 3);
    }
    for &(s, extra) in &runs {
        out.code(&clen, usize::from(s));
        match s {
            16 => out.put(u32::from(extra), 2),
            17 => out.put(u32::from(extra), 3),
            18 => out.put(u32::from(extra), 7),
            _ => {}
        }
    }
    (out, lit_len, dist_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::rng::Rng;

    /// Texts of every kind a link carries and some it never does.
    fn samples() -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = vec![
            vec![],
            b"a".to_vec(),
            b"aa".to_vec(),
            b"abcabcabcabcabcabc".to_vec(),
            vec![0; 100_000],
            (0..=255u8).cycle().take(70_000).collect(),
            crate::lessons::all()
                .iter()
                .map(|l| l.yaml)
                .collect::<Vec<_>>()
                .join("\n---\n")
                .into_bytes(),
        ];
        let mut rng = Rng::new(3);
        for n in [1usize, 7, 300, 5_000, 40_000] {
            // random bytes, and text from a small alphabet with repeats
            out.push((0..n).map(|_| rng.below(256) as u8).collect());
            let words = [
                "kubectl ",
                "get ",
                "pods ",
                "redis-0 ",
                "\n",
                "apply -f ",
                "x",
            ];
            let mut t = Vec::new();
            while t.len() < n {
                t.extend_from_slice(words[rng.below(words.len() as u32) as usize].as_bytes());
            }
            out.push(t);
        }
        out
    }

    #[test]
    fn what_it_writes_reads_back_here_and_in_miniz() {
        for data in samples() {
            let packed = deflate(&data);
            assert_eq!(inflate(&packed, 1 << 24).as_deref(), Ok(&data[..]));
            assert_eq!(
                miniz_oxide::inflate::decompress_to_vec(&packed).ok(),
                Some(data.clone())
            );
            let miniz = miniz_oxide::deflate::compress_to_vec(&data, 9);
            assert!(
                packed.len() <= miniz.len() + miniz.len() / 20 + 8,
                "{} bytes: {} here, {} by miniz",
                data.len(),
                packed.len(),
                miniz.len()
            );
        }
    }

    #[test]
    fn what_miniz_writes_reads_back_at_every_level() {
        for data in samples() {
            for level in [0, 1, 6, 9] {
                let packed = miniz_oxide::deflate::compress_to_vec(&data, level);
                assert_eq!(inflate(&packed, 1 << 24).as_deref(), Ok(&data[..]));
            }
        }
    }

    #[test]
    fn damaged_or_oversized_data_is_refused_without_a_panic() {
        let data = samples().remove(6);
        let packed = deflate(&data);
        assert!(inflate(&packed, data.len() - 1).is_err());
        assert!(inflate(&packed[..packed.len() / 2], 1 << 24).is_err());
        assert!(inflate(&[], 1 << 24).is_err());
        assert!(inflate(&[0b111], 1 << 24).is_err()); // block type 3
        let mut rng = Rng::new(9);
        for _ in 0..3_000 {
            let mut bad = packed.clone();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(bad.len() as u32) as usize;
                bad[i] ^= 1 << rng.below(8);
            }
            let _ = inflate(&bad, 1 << 20);
            let n = rng.below(64) as usize;
            let noise: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
            let _ = inflate(&noise, 1 << 20);
        }
    }
}

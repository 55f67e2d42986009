//! The audit log's Merkle tree, as RFC 6962 (and RFC 9162 §2.1) define it: leaves hashed
//! with a 0x00 prefix, inner nodes with 0x01, so no leaf can pass for a node.
//!
//! A log keeps the hash of every perfect subtree (2^level leaves, aligned); roots and
//! inclusion proofs for any size are then a few lookups, never a pass over all leaves.

pub type Hash = [u8; 32];

pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = openssl::sha::Sha256::new();
    hasher.update(&[0]);
    hasher.update(entry);
    hasher.finish()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = openssl::sha::Sha256::new();
    hasher.update(&[1]);
    hasher.update(left);
    hasher.update(right);
    hasher.finish()
}

/// Where the hashes of perfect subtrees are kept (memory, a database).
pub trait Subtrees {
    /// The hash of leaves `index·2^level .. (index+1)·2^level`; level 0 is a leaf hash.
    fn perfect(&self, level: u32, index: u64) -> Hash;
}

fn largest_power_of_two_below(n: u64) -> u64 {
    debug_assert!(n > 1);
    1 << (63 - (n - 1).leading_zeros())
}

/// The hash of `len` leaves from `start`, where `start` is a multiple of the largest
/// power of two not above `len` (true of every range the RFC's recursion visits).
fn range_hash(tree: &impl Subtrees, start: u64, len: u64) -> Hash {
    if len.is_power_of_two() {
        let level = len.trailing_zeros();
        return tree.perfect(level, start >> level);
    }
    let k = largest_power_of_two_below(len);
    let left = tree.perfect(k.trailing_zeros(), start >> k.trailing_zeros());
    node_hash(&left, &range_hash(tree, start + k, len - k))
}

/// The root of the first `size` leaves (the hash of nothing for an empty log).
pub fn root(tree: &impl Subtrees, size: u64) -> Hash {
    if size == 0 {
        return openssl::sha::sha256(b"");
    }
    range_hash(tree, 0, size)
}

/// The audit path of leaf `index` in the tree of the first `size` leaves, leaf side first.
pub fn inclusion_proof(tree: &impl Subtrees, index: u64, size: u64) -> Vec<Hash> {
    fn path(tree: &impl Subtrees, index: u64, start: u64, len: u64, out: &mut Vec<Hash>) {
        if len <= 1 {
            return;
        }
        let k = largest_power_of_two_below(len);
        if index < k {
            path(tree, index, start, k, out);
            out.push(range_hash(tree, start + k, len - k));
        } else {
            path(tree, index - k, start + k, len - k, out);
            out.push(range_hash(tree, start, k));
        }
    }
    let mut out = Vec::new();
    if index < size {
        path(tree, index, 0, size, &mut out);
    }
    out
}

/// Whether `proof` shows the leaf `leaf` at `index` in the tree of `size` leaves whose root
/// is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// A tree held in memory: for tests, verifiers and a hub's cache.
#[derive(Clone, Debug, Default)]
pub struct MemoryTree {
    /// `levels[l][i]`: the perfect subtree `i` of level `l`.
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    pub fn len(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append a leaf hash; returns its index.
    pub fn push(&mut self, leaf: Hash) -> u64 {
        let index = self.len();
        let mut hash = leaf;
        let mut level = 0;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            self.levels[level].push(hash);
            let count = self.levels[level].len();
            if count % 2 == 1 {
                break;
            }
            hash = node_hash(
                &self.levels[level][count - 2],
                &self.levels[level][count - 1],
            );
            level += 1;
        }
        index
    }

    /// Forget the leaves from `len` on (a write that did not commit).
    pub fn truncate(&mut self, len: u64) {
        for (level, hashes) in self.levels.iter_mut().enumerate() {
            hashes.truncate((len >> level) as usize);
        }
    }

    /// The perfect subtrees a new leaf completes: what a database keeps beside the leaf.
    pub fn completed_by(&self, index: u64) -> Vec<(u32, u64, Hash)> {
        let mut out = Vec::new();
        let mut level = 0u32;
        let mut i = index;
        while i % 2 == 1 {
            level += 1;
            i /= 2;
            out.push((level, i, self.perfect(level, i)));
        }
        out
    }
}

impl Subtrees for MemoryTree {
    fn perfect(&self, level: u32, index: u64) -> Hash {
        self.levels[level as usize][index as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The leaves and roots of the certificate-transparency test vectors (RFC 6962 reference
    /// implementation, `merkle_tree_test`).
    const LEAVES: [&[u8]; 8] = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ];
    const ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn roots_match_the_reference_vectors() {
        let mut tree = MemoryTree::default();
        for (leaf, expected) in LEAVES.iter().zip(ROOTS) {
            tree.push(leaf_hash(leaf));
            assert_eq!(hex::encode(root(&tree, tree.len())), expected);
        }
        assert_eq!(
            hex::encode(root(&tree, 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn every_leaf_is_proven_in_every_size_and_only_there() {
        let mut tree = MemoryTree::default();
        for i in 0..70u64 {
            tree.push(leaf_hash(&i.to_be_bytes()));
        }
        for size in 1..=70 {
            let r = root(&tree, size);
            for index in 0..size {
                let leaf = leaf_hash(&index.to_be_bytes());
                let proof = inclusion_proof(&tree, index, size);
                assert!(
                    verify_inclusion(&leaf, index, size, &proof, &r),
                    "{index}/{size}"
                );
                let other = leaf_hash(b"not in the log");
                assert!(!verify_inclusion(&other, index, size, &proof, &r));
                if size > 1 {
                    assert!(!verify_inclusion(
                        &leaf,
                        (index + 1) % size,
                        size,
                        &proof,
                        &r
                    ));
                }
            }
        }
    }

    #[test]
    fn completed_subtrees_are_reported() {
        let mut tree = MemoryTree::default();
        for i in 0..4u64 {
            tree.push(leaf_hash(&[i as u8]));
        }
        let done: Vec<(u32, u64)> = tree
            .completed_by(3)
            .iter()
            .map(|&(l, i, _)| (l, i))
            .collect();
        assert_eq!(done, [(1, 1), (2, 0)]);
        assert!(tree.completed_by(2).is_empty());
    }

    #[test]
    fn truncating_gives_the_smaller_tree_back() {
        let mut tree = MemoryTree::default();
        let mut small = MemoryTree::default();
        for i in 0..11u64 {
            tree.push(leaf_hash(&[i as u8]));
            if i < 6 {
                small.push(leaf_hash(&[i as u8]));
            }
        }
        tree.truncate(6);
        assert_eq!(tree.len(), 6);
        assert_eq!(root(&tree, 6), root(&small, 6));
        tree.push(leaf_hash(&[6]));
        small.push(leaf_hash(&[6]));
        assert_eq!(root(&tree, 7), root(&small, 7));
    }
}

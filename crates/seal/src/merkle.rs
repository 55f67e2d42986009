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

/// The proof that the tree of the first `first` leaves is a prefix of the tree of the
/// first `second` (RFC 9162 §2.1.4.1): the log only grew between the two. Empty when the
/// sizes are equal; `first` is at least 1 and at most `second`.
pub fn consistency_proof(tree: &impl Subtrees, first: u64, second: u64) -> Vec<Hash> {
    /// SUBPROOF(m, D[start..start+len], whole): `whole` while the old tree is still the
    /// subtree's left edge, whose root the verifier already holds.
    fn subproof(
        tree: &impl Subtrees,
        m: u64,
        start: u64,
        len: u64,
        whole: bool,
        out: &mut Vec<Hash>,
    ) {
        if m == len {
            if !whole {
                out.push(range_hash(tree, start, len));
            }
            return;
        }
        let k = largest_power_of_two_below(len);
        if m <= k {
            subproof(tree, m, start, k, whole, out);
            out.push(range_hash(tree, start + k, len - k));
        } else {
            subproof(tree, m - k, start + k, len - k, false, out);
            out.push(range_hash(tree, start, k));
        }
    }
    let mut out = Vec::new();
    if 0 < first && first < second {
        subproof(tree, first, 0, second, true, &mut out);
    }
    out
}

/// Whether `proof` shows the tree of `first` leaves with root `first_root` to be a prefix
/// of the tree of `second` leaves with root `second_root` (RFC 9162 §2.1.4.2).
pub fn verify_consistency(
    first: u64,
    second: u64,
    first_root: &Hash,
    second_root: &Hash,
    proof: &[Hash],
) -> bool {
    if first == 0 || first > second {
        return false;
    }
    if first == second {
        return proof.is_empty() && first_root == second_root;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if first.is_power_of_two() {
        path.push(*first_root);
    }
    path.extend_from_slice(proof);
    let Some((head, rest)) = path.split_first() else {
        return false;
    };
    let (mut f, mut s) = (first - 1, second - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*head, *head);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *first_root && sr == *second_root && s == 0
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
    fn consistency_proofs_match_the_reference_vectors() {
        // The certificate-transparency reference implementation's proofs over `LEAVES`.
        let mut tree = MemoryTree::default();
        for leaf in LEAVES {
            tree.push(leaf_hash(leaf));
        }
        let vectors: [(u64, u64, &[&str]); 4] = [
            (1, 1, &[]),
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (first, second, expected) in vectors {
            let proof = consistency_proof(&tree, first, second);
            let hex: Vec<String> = proof.iter().map(hex::encode).collect();
            assert_eq!(hex, expected, "{first}/{second}");
            assert!(verify_consistency(
                first,
                second,
                &root(&tree, first),
                &root(&tree, second),
                &proof
            ));
        }
    }

    /// MTH and PROOF as RFC 9162 §2.1.1 and §2.1.4.1 write them, over the list of leaves:
    /// the reference the subtree-based proofs are held against.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => openssl::sha::sha256(b""),
            1 => leaves[0],
            n => {
                let k = largest_power_of_two_below(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    fn reference_subproof(m: usize, leaves: &[Hash], whole: bool) -> Vec<Hash> {
        let n = leaves.len();
        if m == n {
            return if whole {
                vec![]
            } else {
                vec![reference_root(leaves)]
            };
        }
        let k = largest_power_of_two_below(n as u64) as usize;
        let mut proof;
        if m <= k {
            proof = reference_subproof(m, &leaves[..k], whole);
            proof.push(reference_root(&leaves[k..]));
        } else {
            proof = reference_subproof(m - k, &leaves[k..], false);
            proof.push(reference_root(&leaves[..k]));
        }
        proof
    }

    #[test]
    fn consistency_proofs_are_the_rfcs_and_only_a_grown_log_passes() {
        let leaves: Vec<Hash> = (0..40u64).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut tree = MemoryTree::default();
        for leaf in &leaves {
            tree.push(*leaf);
        }
        // A log that rewrote its leaf 2 after size 3: the fork a consistency check catches.
        let mut forked = MemoryTree::default();
        for (i, leaf) in leaves.iter().enumerate() {
            forked.push(if i == 2 {
                leaf_hash(b"rewritten")
            } else {
                *leaf
            });
        }
        for second in 1..=40u64 {
            let second_root = root(&tree, second);
            assert_eq!(second_root, reference_root(&leaves[..second as usize]));
            for first in 1..=second {
                let proof = consistency_proof(&tree, first, second);
                if first < second {
                    assert_eq!(
                        proof,
                        reference_subproof(first as usize, &leaves[..second as usize], true),
                        "{first}/{second}"
                    );
                }
                let first_root = root(&tree, first);
                assert!(
                    verify_consistency(first, second, &first_root, &second_root, &proof),
                    "{first}/{second}"
                );
                // The old head of the forked log is not a prefix of the honest one's.
                if first >= 3 {
                    let forked_root = root(&forked, first);
                    assert!(!verify_consistency(
                        first,
                        second,
                        &forked_root,
                        &second_root,
                        &proof
                    ));
                }
                if first < second {
                    // Any hash of the proof changed, or the roots swapped, fails (the sizes are the
                    // signed checkpoints' own).
                    for at in 0..proof.len() {
                        let mut bad = proof.clone();
                        bad[at][0] ^= 1;
                        assert!(!verify_consistency(
                            first,
                            second,
                            &first_root,
                            &second_root,
                            &bad
                        ));
                    }
                    assert!(!verify_consistency(
                        first,
                        second,
                        &second_root,
                        &first_root,
                        &proof
                    ));
                }
            }
        }
        assert!(!verify_consistency(
            0,
            4,
            &root(&tree, 0),
            &root(&tree, 4),
            &[]
        ));
        assert!(!verify_consistency(
            5,
            4,
            &root(&tree, 5),
            &root(&tree, 4),
            &[]
        ));
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

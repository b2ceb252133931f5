// A booster's raw predictions: the sum over its trees of each row's leaf value. Trees are stored
// together as 24-byte node records (roots[t] is tree t's first node; child indices are relative
// to it): [f64 threshold — or the leaf's value, or the split's bin when predicting binned rows;
// i32 feature (−1 at a leaf); i32 left; i32 right; i32 bitset index · 4 + flags]. One record per
// visited node keeps a row's walk to one cache line per level. Tree t adds to output column t mod
// k; rows go through every tree in blocks, so a row's values stay in cache. Flags: bit 0, missing
// values go left; bit 1, a categorical split whose left categories are the bitset (8 u32).

/** Rows walked through each tree together. */
const BLOCK: i32 = 64;
/** Bytes of a node record. */
const NODE: usize = 24;

const MISSING_LEFT: i32 = 1;
const CATEGORICAL: i32 = 2;

// @ts-ignore: decorator
@inline function inBitset(bitsets: usize, index: i32, value: i32): bool {
  if (value < 0 || value > 255) return false;
  return (load<u32>(bitsets + (<usize>(index * 8 + (value >> 5)) << 2)) & (1 << (value & 31))) != 0;
}

/** The child of node (a split) that a row with values at row goes to. */
// @ts-ignore: decorator
@inline function step(root: usize, node: usize, f: i32, row: usize, bitsets: usize): usize {
  const v = load<f64>(row + (<usize>f << 3));
  const tag = load<i32>(node, 20);
  let goLeft: bool;
  if ((tag & CATEGORICAL) == 0) goLeft = select(v <= load<f64>(node), (tag & MISSING_LEFT) != 0, v == v);
  else if (v != v || v < 0) goLeft = (tag & MISSING_LEFT) != 0;
  else goLeft = inBitset(bitsets, tag >> 2, v < 256 ? <i32>v : 256);
  return root + <usize>load<i32>(node + (goLeft ? 12 : 16)) * NODE;
}

/**
 * out[c·m + i] += Σ over trees t with t mod k = c of the leaf value of row i of x (f64, m×d,
 * row-major), for rows rowStart ≤ i < rowEnd: a value ≤ threshold goes left, NaN as its flag says;
 * a categorical value goes left when in the raw bitset (a negative value counts as missing).
 * Four rows walk each tree together: their chains of dependent loads overlap.
 */
export function boostPredict(x: usize, m: i32, d: i32, trees: i32, k: i32, roots: usize, nodes: usize, bitsets: usize, out: usize, rowStart: i32, rowEnd: i32): void {
  for (let b = rowStart; b < rowEnd; b += BLOCK) {
    const e = min(b + BLOCK, rowEnd);
    for (let t = 0; t < trees; t++) {
      const root = nodes + <usize>load<i32>(roots + (<usize>t << 2)) * NODE;
      const column = out + (<usize>(t % k) * m << 3);
      let i = b;
      for (; i + 4 <= e; i += 4) {
        const r0 = x + (<usize>i * d << 3), r1 = r0 + (<usize>d << 3), r2 = r1 + (<usize>d << 3), r3 = r2 + (<usize>d << 3);
        let n0 = root, n1 = root, n2 = root, n3 = root;
        let f0 = load<i32>(root, 8), f1 = f0, f2 = f0, f3 = f0;
        while (f0 >= 0 || f1 >= 0 || f2 >= 0 || f3 >= 0) {
          if (f0 >= 0) { n0 = step(root, n0, f0, r0, bitsets); f0 = load<i32>(n0, 8); }
          if (f1 >= 0) { n1 = step(root, n1, f1, r1, bitsets); f1 = load<i32>(n1, 8); }
          if (f2 >= 0) { n2 = step(root, n2, f2, r2, bitsets); f2 = load<i32>(n2, 8); }
          if (f3 >= 0) { n3 = step(root, n3, f3, r3, bitsets); f3 = load<i32>(n3, 8); }
        }
        const o = column + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(n0));
        store<f64>(o, load<f64>(o, 8) + load<f64>(n1), 8);
        store<f64>(o, load<f64>(o, 16) + load<f64>(n2), 16);
        store<f64>(o, load<f64>(o, 24) + load<f64>(n3), 24);
      }
      for (; i < e; i++) {
        const row = x + (<usize>i * d << 3);
        let node = root;
        let f = load<i32>(node, 8);
        while (f >= 0) {
          node = step(root, node, f, row, bitsets);
          f = load<i32>(node, 8);
        }
        const o = column + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(node));
      }
    }
  }
}

/**
 * As boostPredict for binned rows: codes (u8, d×m, feature-major), a bin ≤ the node's bin (its
 * record's f64) going left, the missing bin as the flag says, a categorical bin by the binned bitset.
 */
export function boostPredictBinned(codes: usize, m: i32, trees: i32, k: i32, roots: usize, nodes: usize, bitsets: usize, missingBin: i32, out: usize,
  rowStart: i32, rowEnd: i32): void {
  for (let b = rowStart; b < rowEnd; b += BLOCK) {
    const e = min(b + BLOCK, rowEnd);
    for (let t = 0; t < trees; t++) {
      const root = nodes + <usize>load<i32>(roots + (<usize>t << 2)) * NODE;
      const column = out + (<usize>(t % k) * m << 3);
      for (let i = b; i < e; i++) {
        let node = root;
        let f = load<i32>(node, 8);
        while (f >= 0) {
          const c = <i32>load<u8>(codes + <usize>f * m + i);
          const tag = load<i32>(node, 20);
          let goLeft: bool;
          if (c == missingBin) goLeft = (tag & MISSING_LEFT) != 0;
          else if ((tag & CATEGORICAL) != 0) goLeft = inBitset(bitsets, tag >> 2, c);
          else goLeft = <f64>c <= load<f64>(node);
          node = root + <usize>load<i32>(node + (goLeft ? 12 : 16)) * NODE;
          f = load<i32>(node, 8);
        }
        const o = column + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(node));
      }
    }
  }
}

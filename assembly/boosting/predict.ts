// A booster's raw predictions: the sum over its trees of each row's leaf value. Trees are stored
// together (roots[t] is tree t's first node; child indices are relative to it) and tree t adds to
// output column t mod k. Rows go through every tree in blocks, so a row's values stay in cache.
// A node's flags: bit 0, missing values go left; bit 1, a categorical split whose left
// categories are the bitset (8 u32) at index bitsetIndex.

/** Rows walked through each tree together. */
const BLOCK: i32 = 64;

/** Flag bits of a node. */
const MISSING_LEFT: i32 = 1;
const CATEGORICAL: i32 = 2;

// @ts-ignore: decorator
@inline function inBitset(bitsets: usize, index: i32, value: i32): bool {
  if (value < 0 || value > 255) return false;
  return (load<u32>(bitsets + (<usize>(index * 8 + (value >> 5)) << 2)) & (1 << (value & 31))) != 0;
}

/**
 * out[c·m + i] += Σ over trees t with t mod k = c of the leaf value of row i of x (f64, m×d,
 * row-major), for rows rowStart ≤ i < rowEnd: a value ≤ threshold goes left, NaN as its flag says;
 * a categorical value goes left when in the raw bitset (a negative value counts as missing).
 */
export function boostPredict(
  x: usize, m: i32, d: i32, trees: i32, k: i32, roots: usize, feature: usize, left: usize, right: usize, threshold: usize, flags: usize, bitsetIndex: usize,
  bitsets: usize, value: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let b = rowStart; b < rowEnd; b += BLOCK) {
    const e = min(b + BLOCK, rowEnd);
    for (let t = 0; t < trees; t++) {
      const root = <usize>load<i32>(roots + (<usize>t << 2));
      const column = out + (<usize>(t % k) * m << 3);
      for (let i = b; i < e; i++) {
        const row = x + (<usize>i * d << 3);
        let node = root;
        while (true) {
          const f = load<i32>(feature + (node << 2));
          if (f < 0) break;
          const v = load<f64>(row + (<usize>f << 3));
          const flag = load<i32>(flags + (node << 2));
          let goLeft: bool;
          if (v != v || ((flag & CATEGORICAL) != 0 && v < 0)) goLeft = (flag & MISSING_LEFT) != 0;
          else if ((flag & CATEGORICAL) != 0) goLeft = inBitset(bitsets, load<i32>(bitsetIndex + (node << 2)), v < 256 ? <i32>v : 256);
          else goLeft = v <= load<f64>(threshold + (node << 3));
          node = root + <usize>load<i32>((goLeft ? left : right) + (node << 2));
        }
        const o = column + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(value + (node << 3)));
      }
    }
  }
}

/**
 * As boostPredict for binned rows: codes (u8, d×m, feature-major), a bin ≤ the node's bin going
 * left, the missing bin as the flag says, a categorical bin by the binned bitset.
 */
export function boostPredictBinned(
  codes: usize, m: i32, trees: i32, k: i32, roots: usize, feature: usize, left: usize, right: usize, bin: usize, flags: usize, bitsetIndex: usize,
  bitsets: usize, value: usize, missingBin: i32, out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let b = rowStart; b < rowEnd; b += BLOCK) {
    const e = min(b + BLOCK, rowEnd);
    for (let t = 0; t < trees; t++) {
      const root = <usize>load<i32>(roots + (<usize>t << 2));
      const column = out + (<usize>(t % k) * m << 3);
      for (let i = b; i < e; i++) {
        let node = root;
        while (true) {
          const f = load<i32>(feature + (node << 2));
          if (f < 0) break;
          const c = <i32>load<u8>(codes + <usize>f * m + i);
          const flag = load<i32>(flags + (node << 2));
          let goLeft: bool;
          if (c == missingBin) goLeft = (flag & MISSING_LEFT) != 0;
          else if ((flag & CATEGORICAL) != 0) goLeft = inBitset(bitsets, load<i32>(bitsetIndex + (node << 2)), c);
          else goLeft = c <= load<i32>(bin + (node << 2));
          node = root + <usize>load<i32>((goLeft ? left : right) + (node << 2));
        }
        const o = column + (<usize>i << 3);
        store<f64>(o, load<f64>(o) + load<f64>(value + (node << 3)));
      }
    }
  }
}

// Applying a tree: the leaf each row falls in.

/** out[i] = the leaf that row i of x (f32, m×d) falls in, rows rowStart ≤ i < rowEnd. */
export function treeApply(
  x: usize, features: i32, left: usize, right: usize, feature: usize, threshold: usize, out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    let node = 0;
    while (load<i32>(left + (<usize>node << 2)) >= 0) {
      const f = load<i32>(feature + (<usize>node << 2));
      const v = <f64>load<f32>(x + ((<usize>i * features + f) << 2));
      node = v <= load<f64>(threshold + (<usize>node << 3)) ? load<i32>(left + (<usize>node << 2)) : load<i32>(right + (<usize>node << 2));
    }
    store<i32>(out + (<usize>i << 2), node);
  }
}

/** Rows a forest walks together through each tree: their features stay in cache from tree to tree. */
const FOREST_BLOCK: i32 = 64;

/**
 * out[i, c] = Σ_t values[root_t + leaf_t(i), c] over the trees in order, for rows rowStart ≤ i <
 * rowEnd of x (f32, m×features): a forest's summed leaf values (each already divided as the
 * caller averages). The trees' nodes are concatenated: tree t's begin at roots[t] (i32), with its
 * own left/right indices. Rows go in blocks that walk every tree before the next block, so a row
 * is read from memory once instead of once per tree.
 */
export function forestSum(
  x: usize, features: i32, trees: i32, roots: usize, left: usize, right: usize, feature: usize, threshold: usize, values: usize, k: i32,
  out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) for (let c = 0; c < k; c++) store<f64>(out + ((<usize>i * k + c) << 3), 0);
  for (let b = rowStart; b < rowEnd; b += FOREST_BLOCK) {
    const e = min(b + FOREST_BLOCK, rowEnd);
    for (let t = 0; t < trees; t++) {
      const root = load<i32>(roots + (<usize>t << 2));
      const l = left + (<usize>root << 2), r = right + (<usize>root << 2), f = feature + (<usize>root << 2), h = threshold + (<usize>root << 3);
      const v = values + (<usize>root * k << 3);
      for (let i = b; i < e; i++) {
        const row = x + (<usize>i * features << 2);
        let node = 0;
        while (load<i32>(l + (<usize>node << 2)) >= 0) {
          const value = <f64>load<f32>(row + (<usize>load<i32>(f + (<usize>node << 2)) << 2));
          node = value <= load<f64>(h + (<usize>node << 3)) ? load<i32>(l + (<usize>node << 2)) : load<i32>(r + (<usize>node << 2));
        }
        const o = out + (<usize>i * k << 3), src = v + (<usize>node * k << 3);
        for (let c = 0; c < k; c++) store<f64>(o + (<usize>c << 3), load<f64>(o + (<usize>c << 3)) + load<f64>(src + (<usize>c << 3)));
      }
    }
  }
}

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

/** The leaf row (f32 values) reaches in the tree whose arrays start at l, r, f, h (a split goes left when value ≤ threshold). */
// @ts-ignore: decorator
@inline function leafOf(l: usize, r: usize, f: usize, h: usize, row: usize): i32 {
  let node = 0;
  while (load<i32>(l + (<usize>node << 2)) >= 0) {
    const value = <f64>load<f32>(row + (<usize>load<i32>(f + (<usize>node << 2)) << 2));
    node = value <= load<f64>(h + (<usize>node << 3)) ? load<i32>(l + (<usize>node << 2)) : load<i32>(r + (<usize>node << 2));
  }
  return node;
}

/**
 * out[i, c] = Σ_t values[feature[leaf_t(i)], c] over the trees in order, for rows rowStart ≤ i <
 * rowEnd of x (f32, m×features): a forest's summed leaf values (each already divided as the
 * caller averages). The trees' nodes are concatenated: tree t's begin at roots[t] (i32), with its
 * own left/right indices; a leaf's feature slot holds its row in values (leaves only: the copy
 * made per call is half as large). Rows go in blocks that walk every tree before the next block, so a row
 * is read from memory once instead of once per tree; within a block, four rows walk each tree in
 * lockstep so that their chains of dependent loads overlap, and a last one to three rows walk four
 * trees at a time (a single row's prediction is as fast as four rows' per row, not four times slower).
 */
export function forestSum(
  x: usize, features: i32, trees: i32, roots: usize, left: usize, right: usize, feature: usize, threshold: usize, values: usize, k: i32,
  out: usize, rowStart: i32, rowEnd: i32,
): void {
  for (let i = rowStart; i < rowEnd; i++) for (let c = 0; c < k; c++) store<f64>(out + ((<usize>i * k + c) << 3), 0);
  const stride = <usize>features << 2;
  for (let b = rowStart; b < rowEnd; b += FOREST_BLOCK) {
    const e = min(b + FOREST_BLOCK, rowEnd);
    // Rows in fours walk each tree in lockstep; the last one to three rows walk four trees at a time.
    const fours = b + ((e - b) & ~3);
    for (let t = 0; t < trees; t++) {
      const root = load<i32>(roots + (<usize>t << 2));
      const l = left + (<usize>root << 2), r = right + (<usize>root << 2), f = feature + (<usize>root << 2), h = threshold + (<usize>root << 3);
      for (let i = b; i < fours; i += 4) {
        const r0 = x + <usize>i * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
        let n0 = 0, n1 = 0, n2 = 0, n3 = 0;
        let c0 = load<i32>(l), c1 = c0, c2 = c0, c3 = c0;
        while (c0 >= 0 || c1 >= 0 || c2 >= 0 || c3 >= 0) {
          if (c0 >= 0) {
            n0 = <f64>load<f32>(r0 + (<usize>load<i32>(f + (<usize>n0 << 2)) << 2)) <= load<f64>(h + (<usize>n0 << 3)) ? c0 : load<i32>(r + (<usize>n0 << 2));
            c0 = load<i32>(l + (<usize>n0 << 2));
          }
          if (c1 >= 0) {
            n1 = <f64>load<f32>(r1 + (<usize>load<i32>(f + (<usize>n1 << 2)) << 2)) <= load<f64>(h + (<usize>n1 << 3)) ? c1 : load<i32>(r + (<usize>n1 << 2));
            c1 = load<i32>(l + (<usize>n1 << 2));
          }
          if (c2 >= 0) {
            n2 = <f64>load<f32>(r2 + (<usize>load<i32>(f + (<usize>n2 << 2)) << 2)) <= load<f64>(h + (<usize>n2 << 3)) ? c2 : load<i32>(r + (<usize>n2 << 2));
            c2 = load<i32>(l + (<usize>n2 << 2));
          }
          if (c3 >= 0) {
            n3 = <f64>load<f32>(r3 + (<usize>load<i32>(f + (<usize>n3 << 2)) << 2)) <= load<f64>(h + (<usize>n3 << 3)) ? c3 : load<i32>(r + (<usize>n3 << 2));
            c3 = load<i32>(l + (<usize>n3 << 2));
          }
        }
        addLeaf(out, i, k, values, load<i32>(f + (<usize>n0 << 2)));
        addLeaf(out, i + 1, k, values, load<i32>(f + (<usize>n1 << 2)));
        addLeaf(out, i + 2, k, values, load<i32>(f + (<usize>n2 << 2)));
        addLeaf(out, i + 3, k, values, load<i32>(f + (<usize>n3 << 2)));
      }
    }
    for (let i = fours; i < e; i++) {
      const row = x + <usize>i * stride;
      let t = 0;
      for (; t + 4 <= trees; t += 4) {
        const found = leavesOf4Trees(row, roots + (<usize>t << 2), left, right, feature, threshold);
        addLeaf(out, i, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 0) << 2)));
        addLeaf(out, i, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 1) << 2)));
        addLeaf(out, i, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 2) << 2)));
        addLeaf(out, i, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 3) << 2)));
      }
      for (; t < trees; t++) addLeaf(out, i, k, values, load<i32>(feature + (<usize>leafOfTree(row, t, roots, left, right, feature, threshold) << 2)));
    }
  }
}

/**
 * The leaves (as indices into the concatenated arrays) that the row at `row` reaches in four trees
 * whose roots are at roots[0..3], as i32 lanes 0..3: the four walks' chains of dependent loads
 * overlap, as four rows' do in forestSum.
 */
// @ts-ignore: decorator
@inline function leavesOf4Trees(row: usize, roots: usize, left: usize, right: usize, feature: usize, threshold: usize): v128 {
  const a0 = load<i32>(roots), a1 = load<i32>(roots, 4), a2 = load<i32>(roots, 8), a3 = load<i32>(roots, 12);
  // Nodes as absolute indices into the concatenated arrays; each tree's child indices are its own.
  let n0 = a0, n1 = a1, n2 = a2, n3 = a3;
  let c0 = load<i32>(left + (<usize>n0 << 2)), c1 = load<i32>(left + (<usize>n1 << 2));
  let c2 = load<i32>(left + (<usize>n2 << 2)), c3 = load<i32>(left + (<usize>n3 << 2));
  while (c0 >= 0 || c1 >= 0 || c2 >= 0 || c3 >= 0) {
    if (c0 >= 0) {
      n0 = a0 + (<f64>load<f32>(row + (<usize>load<i32>(feature + (<usize>n0 << 2)) << 2)) <= load<f64>(threshold + (<usize>n0 << 3)) ? c0 : load<i32>(right + (<usize>n0 << 2)));
      c0 = load<i32>(left + (<usize>n0 << 2));
    }
    if (c1 >= 0) {
      n1 = a1 + (<f64>load<f32>(row + (<usize>load<i32>(feature + (<usize>n1 << 2)) << 2)) <= load<f64>(threshold + (<usize>n1 << 3)) ? c1 : load<i32>(right + (<usize>n1 << 2)));
      c1 = load<i32>(left + (<usize>n1 << 2));
    }
    if (c2 >= 0) {
      n2 = a2 + (<f64>load<f32>(row + (<usize>load<i32>(feature + (<usize>n2 << 2)) << 2)) <= load<f64>(threshold + (<usize>n2 << 3)) ? c2 : load<i32>(right + (<usize>n2 << 2)));
      c2 = load<i32>(left + (<usize>n2 << 2));
    }
    if (c3 >= 0) {
      n3 = a3 + (<f64>load<f32>(row + (<usize>load<i32>(feature + (<usize>n3 << 2)) << 2)) <= load<f64>(threshold + (<usize>n3 << 3)) ? c3 : load<i32>(right + (<usize>n3 << 2)));
      c3 = load<i32>(left + (<usize>n3 << 2));
    }
  }
  return i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(n0), 1, n1), 2, n2), 3, n3);
}

/** The leaf the row at `row` reaches in tree t (an index into the concatenated arrays). */
// @ts-ignore: decorator
@inline function leafOfTree(row: usize, t: i32, roots: usize, left: usize, right: usize, feature: usize, threshold: usize): i32 {
  const root = load<i32>(roots + (<usize>t << 2));
  return root + leafOf(left + (<usize>root << 2), right + (<usize>root << 2), feature + (<usize>root << 2), threshold + (<usize>root << 3), row);
}

/**
 * rows[t, 0:k] = the k values of the leaf that one row of f32 features reaches in tree t, for
 * trees start ≤ t < end: a single row's walks split across threads by tree, each thread also
 * gathering its leaves' values (scattered over the forest) into rows side by side. The sum is left
 * to forestAddLeaves, in tree order, so the result is forestSum's bit for bit.
 */
export function forestLeaves(
  row: usize, roots: usize, left: usize, right: usize, feature: usize, threshold: usize, values: usize, k: i32, rows: usize,
  start: i32, end: i32,
): void {
  let t = start;
  for (; t + 4 <= end; t += 4) {
    const found = leavesOf4Trees(row, roots + (<usize>t << 2), left, right, feature, threshold);
    copyLeaf(rows, t, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 0) << 2)));
    copyLeaf(rows, t + 1, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 1) << 2)));
    copyLeaf(rows, t + 2, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 2) << 2)));
    copyLeaf(rows, t + 3, k, values, load<i32>(feature + (<usize>i32x4.extract_lane(found, 3) << 2)));
  }
  for (; t < end; t++) copyLeaf(rows, t, k, values, load<i32>(feature + (<usize>leafOfTree(row, t, roots, left, right, feature, threshold) << 2)));
}

/** rows[t, 0:k] = values[leaf, 0:k]. */
// @ts-ignore: decorator
@inline function copyLeaf(rows: usize, t: i32, k: i32, values: usize, leaf: i32): void {
  memory.copy(rows + (<usize>t * k << 3), values + (<usize>leaf * k << 3), <usize>k << 3);
}

/** out[0:k] = Σ_t rows[t, 0:k] over the trees in order (after forestLeaves). */
export function forestAddLeaves(rows: usize, trees: i32, k: i32, out: usize): void {
  for (let c = 0; c < k; c++) store<f64>(out + (<usize>c << 3), 0);
  for (let t = 0; t < trees; t++) addLeaf(out, 0, k, rows, t);
}

/** out row i += the k values of row `leaf` of values. */
// @ts-ignore: decorator
@inline function addLeaf(out: usize, i: i32, k: i32, values: usize, leaf: i32): void {
  const o = out + (<usize>i * k << 3), src = values + (<usize>leaf * k << 3);
  for (let c = 0; c < k; c++) store<f64>(o + (<usize>c << 3), load<f64>(o + (<usize>c << 3)) + load<f64>(src + (<usize>c << 3)));
}

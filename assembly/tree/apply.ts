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

// A packed forest's nodes (ops/tree.ts packForest) are 16-byte records, one cache line holding
// four: the right child (an index into all the trees' nodes; -1 for a leaf), the split feature
// (for a leaf, its row of values) and the threshold (f64). Trees are laid out depth first, so a
// node's left child is the next record, often in the same line: a walk's step reads one line,
// where four arrays (left, right, feature, threshold) cost up to four.

/** The node after `node` for the row at `row`: left (the next record) when value ≤ threshold, else right. */
// @ts-ignore: decorator
@inline function step(nodes: usize, node: i32, right: i32, row: usize): i32 {
  const rec = nodes + (<usize>node << 4);
  return <f64>load<f32>(row + (<usize>load<i32>(rec, 4) << 2)) <= load<f64>(rec, 8) ? node + 1 : right;
}

// @ts-ignore: decorator
@inline function rightOf(nodes: usize, node: i32): i32 {
  return load<i32>(nodes + (<usize>node << 4));
}

/** The values row of the leaf that the row at `row` reaches from node `root`. */
// @ts-ignore: decorator
@inline function leafRow(nodes: usize, root: i32, row: usize): i32 {
  let n = root, r = rightOf(nodes, n);
  while (r >= 0) {
    n = step(nodes, n, r, row);
    r = rightOf(nodes, n);
  }
  return load<i32>(nodes + (<usize>n << 4), 4);
}

/**
 * out[i, c] = Σ_t values[leaf_t(i), c] over the trees in order, for rows rowStart ≤ i < rowEnd of
 * x (f32, m×features): a forest's summed leaf values (each already divided as the caller
 * averages). Tree t's root is the record roots[t] (i32) of `nodes`. Rows go in blocks that walk
 * every tree before the next block, so a row is read from memory once instead of once per tree;
 * within a block, four rows walk each tree in lockstep so that their chains of dependent loads
 * overlap, and a last one to three rows walk four trees at a time (a single row's prediction is as
 * fast as four rows' per row, not four times slower).
 */
export function forestSum(
  x: usize, features: i32, trees: i32, roots: usize, nodes: usize, values: usize, k: i32,
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
      for (let i = b; i < fours; i += 4) {
        const r0 = x + <usize>i * stride, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
        let n0 = root, n1 = root, n2 = root, n3 = root;
        let c0 = rightOf(nodes, root), c1 = c0, c2 = c0, c3 = c0;
        while (c0 >= 0 || c1 >= 0 || c2 >= 0 || c3 >= 0) {
          if (c0 >= 0) { n0 = step(nodes, n0, c0, r0); c0 = rightOf(nodes, n0); }
          if (c1 >= 0) { n1 = step(nodes, n1, c1, r1); c1 = rightOf(nodes, n1); }
          if (c2 >= 0) { n2 = step(nodes, n2, c2, r2); c2 = rightOf(nodes, n2); }
          if (c3 >= 0) { n3 = step(nodes, n3, c3, r3); c3 = rightOf(nodes, n3); }
        }
        addLeaf(out, i, k, values, load<i32>(nodes + (<usize>n0 << 4), 4));
        addLeaf(out, i + 1, k, values, load<i32>(nodes + (<usize>n1 << 4), 4));
        addLeaf(out, i + 2, k, values, load<i32>(nodes + (<usize>n2 << 4), 4));
        addLeaf(out, i + 3, k, values, load<i32>(nodes + (<usize>n3 << 4), 4));
      }
    }
    for (let i = fours; i < e; i++) {
      const row = x + <usize>i * stride;
      let t = 0;
      for (; t + 4 <= trees; t += 4) {
        const found = leavesOf4Trees(row, roots + (<usize>t << 2), nodes);
        addLeaf(out, i, k, values, i32x4.extract_lane(found, 0));
        addLeaf(out, i, k, values, i32x4.extract_lane(found, 1));
        addLeaf(out, i, k, values, i32x4.extract_lane(found, 2));
        addLeaf(out, i, k, values, i32x4.extract_lane(found, 3));
      }
      for (; t < trees; t++) addLeaf(out, i, k, values, leafRow(nodes, load<i32>(roots + (<usize>t << 2)), row));
    }
  }
}

/**
 * The values rows of the leaves that the row at `row` reaches in four trees whose roots are at
 * roots[0..3], as i32 lanes 0..3: the four walks' chains of dependent loads overlap, as four
 * rows' do in forestSum.
 */
// @ts-ignore: decorator
@inline function leavesOf4Trees(row: usize, roots: usize, nodes: usize): v128 {
  let n0 = load<i32>(roots), n1 = load<i32>(roots, 4), n2 = load<i32>(roots, 8), n3 = load<i32>(roots, 12);
  let c0 = rightOf(nodes, n0), c1 = rightOf(nodes, n1), c2 = rightOf(nodes, n2), c3 = rightOf(nodes, n3);
  while (c0 >= 0 || c1 >= 0 || c2 >= 0 || c3 >= 0) {
    if (c0 >= 0) { n0 = step(nodes, n0, c0, row); c0 = rightOf(nodes, n0); }
    if (c1 >= 0) { n1 = step(nodes, n1, c1, row); c1 = rightOf(nodes, n1); }
    if (c2 >= 0) { n2 = step(nodes, n2, c2, row); c2 = rightOf(nodes, n2); }
    if (c3 >= 0) { n3 = step(nodes, n3, c3, row); c3 = rightOf(nodes, n3); }
  }
  return i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(
    i32x4.splat(load<i32>(nodes + (<usize>n0 << 4), 4)), 1, load<i32>(nodes + (<usize>n1 << 4), 4)),
    2, load<i32>(nodes + (<usize>n2 << 4), 4)), 3, load<i32>(nodes + (<usize>n3 << 4), 4));
}

/**
 * rows[t, 0:k] = the k values of the leaf that one row of f32 features reaches in tree t, for
 * trees start ≤ t < end: a single row's walks split across threads by tree, each thread also
 * gathering its leaves' values (scattered over the forest) into rows side by side. The sum is left
 * to forestAddLeaves, in tree order, so the result is forestSum's bit for bit.
 */
export function forestLeaves(
  row: usize, roots: usize, nodes: usize, values: usize, k: i32, rows: usize,
  start: i32, end: i32,
): void {
  let t = start;
  for (; t + 4 <= end; t += 4) {
    const found = leavesOf4Trees(row, roots + (<usize>t << 2), nodes);
    copyLeaf(rows, t, k, values, i32x4.extract_lane(found, 0));
    copyLeaf(rows, t + 1, k, values, i32x4.extract_lane(found, 1));
    copyLeaf(rows, t + 2, k, values, i32x4.extract_lane(found, 2));
    copyLeaf(rows, t + 3, k, values, i32x4.extract_lane(found, 3));
  }
  for (; t < end; t++) copyLeaf(rows, t, k, values, leafRow(nodes, load<i32>(roots + (<usize>t << 2)), row));
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

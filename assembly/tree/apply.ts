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

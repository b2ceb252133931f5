import { forestAddLeaves, forestLeaves, forestSum, treeApply } from '../tree/apply';
import { at, randomBuffer, randomInt, seedTests } from './helpers';

/** A random full tree of the given depth over `features` features, its nodes from `base` on: node i's children 2i+1, 2i+2. */
function randomTree(depth: i32, features: i32, left: usize, right: usize, feature: usize, threshold: usize, base: i32): i32 {
  const nodes = (1 << (depth + 1)) - 1, internal = (1 << depth) - 1;
  for (let i = 0; i < nodes; i++) {
    const o = <usize>(base + i);
    store<i32>(left + (o << 2), i < internal ? 2 * i + 1 : -1);
    store<i32>(right + (o << 2), i < internal ? 2 * i + 2 : -1);
    store<i32>(feature + (o << 2), randomInt(0, features - 1));
    store<f64>(threshold + (o << 3), <f64>randomInt(-8, 8) / 10);
  }
  return nodes;
}

/**
 * The forest kernels' records (16 bytes per node: right child, feature or leaf row, f64 threshold)
 * for tree t of the separate arrays, depth first from `root` so that a left child follows its
 * parent: written from `at` on; a leaf's row of values is its index in the separate arrays. Returns
 * the next free record.
 */
function packTree(root: i32, left: usize, right: usize, feature: usize, threshold: usize, nodes: usize, at: i32): i32 {
  const stack = heap.alloc(64 << 2), fixup = heap.alloc(64 << 2);
  // A node's right child's record is known once its left subtree is written: fixup holds the
  // record that waits for it, on the stack beside the node.
  let top = 0, next = at;
  store<i32>(stack, 0);
  store<i32>(fixup, -1);
  top = 1;
  while (top > 0) {
    top--;
    const j = load<i32>(stack + (<usize>top << 2)), waiting = load<i32>(fixup + (<usize>top << 2));
    const me = next++;
    if (waiting >= 0) store<i32>(nodes + (<usize>waiting << 4), me);
    const o = <usize>(root + j);
    const rec = nodes + (<usize>me << 4);
    if (load<i32>(left + (o << 2)) < 0) {
      store<i32>(rec, -1);
      store<i32>(rec, root + j, 4);
    } else {
      store<i32>(rec, i32.MAX_VALUE);
      store<i32>(rec, load<i32>(feature + (o << 2)), 4);
      store<f64>(rec, load<f64>(threshold + (o << 3)), 8);
      store<i32>(stack + (<usize>top << 2), load<i32>(right + (o << 2)));
      store<i32>(fixup + (<usize>top << 2), me);
      top++;
      store<i32>(stack + (<usize>top << 2), load<i32>(left + (o << 2)));
      store<i32>(fixup + (<usize>top << 2), -1);
      top++;
    }
  }
  heap.free(stack);
  heap.free(fixup);
  return next;
}

describe('forest prediction', () => {
  it("sums each row's leaf values over the trees in order, as applying each tree and adding", () => {
    seedTests(96);
    for (let trial = 0; trial < 5; trial++) {
      const m = randomInt(1, 150), features = randomInt(1, 6), trees = randomInt(1, 5), k = randomInt(1, 3);
      const x = randomBuffer(m * features);
      const capacity = trees * 63;
      const left = heap.alloc(<usize>capacity << 2), right = heap.alloc(<usize>capacity << 2), feature = heap.alloc(<usize>capacity << 2);
      const threshold = heap.alloc(<usize>capacity << 3), values = heap.alloc(<usize>capacity * k << 3), roots = heap.alloc(<usize>trees << 2);
      let total = 0;
      for (let t = 0; t < trees; t++) {
        store<i32>(roots + (<usize>t << 2), total);
        total += randomTree(randomInt(0, 4), features, left, right, feature, threshold, total);
      }
      const r = randomBuffer(total * k);
      for (let i = 0; i < total * k; i++) store<f64>(values + (<usize>i << 3), <f64>at(r, i));
      // The same trees as the forest kernels' records, a leaf's row of values its index above.
      const nodes = heap.alloc(<usize>capacity << 4), packedRoots = heap.alloc(<usize>trees << 2);
      let next = 0;
      for (let t = 0; t < trees; t++) {
        store<i32>(packedRoots + (<usize>t << 2), next);
        next = packTree(load<i32>(roots + (<usize>t << 2)), left, right, feature, threshold, nodes, next);
      }
      expect<i32>(next).toBe(total);
      const out = heap.alloc(<usize>m * k << 3);
      forestSum(x, features, trees, packedRoots, nodes, values, k, out, 0, m);
      // One row at a time: forestLeaves + forestAddLeaves, the single-row path.
      const one = heap.alloc(<usize>k << 3), rows = heap.alloc(<usize>trees * k << 3);
      const leaf = heap.alloc(<usize>m << 2);
      const expected = heap.alloc(<usize>m * k << 3);
      memory.fill(expected, 0, <usize>m * k << 3);
      for (let t = 0; t < trees; t++) {
        const root = <usize>load<i32>(roots + (<usize>t << 2));
        treeApply(x, features, left + (root << 2), right + (root << 2), feature + (root << 2), threshold + (root << 3), leaf, 0, m);
        for (let i = 0; i < m; i++) {
          for (let c = 0; c < k; c++) {
            const e = expected + ((<usize>i * k + c) << 3);
            store<f64>(e, load<f64>(e) + load<f64>(values + ((<usize>(root + <usize>load<i32>(leaf + (<usize>i << 2))) * k + c) << 3)));
          }
        }
      }
      for (let i = 0; i < m * k; i++) expect<f64>(load<f64>(out + (<usize>i << 3))).toBe(load<f64>(expected + (<usize>i << 3)));
      for (let i = 0; i < m; i++) {
        forestLeaves(x + (<usize>i * features << 2), packedRoots, nodes, values, k, rows, 0, trees);
        forestAddLeaves(rows, trees, k, one);
        for (let c = 0; c < k; c++) expect<f64>(load<f64>(one + (<usize>c << 3))).toBe(load<f64>(expected + ((<usize>i * k + c) << 3)));
      }
    }
  });
});

import { forestSum, treeApply } from '../tree/apply';
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
      // forestSum reads a leaf's row of values from its feature slot: here its own index.
      const leafFeature = heap.alloc(<usize>capacity << 2);
      for (let j = 0; j < total; j++) store<i32>(leafFeature + (<usize>j << 2), load<i32>(left + (<usize>j << 2)) < 0 ? j : load<i32>(feature + (<usize>j << 2)));
      const out = heap.alloc(<usize>m * k << 3);
      forestSum(x, features, trees, roots, left, right, leafFeature, threshold, values, k, out, 0, m);
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
    }
  });
});

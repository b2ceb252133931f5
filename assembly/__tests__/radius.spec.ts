import { kdBuild, kdLevels, kdRadius, kdScratchBytes } from '../kd-tree';
import { radiusSearch } from '../neighbors';
import { Metric } from '../codes';
import { at, randomBuffer, randomInt, seedTests } from './helpers';

function randomF64(count: i32): usize {
  const f = randomBuffer(count);
  const p = heap.alloc(<usize>max(count, 1) << 3);
  for (let i = 0; i < count; i++) store<f64>(p + (<usize>i << 3), <f64>at(f, i));
  return p;
}

/** Whether sample j is within radius of sample i, by naive loops (euclidean or manhattan). */
function within(x: usize, i: i32, j: i32, d: i32, manhattan: bool, radius: f64): bool {
  let s: f64 = 0;
  for (let f = 0; f < d; f++) {
    const t = load<f64>(x + ((<usize>i * d + f) << 3)) - load<f64>(x + ((<usize>j * d + f) << 3));
    s += manhattan ? Math.abs(t) : t * t;
  }
  return (manhattan ? s : Math.sqrt(s)) <= radius;
}

describe('radius searches', () => {
  it('the kd-tree and the exhaustive search find exactly the samples within the radius', () => {
    seedTests(95);
    for (let trial = 0; trial < 8; trial++) {
      const n = randomInt(1, 60), d = randomInt(1, 4), manhattan = randomInt(0, 1) == 1;
      const metric = manhattan ? Metric.Manhattan : Metric.Euclidean;
      const radius: f64 = 0.2 + <f64>randomInt(0, 8) / 10;
      const x = randomF64(n * d);
      const counts = heap.alloc(<usize>n << 2), offsets = heap.alloc(<usize>(n + 1) << 2);
      // Exhaustive: counts, then ascending indices.
      radiusSearch(metric, 2, x, x, n, d, radius, 0, 0, counts, offsets, 0, 0, n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        store<i32>(offsets + (<usize>i << 2), total);
        total += load<i32>(counts + (<usize>i << 2));
      }
      const out = heap.alloc(<usize>max(total, 1) << 2);
      radiusSearch(metric, 2, x, x, n, d, radius, 0, 0, counts, offsets, out, 0, n);
      // The tree, small leaves so that it prunes.
      const levels = kdLevels(n, 2), nodes = (1 << (levels + 1)) - 1;
      const order = heap.alloc(<usize>n << 2), start = heap.alloc(<usize>nodes << 2), end = heap.alloc(<usize>nodes << 2);
      const lo = heap.alloc(<usize>nodes * d << 3), hi = heap.alloc(<usize>nodes * d << 3);
      kdBuild(x, n, d, levels, order, start, end, lo, hi);
      const scratch = heap.alloc(kdScratchBytes(d, levels));
      const treeCounts = heap.alloc(<usize>n << 2), treeOut = heap.alloc(<usize>max(total, 1) << 2);
      kdRadius(metric, 2, x, x, d, radius, levels, order, start, end, lo, hi, scratch, treeCounts, offsets, 0, 0, n, 0);
      kdRadius(metric, 2, x, x, d, radius, levels, order, start, end, lo, hi, scratch, treeCounts, offsets, treeOut, 0, n, 0);
      for (let i = 0; i < n; i++) {
        const c = load<i32>(counts + (<usize>i << 2)), o = load<i32>(offsets + (<usize>i << 2));
        expect<i32>(load<i32>(treeCounts + (<usize>i << 2))).toBe(c);
        let expected = 0;
        for (let j = 0; j < n; j++) {
          if (!within(x, i, j, d, manhattan, radius)) continue;
          expect<i32>(load<i32>(out + (<usize>(o + expected) << 2))).toBe(j);
          expected++;
        }
        expect<i32>(c).toBe(expected);
        // The tree's indices are the same set (in its own order).
        for (let t = 0; t < c; t++) expect<bool>(within(x, i, load<i32>(treeOut + (<usize>(o + t) << 2)), d, manhattan, radius)).toBe(true);
      }
    }
  });
});

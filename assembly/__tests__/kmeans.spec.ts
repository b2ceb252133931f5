import { elkanAssign, elkanShift, elkanStart, kmeansAssign, kmeansAssignFromDots, kmeansDots, kmeansLabelDistances, kmeansNarrow, squaredDistancesTo } from '../kmeans';
import { groupSquares, groupSums, groupSumsMove } from '../group-sums';
import { at, close, randomBuffer, randomInt, seedTests } from './helpers';

/** n×d f64 values in [-1, 1) (widened from the test generator's f32). */
function randomF64(count: i32): usize {
  const f = randomBuffer(count);
  const p = heap.alloc(<usize>max(count, 1) << 3);
  for (let i = 0; i < count; i++) store<f64>(p + (<usize>i << 3), <f64>at(f, i));
  return p;
}

function f64At(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
function i32At(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }

function naiveSquared(x: usize, i: i32, c: usize, j: i32, d: i32): f64 {
  let s: f64 = 0;
  for (let f = 0; f < d; f++) {
    const t = f64At(x, i * d + f) - f64At(c, j * d + f);
    s += t * t;
  }
  return s;
}

/** The nearest centre by naive loops (ties to the lower index). */
function naiveNearest(x: usize, i: i32, c: usize, k: i32, d: i32): i32 {
  let best = 0;
  let min = naiveSquared(x, i, c, 0, d);
  for (let j = 1; j < k; j++) {
    const v = naiveSquared(x, i, c, j, d);
    if (v < min) { min = v; best = j; }
  }
  return best;
}

/** Half the distances between centres (k×k) and each one's half distance to its nearest other. */
function halves(centres: usize, k: i32, d: i32, half: usize, next: usize): void {
  for (let a = 0; a < k; a++) {
    let nearest = Infinity;
    for (let b = 0; b < k; b++) {
      let s: f64 = 0;
      for (let f = 0; f < d; f++) s += (f64At(centres, a * d + f) - f64At(centres, b * d + f)) ** 2;
      store<f64>(half + ((<usize>a * k + b) << 3), Math.sqrt(s) / 2);
      if (a != b) nearest = min(nearest, Math.sqrt(s) / 2);
    }
    store<f64>(next + (<usize>a << 3), nearest);
  }
}

describe('k-means kernels', () => {
  it('assignment, directly and from f32 dot products, and the label distances against naive loops', () => {
    seedTests(91);
    for (let trial = 0; trial < 8; trial++) {
      const n = randomInt(1, 40), d = randomInt(1, 13), k = randomInt(1, 7);
      const x = randomF64(n * d), c = randomF64(k * d);
      const labels = heap.alloc(<usize>n << 2), best = heap.alloc(<usize>n << 3);
      kmeansAssign(x, c, k, d, labels, best, 0, n);
      for (let i = 0; i < n; i++) {
        expect<i32>(i32At(labels, i)).toBe(naiveNearest(x, i, c, k, d));
        expect<bool>(close(f64At(best, i), naiveSquared(x, i, c, i32At(labels, i), d), 1e-12, 1e-14)).toBe(true);
      }
      // f32 copies, their dot products, and the assignment from them with a generous bound.
      const x32 = heap.alloc(<usize>n * d << 2), c32 = heap.alloc(<usize>k * d << 2), dots = heap.alloc(<usize>n * k << 2);
      kmeansNarrow(x, x32, 0, n * d);
      kmeansNarrow(c, c32, 0, k * d);
      for (let i = 0; i < n * d; i++) expect<f32>(at(x32, i)).toBe(<f32>f64At(x, i));
      kmeansDots(x32, d, c32, k, dots, 0, n);
      const sqX = heap.alloc(<usize>n << 3), sqC = heap.alloc(<usize>k << 3), bound = heap.alloc(<usize>n << 3);
      for (let i = 0; i < n; i++) {
        let s: f64 = 0;
        for (let f = 0; f < d; f++) s += f64At(x, i * d + f) ** 2;
        store<f64>(sqX + (<usize>i << 3), s);
        store<f64>(bound + (<usize>i << 3), 1e-3 * (1 + s));
        for (let j = 0; j < k; j++) {
          let t: f64 = 0;
          for (let f = 0; f < d; f++) t += <f64>at(x32, i * d + f) * <f64>at(c32, j * d + f);
          expect<bool>(close(at(dots, i * k + j), t, 1e-5, 1e-6)).toBe(true);
        }
      }
      for (let j = 0; j < k; j++) {
        let s: f64 = 0;
        for (let f = 0; f < d; f++) s += f64At(c, j * d + f) ** 2;
        store<f64>(sqC + (<usize>j << 3), s);
      }
      const labels2 = heap.alloc(<usize>n << 2), best2 = heap.alloc(<usize>n << 3);
      kmeansAssignFromDots(dots, sqX, sqC, bound, x, c, k, d, 1, labels2, best2, 0, n);
      for (let i = 0; i < n; i++) {
        expect<i32>(i32At(labels2, i)).toBe(i32At(labels, i));
        expect<f64>(f64At(best2, i)).toBe(f64At(best, i));
      }
      const far = heap.alloc(<usize>n << 3);
      kmeansLabelDistances(x, c, d, labels, far, 0, n);
      for (let i = 0; i < n; i++) expect<f64>(f64At(far, i)).toBe(f64At(best, i));
      const all = heap.alloc(<usize>n * k << 3);
      squaredDistancesTo(x, n, d, c, k, all, 0, n);
      for (let j = 0; j < k; j++) for (let i = 0; i < n; i++) expect<bool>(close(f64At(all, j * n + i), naiveSquared(x, i, c, j, d), 1e-12, 1e-14)).toBe(true);
    }
  });

  it('group sums, afresh and carried between labellings, and squared deviations, against naive loops', () => {
    seedTests(92);
    for (let trial = 0; trial < 6; trial++) {
      const n = randomInt(1, 30), d = randomInt(1, 9), k = randomInt(1, 5);
      const x = randomF64(n * d), w = randomF64(n);
      const a = heap.alloc(<usize>n << 2), b = heap.alloc(<usize>n << 2), changed = heap.alloc(<usize>n << 2);
      let m = 0;
      for (let i = 0; i < n; i++) {
        store<i32>(a + (<usize>i << 2), randomInt(0, k - 1));
        const moved = randomInt(0, 2) == 0;
        store<i32>(b + (<usize>i << 2), moved ? randomInt(0, k - 1) : i32At(a, i));
        if (i32At(b, i) != i32At(a, i)) store<i32>(changed + (<usize>(m++) << 2), i);
      }
      for (let weighted = 0; weighted < 2; weighted++) {
        const weights: usize = weighted ? w : 0;
        const sums = heap.alloc(<usize>k * d << 3);
        groupSums(x, n, d, a, weights, k, sums, 0, d);
        groupSumsMove(x, d, changed, m, a, b, weights, sums, 0, d);
        const fresh = heap.alloc(<usize>k * d << 3);
        groupSums(x, n, d, b, weights, k, fresh, 0, d);
        for (let j = 0; j < k; j++) {
          for (let f = 0; f < d; f++) {
            let s: f64 = 0;
            for (let i = 0; i < n; i++) if (i32At(b, i) == j) s += f64At(x, i * d + f) * (weighted ? f64At(w, i) : 1);
            expect<bool>(close(f64At(fresh, j * d + f), s, 1e-12, 1e-14)).toBe(true);
            expect<bool>(close(f64At(sums, j * d + f), s, 1e-9, 1e-12)).toBe(true);
          }
        }
        // Squared deviations about the fresh sums (any centre will do).
        const squares = heap.alloc(<usize>k * d << 3);
        groupSquares(x, n, d, b, weights, k, fresh, squares, 0, d);
        for (let j = 0; j < k; j++) {
          for (let f = 0; f < d; f++) {
            let s: f64 = 0;
            for (let i = 0; i < n; i++) if (i32At(b, i) == j) s += (weighted ? f64At(w, i) : 1) * (f64At(x, i * d + f) - f64At(fresh, j * d + f)) ** 2;
            expect<bool>(close(f64At(squares, j * d + f), s, 1e-12, 1e-14)).toBe(true);
          }
        }
      }
    }
  });

  it("Elkan's start and assignment give the nearest centre, and the bounds hold", () => {
    seedTests(93);
    for (let trial = 0; trial < 6; trial++) {
      const n = randomInt(2, 30), d = randomInt(1, 6), k = randomInt(2, 6);
      const x = randomF64(n * d), c = randomF64(k * d), c2 = randomF64(k * d);
      const half = heap.alloc(<usize>k * k << 3), next = heap.alloc(<usize>k << 3);
      const labels = heap.alloc(<usize>n << 2), upper = heap.alloc(<usize>n << 3), lower = heap.alloc(<usize>n * k << 3);
      halves(c, k, d, half, next);
      elkanStart(x, c, k, d, half, labels, upper, lower, 0, n);
      for (let i = 0; i < n; i++) expect<i32>(i32At(labels, i)).toBe(naiveNearest(x, i, c, k, d));
      // The centres move to c2: shift the bounds, then reassign.
      const shift = heap.alloc(<usize>k << 3);
      for (let j = 0; j < k; j++) {
        let s: f64 = 0;
        for (let f = 0; f < d; f++) s += (f64At(c2, j * d + f) - f64At(c, j * d + f)) ** 2;
        store<f64>(shift + (<usize>j << 3), Math.sqrt(s));
      }
      elkanShift(k, shift, labels, upper, lower, 0, n);
      halves(c2, k, d, half, next);
      elkanAssign(x, c2, k, d, half, next, labels, upper, lower, 0, n);
      for (let i = 0; i < n; i++) {
        const label = i32At(labels, i);
        expect<i32>(label).toBe(naiveNearest(x, i, c2, k, d));
        expect<bool>(f64At(upper, i) >= Math.sqrt(naiveSquared(x, i, c2, label, d)) - 1e-12).toBe(true);
        for (let j = 0; j < k; j++) expect<bool>(f64At(lower, i * k + j) <= Math.sqrt(naiveSquared(x, i, c2, j, d)) + 1e-12).toBe(true);
      }
    }
  });
});

// Reordering a node's samples: sorting them by one feature (heapsort with the values in step) and
// the stable partition by a split.
import { d, fv, mAll, mask, nBins, nodeCodes, ordered, sampleAt, samples, sorted, spare, xAt } from './state';

/** sorted[start, end) = samples[start, end) ordered by their value of feature f (fv holds the values, in step). */
export function sortByFeature(f: i32, start: i32, end: i32): void {
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    store<i32>(sorted + (<usize>t << 2), s);
    store<f32>(fv + (<usize>t << 2), xAt(s, f));
  }
  // Heapsort on (value, sample) pairs: O(n log n) whatever the data.
  const n = end - start;
  for (let root = n / 2 - 1; root >= 0; root--) siftDown(start, root, n);
  for (let last = n - 1; last > 0; last--) {
    swap(start, start + last);
    siftDown(start, 0, last);
  }
}

export function swap(a: i32, b: i32): void {
  const va = load<f32>(fv + (<usize>a << 2)), sa = load<i32>(sorted + (<usize>a << 2));
  store<f32>(fv + (<usize>a << 2), load<f32>(fv + (<usize>b << 2)));
  store<i32>(sorted + (<usize>a << 2), load<i32>(sorted + (<usize>b << 2)));
  store<f32>(fv + (<usize>b << 2), va);
  store<i32>(sorted + (<usize>b << 2), sa);
}

export function siftDown(base: i32, root: i32, n: i32): void {
  while (true) {
    let child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && load<f32>(fv + (<usize>(base + child + 1) << 2)) > load<f32>(fv + (<usize>(base + child) << 2))) child++;
    if (!(load<f32>(fv + (<usize>(base + child) << 2)) > load<f32>(fv + (<usize>(base + root) << 2)))) return;
    swap(base + root, base + child);
    root = child;
  }
}

/**
 * Stable partition of samples[start, end) (and, when ordered, of every binned feature's codes in
 * node order) by the mask: the left side first, each side in its previous order, so samples stay
 * ascending and the codes stay aligned with them. Returns the first position of the right side.
 */
export function partition(start: i32, end: i32): i32 {
  let l = start, r = 0;
  for (let t = start; t < end; t++) {
    const s = sampleAt(t);
    const goLeft = <i32>load<u8>(mask + t);
    store<i32>(samples + (<usize>l << 2), s);
    store<i32>(spare + (<usize>r << 2), s);
    l += goLeft;
    r += 1 - goLeft;
  }
  memory.copy(samples + (<usize>l << 2), spare, <usize>r << 2);
  if (ordered) {
    for (let f = 0; f < d; f++) {
      if (load<i32>(nBins + (<usize>f << 2)) <= 0) continue;
      const col = nodeCodes + <usize>f * mAll;
      let a = start, b = 0;
      for (let t = start; t < end; t++) {
        const c = load<u8>(col + t);
        const goLeft = <i32>load<u8>(mask + t);
        store<u8>(col + a, c);
        store<u8>(spare + b, c);
        a += goLeft;
        b += 1 - goLeft;
      }
      memory.copy(col + a, spare, <usize>b);
    }
  }
  return l;
}

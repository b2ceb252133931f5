// Merge layers over k inputs of n f32 values each (Keras' Add, Subtract, Multiply, Average,
// Maximum, Minimum) and concatenation. Input pointers come as an i32 array in memory.
//   add y = Σ x_i            dx_i = dy
//   subtract y = x_0 − x_1   dx_0 = dy, dx_1 = −dy
//   multiply y = Π x_i       dx_i = dy · Π_{j≠i} x_j
//   average y = Σ x_i / k    dx_i = dy / k
//   maximum, minimum         dx_i = dy for the first input that attains y, 0 for the others (TF's
//                            gradient of maximum(a, b) goes to a where a ≥ b, applied left to right)
// Concatenation sees input i as outer × w_i (w_i = its size along the axis times the inner size)
// and the output as outer × Σ w_i.
import { Merge } from './codes';

// @ts-ignore: decorator
@inline function pointer(list: usize, i: i32): usize { return <usize>load<i32>(list + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function at(p: usize, j: i32): f32 { return load<f32>(p + (<usize>j << 2)); }

/** y = op(x_0, …, x_{k−1}) elementwise over n values. */
export function mergeForward(op: i32, xs: usize, k: i32, n: i32, y: usize): void {
  for (let j = 0; j < n; j++) {
    let v = at(pointer(xs, 0), j);
    for (let i = 1; i < k; i++) {
      const u = at(pointer(xs, i), j);
      if (op == Merge.Add || op == Merge.Average) v += u;
      else if (op == Merge.Subtract) v -= u;
      else if (op == Merge.Multiply) v *= u;
      else if (op == Merge.Maximum) v = u > v ? u : v;
      else v = u < v ? u : v;
    }
    if (op == Merge.Average) v /= <f32>k;
    store<f32>(y + (<usize>j << 2), v);
  }
}

/** dx_i from dy for every input i whose pointer in dxs is not 0 (xs and y from the forward pass). */
export function mergeBackward(op: i32, xs: usize, k: i32, n: i32, y: usize, dy: usize, dxs: usize): void {
  for (let i = 0; i < k; i++) {
    const dx = pointer(dxs, i);
    if (dx == 0) continue;
    for (let j = 0; j < n; j++) {
      const g = at(dy, j);
      let d: f32;
      if (op == Merge.Add) d = g;
      else if (op == Merge.Subtract) d = i == 0 ? g : -g;
      else if (op == Merge.Average) d = g / <f32>k;
      else if (op == Merge.Multiply) {
        d = g;
        for (let m = 0; m < k; m++) if (m != i) d *= at(pointer(xs, m), j);
      } else {
        // The first input equal to the output takes the gradient.
        const target = at(y, j);
        let first = 0;
        while (first < k - 1 && at(pointer(xs, first), j) != target) first++;
        d = first == i ? g : 0;
      }
      store<f32>(dx + (<usize>j << 2), d);
    }
  }
}

/** Σ w_i: the width of a joined row. */
// @ts-ignore: decorator
@inline function joinedWidth(widths: usize, k: i32): i32 {
  let total = 0;
  for (let i = 0; i < k; i++) total += load<i32>(widths + (<usize>i << 2));
  return total;
}

/** y row r = [x_0 row r, …, x_{k−1} row r], input i's rows w_i values wide (widths: i32 × k). */
export function concatForward(xs: usize, widths: usize, k: i32, outer: i32, y: usize): void {
  const total = joinedWidth(widths, k);
  for (let r = 0; r < outer; r++) {
    let offset = 0;
    for (let i = 0; i < k; i++) {
      const w = load<i32>(widths + (<usize>i << 2));
      memory.copy(y + ((<usize>r * total + offset) << 2), pointer(xs, i) + (<usize>r * w << 2), <usize>w << 2);
      offset += w;
    }
  }
}

/** dx_i = input i's columns of dy, for every input whose pointer in dxs is not 0. */
export function concatBackward(dy: usize, widths: usize, k: i32, outer: i32, dxs: usize): void {
  const total = joinedWidth(widths, k);
  for (let r = 0; r < outer; r++) {
    let offset = 0;
    for (let i = 0; i < k; i++) {
      const w = load<i32>(widths + (<usize>i << 2));
      const dx = pointer(dxs, i);
      if (dx != 0) memory.copy(dx + (<usize>r * w << 2), dy + ((<usize>r * total + offset) << 2), <usize>w << 2);
      offset += w;
    }
  }
}

/** y += x over n values (gradients of a tensor that feeds several layers). */
export function addInto(y: usize, x: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

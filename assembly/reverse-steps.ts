// Sequences with their steps in the other order (a backward recurrent layer's outputs put back in
// step order for Bidirectional's merge, and its gradients sent back).

/** Samples start ≤ b < end: y[b, s] = x[b, steps − 1 − s], each step `width` f32 values (y ≠ x). */
export function reverseSteps(x: usize, y: usize, steps: i32, width: i32, start: i32, end: i32): void {
  const bytes = <usize>width << 2;
  for (let b = start; b < end; b++) {
    const base = <usize>b * steps;
    for (let s = 0; s < steps; s++) memory.copy(y + (base + <usize>s) * bytes, x + (base + <usize>(steps - 1 - s)) * bytes, bytes);
  }
}

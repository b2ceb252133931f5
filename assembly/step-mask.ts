// Keras' masks over the steps of sequences (mask[b, t] = 0: step t of sample b is padding), for
// the layers that read them:
//   maskedRows  rows of a step where the mask is 0 get a + b (either may be absent: 0): an RNN
//               carries its state (and output) over a masked step, and passes its gradient back
//               across it (Keras' backend rnn: where(mask, new, previous))
//   maskSteps   y = x · mask per step (Masking's output, a query mask on attention's output)
//   computeMask the mask itself: x ≠ value (an embedding's indices with maskZero), or any
//               feature ≠ value per step (Masking)
//   maskedMean  the mean over the kept steps (GlobalAveragePooling1D with a mask; 0 where none is kept)

// @ts-ignore: decorator
@inline function kept(mask: usize, b: i32, steps: i32, t: i32): bool {
  return load<f32>(mask + (<usize>(b * steps + t) << 2)) != 0;
}

/** Rows start ≤ b < end of step t: where mask[b, t] = 0, dst[b] (width values) = a[b] + b[b] (0: absent). */
export function maskedRows(mask: usize, steps: i32, t: i32, width: i32, dst: usize, dstStride: i32, a: usize, aStride: i32, b2: usize, bStride: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    if (kept(mask, b, steps, t)) continue;
    const d = dst + (<usize>(b * dstStride) << 2);
    for (let j = 0; j < width; j++) {
      let v: f32 = 0;
      if (a != 0) v += load<f32>(a + (<usize>(b * aStride + j) << 2));
      if (b2 != 0) v += load<f32>(b2 + (<usize>(b * bStride + j) << 2));
      store<f32>(d + (<usize>j << 2), v);
    }
  }
}

/** y[b, t, :] = x[b, t, :] · mask[b, t] for samples start ≤ b < end (x [batch, steps, width]; in place allowed). */
export function maskSteps(x: usize, mask: usize, y: usize, steps: i32, width: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let t = 0; t < steps; t++) {
      const m = load<f32>(mask + (<usize>(b * steps + t) << 2));
      const row = <usize>((b * steps + t) * width) << 2;
      for (let j = 0; j < width; j++) store<f32>(y + row + (<usize>j << 2), load<f32>(x + row + (<usize>j << 2)) * m);
    }
  }
}

/** mask[b, t] = 1 where (anyFeature: any of the width values of) x[b, t] ≠ value, else 0; samples start ≤ b < end. */
export function computeMask(x: usize, mask: usize, steps: i32, width: i32, value: f32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    for (let t = 0; t < steps; t++) {
      const row = x + (<usize>((b * steps + t) * width) << 2);
      let any = false;
      for (let j = 0; j < width && !any; j++) any = load<f32>(row + (<usize>j << 2)) != value;
      store<f32>(mask + (<usize>(b * steps + t) << 2), any ? 1 : 0);
    }
  }
}

/** y[b, c] = Σ_t mask[b, t]·x[b, t, c] / Σ_t mask[b, t] (0 when no step is kept). */
export function maskedMean(x: usize, mask: usize, y: usize, steps: i32, channels: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    let count: f32 = 0;
    for (let t = 0; t < steps; t++) count += load<f32>(mask + (<usize>(b * steps + t) << 2));
    const out = y + (<usize>(b * channels) << 2);
    for (let c = 0; c < channels; c++) {
      let sum: f32 = 0;
      for (let t = 0; t < steps; t++) sum += load<f32>(mask + (<usize>(b * steps + t) << 2)) * load<f32>(x + (<usize>((b * steps + t) * channels + c) << 2));
      store<f32>(out + (<usize>c << 2), count > 0 ? sum / count : 0);
    }
  }
}

/** dx[b, t, c] = mask[b, t]·dy[b, c] / Σ_t mask[b, t]. */
export function maskedMeanBackward(dy: usize, mask: usize, dx: usize, steps: i32, channels: i32, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    let count: f32 = 0;
    for (let t = 0; t < steps; t++) count += load<f32>(mask + (<usize>(b * steps + t) << 2));
    for (let t = 0; t < steps; t++) {
      const m = load<f32>(mask + (<usize>(b * steps + t) << 2));
      const scale: f32 = count > 0 ? m / count : 0;
      for (let c = 0; c < channels; c++) {
        store<f32>(dx + (<usize>((b * steps + t) * channels + c) << 2), load<f32>(dy + (<usize>(b * channels + c) << 2)) * scale);
      }
    }
  }
}

// Bahdanau's additive attention scores (Keras' AdditiveAttention): per sample, score[i, j] =
// Σ_c scale[c]·tanh(q[i, c] + k[j, c]) over query steps i, key steps j and features c (scale 0:
// all ones). Split by samples; a sample's sums run in feature order, so the result does not
// depend on the thread count.

/** Samples start ≤ b < end: scores (tq × tv per sample) of q (tq × d) and k (tv × d). */
export function additiveScores(q: usize, k: usize, scale: usize, tq: i32, tv: i32, d: i32, scores: usize, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    const qb = q + (<usize>b * tq * d << 2), kb = k + (<usize>b * tv * d << 2), sb = scores + (<usize>b * tq * tv << 2);
    for (let i = 0; i < tq; i++) {
      for (let j = 0; j < tv; j++) {
        let sum = 0.0;
        for (let c = 0; c < d; c++) {
          const t = Math.tanh(<f64>load<f32>(qb + (<usize>(i * d + c) << 2)) + <f64>load<f32>(kb + (<usize>(j * d + c) << 2)));
          sum += (scale != 0 ? <f64>load<f32>(scale + (<usize>c << 2)) : 1.0) * t;
        }
        store<f32>(sb + (<usize>(i * tv + j) << 2), <f32>sum);
      }
    }
  }
}

/**
 * Samples start ≤ b < end, from dL/dscores: dq (tq × d), dk (tv × d) (each 0: not needed) and,
 * unless scaleGrads is 0, each sample's part of dL/dscale (d per sample, for the caller's sum over
 * samples in order).
 */
export function additiveBackward(q: usize, k: usize, scale: usize, tq: i32, tv: i32, d: i32, dScores: usize, dq: usize, dk: usize, scaleGrads: usize, start: i32, end: i32): void {
  for (let b = start; b < end; b++) {
    const qb = q + (<usize>b * tq * d << 2), kb = k + (<usize>b * tv * d << 2), db = dScores + (<usize>b * tq * tv << 2);
    for (let c = 0; c < d; c++) {
      const s = scale != 0 ? <f64>load<f32>(scale + (<usize>c << 2)) : 1.0;
      let dScale = 0.0;
      for (let i = 0; i < tq; i++) {
        let dqi = 0.0;
        for (let j = 0; j < tv; j++) {
          const t = Math.tanh(<f64>load<f32>(qb + (<usize>(i * d + c) << 2)) + <f64>load<f32>(kb + (<usize>(j * d + c) << 2)));
          const g = <f64>load<f32>(db + (<usize>(i * tv + j) << 2));
          dScale += g * t;
          dqi += g * s * (1.0 - t * t);
        }
        if (dq != 0) store<f32>(dq + (<usize>(b * tq * d + i * d + c) << 2), <f32>dqi);
      }
      if (dk != 0) {
        for (let j = 0; j < tv; j++) {
          let dkj = 0.0;
          for (let i = 0; i < tq; i++) {
            const t = Math.tanh(<f64>load<f32>(qb + (<usize>(i * d + c) << 2)) + <f64>load<f32>(kb + (<usize>(j * d + c) << 2)));
            dkj += <f64>load<f32>(db + (<usize>(i * tv + j) << 2)) * s * (1.0 - t * t);
          }
          store<f32>(dk + (<usize>(b * tv * d + j * d + c) << 2), <f32>dkj);
        }
      }
      if (scaleGrads != 0) store<f32>(scaleGrads + (<usize>(b * d + c) << 2), <f32>dScale);
    }
  }
}

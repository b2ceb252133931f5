// Layer normalization (Ba, Kiros & Hinton 2016; Keras' LayerNormalization): each row of `cols`
// values is normalized by its own mean μ and biased variance σ² (two passes: the mean, then the
// squared deviations from it), then scaled by γ and shifted by β per column. Every row's sums run
// in f64, in column order, so a row's result does not depend on which thread computes it.

/**
 * Rows start ≤ r < end of x (f32, rows × cols): y = γ·(x − μ)·ρ + β with ρ = 1/√(σ² + ε) (gamma,
 * beta 0: none); unless stats is 0, stats[2r] = μ and stats[2r + 1] = ρ (f64), for backward.
 */
export function layerNormForward(x: usize, y: usize, cols: i32, gamma: usize, beta: usize, epsilon: f64, stats: usize, start: i32, end: i32): void {
  for (let r = start; r < end; r++) {
    const row = x + (<usize>r * cols << 2), out = y + (<usize>r * cols << 2);
    let sum = 0.0;
    for (let c = 0; c < cols; c++) sum += <f64>load<f32>(row + (<usize>c << 2));
    const mean = sum / <f64>cols;
    let squares = 0.0;
    for (let c = 0; c < cols; c++) {
      const d = <f64>load<f32>(row + (<usize>c << 2)) - mean;
      squares += d * d;
    }
    const rho = 1.0 / Math.sqrt(squares / <f64>cols + epsilon);
    for (let c = 0; c < cols; c++) {
      let v = (<f64>load<f32>(row + (<usize>c << 2)) - mean) * rho;
      if (gamma != 0) v *= <f64>load<f32>(gamma + (<usize>c << 2));
      if (beta != 0) v += <f64>load<f32>(beta + (<usize>c << 2));
      store<f32>(out + (<usize>c << 2), <f32>v);
    }
    if (stats != 0) {
      store<f64>(stats + (<usize>r << 4), mean);
      store<f64>(stats + (<usize>r << 4), rho, 8);
    }
  }
}

/**
 * Rows start ≤ r < end: dx = ρ·(g − mean(g) − x̂·mean(g·x̂)) with g = γ·dy and x̂ = (x − μ)·ρ, the
 * gradient through the row's own mean and variance (μ, ρ from layerNormForward's stats). dx may
 * be dy (in place).
 */
export function layerNormBackward(x: usize, dy: usize, dx: usize, cols: i32, gamma: usize, stats: usize, start: i32, end: i32): void {
  for (let r = start; r < end; r++) {
    const offset = <usize>r * cols << 2;
    const mean = load<f64>(stats + (<usize>r << 4)), rho = load<f64>(stats + (<usize>r << 4), 8);
    let sumG = 0.0, sumGX = 0.0;
    for (let c = 0; c < cols; c++) {
      const at = offset + (<usize>c << 2);
      const g = <f64>load<f32>(dy + at) * (gamma != 0 ? <f64>load<f32>(gamma + (<usize>c << 2)) : 1.0);
      sumG += g;
      sumGX += g * (<f64>load<f32>(x + at) - mean) * rho;
    }
    const meanG = sumG / <f64>cols, meanGX = sumGX / <f64>cols;
    for (let c = 0; c < cols; c++) {
      const at = offset + (<usize>c << 2);
      const g = <f64>load<f32>(dy + at) * (gamma != 0 ? <f64>load<f32>(gamma + (<usize>c << 2)) : 1.0);
      const xhat = (<f64>load<f32>(x + at) - mean) * rho;
      store<f32>(dx + at, <f32>(rho * (g - meanG - xhat * meanGX)));
    }
  }
}

/**
 * Columns start ≤ c < end: dγ[c] = Σ_r dy·x̂ and dβ[c] = Σ_r dy over the rows, in row order (dgamma,
 * dbeta 0: not wanted). Run before layerNormBackward when it writes dx over dy.
 */
export function layerNormParamGrads(x: usize, dy: usize, rows: i32, cols: i32, stats: usize, dgamma: usize, dbeta: usize, start: i32, end: i32): void {
  for (let c = start; c < end; c++) {
    let sumGamma = 0.0, sumBeta = 0.0;
    for (let r = 0; r < rows; r++) {
      const at = (<usize>r * cols + c) << 2;
      const d = <f64>load<f32>(dy + at);
      sumBeta += d;
      sumGamma += d * (<f64>load<f32>(x + at) - load<f64>(stats + (<usize>r << 4))) * load<f64>(stats + (<usize>r << 4), 8);
    }
    if (dgamma != 0) store<f32>(dgamma + (<usize>c << 2), <f32>sumGamma);
    if (dbeta != 0) store<f32>(dbeta + (<usize>c << 2), <f32>sumBeta);
  }
}

// One update rule per optimizer over n parameters w with gradient g and per-parameter slots,
// exactly as Keras 3 states them (keras/src/optimizers/*.py); SIMD over 4 floats.

/**
 * SGD with momentum μ (Keras): v ← μv − ηg; w ← w + v, or with Nesterov w ← w + μv − ηg.
 * With μ = 0 this is w ← w − ηg and `velocity` is not read.
 */
export function sgdStep(w: usize, g: usize, velocity: usize, n: i32, learningRate: f32, momentum: f32, nesterov: i32): void {
  const lr = f32x4.splat(learningRate), mu = f32x4.splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const step = f32x4.mul(lr, v128.load(g + o));
    if (momentum == 0) {
      v128.store(w + o, f32x4.sub(v128.load(w + o), step));
      continue;
    }
    const v = f32x4.sub(f32x4.mul(mu, v128.load(velocity + o)), step);
    v128.store(velocity + o, v);
    const update = nesterov ? f32x4.sub(f32x4.mul(mu, v), step) : v;
    v128.store(w + o, f32x4.add(v128.load(w + o), update));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const step = learningRate * load<f32>(g + o);
    if (momentum == 0) {
      store<f32>(w + o, load<f32>(w + o) - step);
      continue;
    }
    const v = momentum * load<f32>(velocity + o) - step;
    store<f32>(velocity + o, v);
    store<f32>(w + o, load<f32>(w + o) + (nesterov ? momentum * v - step : v));
  }
}

/** Adagrad (Keras): a ← a + g²; w ← w − ηg / (√a + ε); a starts at 0.1 (Keras' initial accumulator). */
export function adagradStep(w: usize, g: usize, accumulator: usize, n: i32, learningRate: f32, epsilon: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const a = load<f32>(accumulator + o) + gi * gi;
    store<f32>(accumulator + o, a);
    store<f32>(w + o, load<f32>(w + o) - learningRate * gi / (Mathf.sqrt(a) + epsilon));
  }
}

/** RMSprop (Keras, no momentum, not centered): s ← ρs + (1 − ρ)g²; w ← w − ηg / (√s + ε). */
export function rmspropStep(w: usize, g: usize, meanSquare: usize, n: i32, learningRate: f32, rho: f32, epsilon: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const s = rho * load<f32>(meanSquare + o) + (1 - rho) * gi * gi;
    store<f32>(meanSquare + o, s);
    store<f32>(w + o, load<f32>(w + o) - learningRate * gi / (Mathf.sqrt(s) + epsilon));
  }
}

/**
 * Adam (Kingma & Ba 2015, as Keras): m ← m + (1 − β₁)(g − m); v ← v + (1 − β₂)(g² − v);
 * w ← w − α m / (√v + ε) with α = η √(1 − β₂ᵗ) / (1 − β₁ᵗ), passed in as `stepSize`.
 */
export function adamStep(
  w: usize, g: usize, m: usize, v: usize, n: i32, stepSize: f32, beta1: f32, beta2: f32, epsilon: f32,
): void {
  const a = f32x4.splat(stepSize), c1 = f32x4.splat(1 - beta1), c2 = f32x4.splat(1 - beta2), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    let mi = v128.load(m + o), vi = v128.load(v + o);
    mi = f32x4.add(mi, f32x4.mul(c1, f32x4.sub(gi, mi)));
    vi = f32x4.add(vi, f32x4.mul(c2, f32x4.sub(f32x4.mul(gi, gi), vi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(a, mi), f32x4.add(f32x4.sqrt(vi), eps))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    let mi = load<f32>(m + o), vi = load<f32>(v + o);
    mi += (1 - beta1) * (gi - mi);
    vi += (1 - beta2) * (gi * gi - vi);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - stepSize * mi / (Mathf.sqrt(vi) + epsilon));
  }
}

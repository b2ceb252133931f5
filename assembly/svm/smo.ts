// Sequential minimal optimization for the SVM dual, as libsvm's Solver (Chang & Lin, "LIBSVM: a
// library for support vector machines", ACM TIST 2011; working-set selection WSS3 of Fan, Chen &
// Lin, "Working set selection using second order information", JMLR 2005):
//
//   min_α  ½ αᵀQα + pᵀα   subject to  yᵀα = Δ,  0 ≤ α_k ≤ C_k,   Q_km = y_k y_m K(x_k, x_m)
//
// Each iteration picks i = argmax over I_up of −y_t ∇_t, then j minimising the second-order
// decrease −(G_i + y_i y_j… )² / (Q_ii + Q_jj − 2 y_i y_j Q_ij) among violating pairs, solves the
// two-variable problem in closed form with clipping to the box, and updates the gradient
// G = Qα + p with two kernel rows. Stops when the maximal violation m(α) − M(α) < ε.
// Shrinking (every min(l, 1000) iterations) drops bounded variables unlikely to move from the
// active set; the gradient of dropped variables is rebuilt from Ḡ (the bounded part) when the
// active set is restored. One solver serves C-SVC (y = labels, p = −1), ε-SVR (2l variables:
// α and α*, y = ±1, p = ε ∓ y) and one-class SVM (y = 1, p = 0): the caller maps each variable k
// to a sample index[k] and a sign y[k].
//
// Kernel rows are kept in an LRU cache of f32 rows over all samples, as libsvm keeps Qfloat
// rows; gradients and α are f64.
import { Kernel, SMO_DESCRIPTOR_SLOTS, SMO_STATE_BYTES } from '../codes';
import { kernelValue } from './kernel';
import { beat } from '../heartbeat';

const TAU: f64 = 1e-12;
const LOWER: i32 = 0;
const UPPER: i32 = 1;
const FREE: i32 = 2;

// Solver state, set by smoSolve for the duration of one call (single thread).
let l: i32 = 0;
let nSamples: i32 = 0;
let dims: i32 = 0;
let kernelKind: i32 = 0;
let kGamma: f64 = 0;
let kCoef0: f64 = 0;
let kDegree: i32 = 0;
let samples: usize = 0;
let norms: usize = 0;
let index: usize = 0;
let sign: usize = 0;
let p: usize = 0;
let bound: usize = 0;
let alpha: usize = 0;
let G: usize = 0;
let Gbar: usize = 0;
let QD: usize = 0;
let status: usize = 0;
let active: usize = 0;
let activeSize: i32 = 0;
let cache: usize = 0;
let cacheRows: i32 = 0;
let slotOf: usize = 0;
let sampleOf: usize = 0;
let lastUse: usize = 0;
let clock: f64 = 0;
let unshrink = false;
let eps: f64 = 0;
/** ν-formulations (NuSVC, NuSVR): libsvm's Solver_NU, which keeps both Σ over each class fixed. */
let nuMode = false;
/** Solver_NU's r (the margin of NuSVC, ε of NuSVR), set by calculateRho. */
let rNu: f64 = 0;

// @ts-ignore: decorator
@inline function f64At(base: usize, k: i32): f64 { return load<f64>(base + (<usize>k << 3)); }
// @ts-ignore: decorator
@inline function setF64(base: usize, k: i32, v: f64): void { store<f64>(base + (<usize>k << 3), v); }
// @ts-ignore: decorator
@inline function i32At(base: usize, k: i32): i32 { return load<i32>(base + (<usize>k << 2)); }
// @ts-ignore: decorator
@inline function setI32(base: usize, k: i32, v: i32): void { store<i32>(base + (<usize>k << 2), v); }

/** Bytes of scratch smoSolve needs for l variables, n samples and a cache of `rows` kernel rows. */
export function smoWorkBytes(variables: i32, n: i32, rows: i32): usize {
  return (<usize>variables * 3 << 3) + (<usize>variables * 2 << 2) + (<usize>n << 2) + (<usize>rows << 2) + (<usize>rows << 3)
    + (<usize>rows * n << 2) + 64;
}

/** The cached f32 kernel row K(x_s, ·) over all samples: computed on a miss, evicting the least recently used. */
function kernelRow(s: i32): usize {
  clock += 1;
  let slot = i32At(slotOf, s);
  if (slot >= 0) {
    setF64(lastUse, slot, clock);
    return cache + (<usize>slot * nSamples << 2);
  }
  // A free slot, or the least recently used one.
  slot = 0;
  let oldest = f64At(lastUse, 0);
  for (let t = 1; t < cacheRows; t++) {
    const u = f64At(lastUse, t);
    if (u < oldest) {
      oldest = u;
      slot = t;
    }
  }
  const previous = i32At(sampleOf, slot);
  if (previous >= 0) setI32(slotOf, previous, -1);
  setI32(sampleOf, slot, s);
  setI32(slotOf, s, slot);
  setF64(lastUse, slot, clock);
  const row = cache + (<usize>slot * nSamples << 2);
  if (kernelKind == Kernel.Precomputed) {
    const g = samples + (<usize>s * nSamples << 3);
    for (let m = 0; m < nSamples; m++) store<f32>(row + (<usize>m << 2), <f32>load<f64>(g + (<usize>m << 3)));
  } else {
    // K is symmetric bit for bit (the kernels' sums and products commute), so entries whose own
    // row is cached are read from it; only the rest are computed. A user's Gram matrix above may
    // not be symmetric, so it is copied as given.
    for (let m = 0; m < nSamples; m++) {
      const other = i32At(slotOf, m);
      const v: f32 = other >= 0 && m != s
        ? load<f32>(cache + ((<usize>other * nSamples + s) << 2))
        : <f32>kernelValue(kernelKind, samples, s, samples, m, dims, kGamma, kCoef0, kDegree, norms, norms);
      store<f32>(row + (<usize>m << 2), v);
    }
  }
  return row;
}

/** Q_km = y_k y_m K(index k, index m) from sample k's cached row. */
// @ts-ignore: decorator
@inline
function q(row: usize, k: i32, m: i32): f64 {
  return <f64>(i32At(sign, k) * i32At(sign, m)) * <f64>load<f32>(row + (<usize>i32At(index, m) << 2));
}

// @ts-ignore: decorator
@inline function isUpper(k: i32): bool { return i32At(status, k) == UPPER; }
// @ts-ignore: decorator
@inline function isLower(k: i32): bool { return i32At(status, k) == LOWER; }
// @ts-ignore: decorator
@inline function isFree(k: i32): bool { return i32At(status, k) == FREE; }

function updateStatus(k: i32): void {
  const a = f64At(alpha, k);
  setI32(status, k, a >= f64At(bound, k) ? UPPER : a <= 0 ? LOWER : FREE);
}

/** Selected pair packed as i·2³² + j, or −1 when optimal within eps. */
function selectWorkingSet(): i64 {
  let gmax = -Infinity, gmax2 = -Infinity;
  let gmaxIdx = -1, gminIdx = -1;
  let objDiffMin = Infinity;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const g = f64At(G, k);
    if (i32At(sign, k) == 1) {
      if (!isUpper(k) && -g >= gmax) { gmax = -g; gmaxIdx = k; }
    } else if (!isLower(k) && g >= gmax) { gmax = g; gmaxIdx = k; }
  }
  const i = gmaxIdx;
  let rowI: usize = 0;
  if (i != -1) rowI = kernelRow(i32At(index, i));
  const qdi = i != -1 ? f64At(QD, i) : 0;
  const yi: f64 = i != -1 ? <f64>i32At(sign, i) : 0;
  for (let t = 0; t < activeSize; t++) {
    const j = i32At(active, t);
    const g = f64At(G, j);
    if (i32At(sign, j) == 1) {
      if (!isLower(j)) {
        const gradDiff = gmax + g;
        if (g >= gmax2) gmax2 = g;
        if (gradDiff > 0) {
          const quad = qdi + f64At(QD, j) - 2.0 * yi * q(rowI, i, j);
          const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
          if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
        }
      }
    } else if (!isUpper(j)) {
      const gradDiff = gmax - g;
      if (-g >= gmax2) gmax2 = -g;
      if (gradDiff > 0) {
        const quad = qdi + f64At(QD, j) + 2.0 * yi * q(rowI, i, j);
        const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
        if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
      }
    }
  }
  if (gmax + gmax2 < eps || gminIdx == -1) return -1;
  return (<i64>gmaxIdx << 32) | <i64>gminIdx;
}

/** Solver_NU's selection: i among the violators of j's own class (y_i = y_j). */
function selectWorkingSetNu(): i64 {
  let gmaxp = -Infinity, gmaxp2 = -Infinity, gmaxn = -Infinity, gmaxn2 = -Infinity;
  let gmaxpIdx = -1, gmaxnIdx = -1, gminIdx = -1;
  let objDiffMin = Infinity;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const g = f64At(G, k);
    if (i32At(sign, k) == 1) {
      if (!isUpper(k) && -g >= gmaxp) { gmaxp = -g; gmaxpIdx = k; }
    } else if (!isLower(k) && g >= gmaxn) { gmaxn = g; gmaxnIdx = k; }
  }
  const ip = gmaxpIdx, ineg = gmaxnIdx;
  const rowP: usize = ip != -1 ? kernelRow(i32At(index, ip)) : 0;
  const rowN: usize = ineg != -1 ? kernelRow(i32At(index, ineg)) : 0;
  // Fetching rowN may not evict rowP (LRU with ≥ 2 rows), so both stay valid here.
  for (let t = 0; t < activeSize; t++) {
    const j = i32At(active, t);
    const g = f64At(G, j);
    if (i32At(sign, j) == 1) {
      if (!isLower(j)) {
        const gradDiff = gmaxp + g;
        if (g >= gmaxp2) gmaxp2 = g;
        if (gradDiff > 0) {
          const quad = f64At(QD, ip) + f64At(QD, j) - 2.0 * q(rowP, ip, j);
          const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
          if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
        }
      }
    } else if (!isUpper(j)) {
      const gradDiff = gmaxn - g;
      if (-g >= gmaxn2) gmaxn2 = -g;
      if (gradDiff > 0) {
        const quad = f64At(QD, ineg) + f64At(QD, j) - 2.0 * q(rowN, ineg, j);
        const objDiff = quad > 0 ? -(gradDiff * gradDiff) / quad : -(gradDiff * gradDiff) / TAU;
        if (objDiff <= objDiffMin) { gminIdx = j; objDiffMin = objDiff; }
      }
    }
  }
  if (max(gmaxp + gmaxp2, gmaxn + gmaxn2) < eps || gminIdx == -1) return -1;
  const i = i32At(sign, gminIdx) == 1 ? gmaxpIdx : gmaxnIdx;
  return (<i64>i << 32) | <i64>gminIdx;
}

function beShrunkNu(k: i32, gmax1: f64, gmax2: f64, gmax3: f64, gmax4: f64): bool {
  const g = f64At(G, k);
  if (isUpper(k)) return i32At(sign, k) == 1 ? -g > gmax1 : -g > gmax4;
  if (isLower(k)) return i32At(sign, k) == 1 ? g > gmax2 : g > gmax3;
  return false;
}

function doShrinkingNu(): void {
  let gmax1 = -Infinity, gmax2 = -Infinity, gmax3 = -Infinity, gmax4 = -Infinity;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const g = f64At(G, k);
    if (!isUpper(k)) {
      if (i32At(sign, k) == 1) gmax1 = max(gmax1, -g); else gmax4 = max(gmax4, -g);
    }
    if (!isLower(k)) {
      if (i32At(sign, k) == 1) gmax2 = max(gmax2, g); else gmax3 = max(gmax3, g);
    }
  }
  if (!unshrink && max(gmax1 + gmax2, gmax3 + gmax4) <= eps * 10) {
    unshrink = true;
    reconstructGradient();
    activeSize = l;
  }
  for (let t = 0; t < activeSize; t++) {
    if (beShrunkNu(i32At(active, t), gmax1, gmax2, gmax3, gmax4)) {
      activeSize--;
      while (activeSize > t) {
        if (!beShrunkNu(i32At(active, activeSize), gmax1, gmax2, gmax3, gmax4)) {
          swapActive(t, activeSize);
          break;
        }
        activeSize--;
      }
    }
  }
}

/** Solver_NU's ρ and r from each class's free gradients: ρ = (r₁ − r₂)/2, r = (r₁ + r₂)/2. */
function calculateRhoNu(): f64 {
  let nFree1 = 0, nFree2 = 0;
  let ub1 = Infinity, ub2 = Infinity, lb1 = -Infinity, lb2 = -Infinity, sum1: f64 = 0, sum2: f64 = 0;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const g = f64At(G, k);
    if (i32At(sign, k) == 1) {
      if (isUpper(k)) lb1 = max(lb1, g);
      else if (isLower(k)) ub1 = min(ub1, g);
      else { nFree1++; sum1 += g; }
    } else if (isUpper(k)) lb2 = max(lb2, g);
    else if (isLower(k)) ub2 = min(ub2, g);
    else { nFree2++; sum2 += g; }
  }
  const r1 = nFree1 > 0 ? sum1 / nFree1 : (ub1 + lb1) / 2;
  const r2 = nFree2 > 0 ? sum2 / nFree2 : (ub2 + lb2) / 2;
  rNu = (r1 + r2) / 2;
  return (r1 - r2) / 2;
}

function beShrunk(k: i32, gmax1: f64, gmax2: f64): bool {
  const g = f64At(G, k);
  if (isUpper(k)) return i32At(sign, k) == 1 ? -g > gmax1 : -g > gmax2;
  if (isLower(k)) return i32At(sign, k) == 1 ? g > gmax2 : g > gmax1;
  return false;
}

function swapActive(a: i32, b: i32): void {
  const t = i32At(active, a);
  setI32(active, a, i32At(active, b));
  setI32(active, b, t);
}

/** G of inactive variables from Ḡ and the free active variables (libsvm's reconstruct_gradient). */
function reconstructGradient(): void {
  if (activeSize == l) return;
  for (let t = activeSize; t < l; t++) {
    const k = i32At(active, t);
    setF64(G, k, f64At(Gbar, k) + f64At(p, k));
  }
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    if (!isFree(k)) continue;
    const row = kernelRow(i32At(index, k));
    const a = f64At(alpha, k);
    for (let u = activeSize; u < l; u++) {
      const m = i32At(active, u);
      setF64(G, m, f64At(G, m) + a * q(row, k, m));
    }
  }
}

function doShrinking(): void {
  let gmax1 = -Infinity, gmax2 = -Infinity;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const g = f64At(G, k);
    if (i32At(sign, k) == 1) {
      if (!isUpper(k)) gmax1 = max(gmax1, -g);
      if (!isLower(k)) gmax2 = max(gmax2, g);
    } else {
      if (!isUpper(k)) gmax2 = max(gmax2, -g);
      if (!isLower(k)) gmax1 = max(gmax1, g);
    }
  }
  if (!unshrink && gmax1 + gmax2 <= eps * 10) {
    unshrink = true;
    reconstructGradient();
    activeSize = l;
  }
  for (let t = 0; t < activeSize; t++) {
    if (beShrunk(i32At(active, t), gmax1, gmax2)) {
      activeSize--;
      while (activeSize > t) {
        if (!beShrunk(i32At(active, activeSize), gmax1, gmax2)) {
          swapActive(t, activeSize);
          break;
        }
        activeSize--;
      }
    }
  }
}

/** ρ = mean of y_k G_k over free variables, or the middle of the feasible interval (libsvm). */
function calculateRho(): f64 {
  let ub = Infinity, lb = -Infinity, sumFree: f64 = 0;
  let nFree = 0;
  for (let t = 0; t < activeSize; t++) {
    const k = i32At(active, t);
    const yG = <f64>i32At(sign, k) * f64At(G, k);
    if (isUpper(k)) {
      if (i32At(sign, k) == -1) ub = min(ub, yG); else lb = max(lb, yG);
    } else if (isLower(k)) {
      if (i32At(sign, k) == 1) ub = min(ub, yG); else lb = max(lb, yG);
    } else {
      nFree++;
      sumFree += yG;
    }
  }
  return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
}

let iter: f64 = 0;
let counter = 0;
let finished = false;

/** G += α_k Q_k (and Ḡ += C_k Q_k when α_k is at its bound): the start of the gradient. */
function addToGradient(k: i32): void {
  const row = kernelRow(i32At(index, k));
  const a = f64At(alpha, k);
  for (let m = 0; m < l; m++) setF64(G, m, f64At(G, m) + a * q(row, k, m));
  if (isUpper(k)) {
    const c = f64At(bound, k);
    for (let m = 0; m < l; m++) setF64(Gbar, m, f64At(Gbar, m) + c * q(row, k, m));
  }
}

/**
 * Sets up the dual for `variables` variables over n samples (row-major f64, d features; or an
 * n×n Gram matrix with kind Kernel.Precomputed). index/sign (i32) map variables to samples and signs,
 * p and upper (f64) are the linear term and the box, alpha (f64) holds the feasible start and
 * receives the solution. Then smoRun until it returns 1, then smoFinish.
 *
 * The work is split in calls so that V8 can swap in optimised code between them: a WebAssembly
 * function that runs for seconds in one call would stay in its baseline (Liftoff) code, about
 * four times slower here.
 */
export function smoStart(
  variables: i32, x: usize, n: i32, d: i32, kind: i32, gamma: f64, coef0: f64, degree: i32, sq: usize,
  indexOf: usize, signOf: usize, linear: usize, upper: usize, alphaInOut: usize,
  tolerance: f64, cacheMemory: usize, rows: i32, work: usize, nu: i32,
): void {
  assert(variables > 0 && n > 0 && rows >= 2, 'smoStart: bad sizes');
  nuMode = nu != 0;
  rNu = 0;
  l = variables; nSamples = n; dims = d; kernelKind = kind; kGamma = gamma; kCoef0 = coef0; kDegree = degree;
  samples = x; norms = sq; index = indexOf; sign = signOf; p = linear; bound = upper; alpha = alphaInOut;
  eps = tolerance; cache = cacheMemory; cacheRows = rows; clock = 0; unshrink = false;
  G = work;
  Gbar = G + (<usize>l << 3);
  QD = Gbar + (<usize>l << 3);
  status = QD + (<usize>l << 3);
  active = status + (<usize>l << 2);
  slotOf = active + (<usize>l << 2);
  sampleOf = slotOf + (<usize>n << 2);
  lastUse = (sampleOf + (<usize>rows << 2) + 7) & ~7;
  for (let s = 0; s < n; s++) setI32(slotOf, s, -1);
  for (let t = 0; t < rows; t++) {
    setI32(sampleOf, t, -1);
    setF64(lastUse, t, 0);
  }
  for (let k = 0; k < l; k++) {
    const s = i32At(index, k);
    setF64(QD, k, kind == Kernel.Precomputed ? load<f64>(x + ((<usize>s * n + s) << 3)) : kernelValue(kind, x, s, x, s, d, gamma, coef0, degree, sq, sq));
    updateStatus(k);
    setI32(active, k, k);
    setF64(G, k, f64At(p, k));
    setF64(Gbar, k, 0);
  }
  activeSize = l;
  iter = 0;
  counter = min(l, 1000) + 1;
  finished = false;
  startAt = 0;
}

let startAt: i32 = 0;
/** The pool thread running this solver: its heartbeat is bumped every iteration (assembly/heartbeat.ts). */
let solverThread: i32 = 0;

/** Builds the starting gradient, a few variables per call; returns 1 when done. */
export function smoGradient(steps: i32): i32 {
  const end = min(l, startAt + steps);
  for (let k = startAt; k < end; k++) {
    beat(solverThread);
    if (!isLower(k)) addToGradient(k);
  }
  startAt = end;
  return startAt >= l ? 1 : 0;
}

/** Runs up to `steps` SMO iterations (libsvm's main loop); returns 1 when optimal or at maxIter. */
export function smoRun(steps: i32, shrinking: i32, maxIter: f64): i32 {
  if (finished) return 1;
  for (let s = 0; s < steps; s++) {
    beat(solverThread);
    if (iter >= maxIter) {
      finished = true;
      return 1;
    }
    if (--counter == 0) {
      counter = min(l, 1000);
      if (shrinking) {
        if (nuMode) doShrinkingNu(); else doShrinking();
      }
    }
    let pair = nuMode ? selectWorkingSetNu() : selectWorkingSet();
    if (pair < 0) {
      reconstructGradient();
      activeSize = l;
      pair = nuMode ? selectWorkingSetNu() : selectWorkingSet();
      if (pair < 0) {
        finished = true;
        return 1;
      }
      counter = 1; // shrink at the next iteration
    }
    iter += 1;
    step(<i32>(pair >> 32), <i32>(pair & 0xffffffff));
  }
  return 0;
}

/** The two-variable subproblem in closed form, clipped to the box, and the gradient update. */
function step(i: i32, j: i32): void {
  const rowI = kernelRow(i32At(index, i));
  const rowJ = kernelRow(i32At(index, j));
  const ci = f64At(bound, i), cj = f64At(bound, j);
  const oldI = f64At(alpha, i), oldJ = f64At(alpha, j);
  let ai = oldI, aj = oldJ;
  const qij = q(rowI, i, j);
  if (i32At(sign, i) != i32At(sign, j)) {
    let quad = f64At(QD, i) + f64At(QD, j) + 2 * qij;
    if (quad <= 0) quad = TAU;
    const delta = (-f64At(G, i) - f64At(G, j)) / quad;
    const diff = ai - aj;
    ai += delta;
    aj += delta;
    if (diff > 0) {
      if (aj < 0) { aj = 0; ai = diff; }
    } else if (ai < 0) { ai = 0; aj = -diff; }
    if (diff > ci - cj) {
      if (ai > ci) { ai = ci; aj = ci - diff; }
    } else if (aj > cj) { aj = cj; ai = cj + diff; }
  } else {
    let quad = f64At(QD, i) + f64At(QD, j) - 2 * qij;
    if (quad <= 0) quad = TAU;
    const delta = (f64At(G, i) - f64At(G, j)) / quad;
    const sum = ai + aj;
    ai -= delta;
    aj += delta;
    if (sum > ci) {
      if (ai > ci) { ai = ci; aj = sum - ci; }
    } else if (aj < 0) { aj = 0; ai = sum; }
    if (sum > cj) {
      if (aj > cj) { aj = cj; ai = sum - cj; }
    } else if (ai < 0) { ai = 0; aj = sum; }
  }
  setF64(alpha, i, ai);
  setF64(alpha, j, aj);
  const dai = ai - oldI, daj = aj - oldJ;
  for (let t = 0; t < activeSize; t++) {
    const m = i32At(active, t);
    setF64(G, m, f64At(G, m) + q(rowI, i, m) * dai + q(rowJ, j, m) * daj);
  }
  // Ḡ follows the variables that enter or leave the upper bound.
  const wasUpperI = isUpper(i), wasUpperJ = isUpper(j);
  updateStatus(i);
  updateStatus(j);
  if (wasUpperI != isUpper(i)) {
    const row = kernelRow(i32At(index, i));
    const c = wasUpperI ? -ci : ci;
    for (let m = 0; m < l; m++) setF64(Gbar, m, f64At(Gbar, m) + c * q(row, i, m));
  }
  if (wasUpperJ != isUpper(j)) {
    const row = kernelRow(i32At(index, j));
    const c = wasUpperJ ? -cj : cj;
    for (let m = 0; m < l; m++) setF64(Gbar, m, f64At(Gbar, m) + c * q(row, j, m));
  }
}

/** After smoRun: ρ, the objective, the iterations, whether maxIter stopped it and Solver_NU's r, into result (f64 ×5). */
export function smoFinish(maxIter: f64, result: usize): void {
  let hitMax = 0;
  if (iter >= maxIter) {
    hitMax = 1;
    if (activeSize < l) {
      reconstructGradient();
      activeSize = l;
    }
  }
  const rho = nuMode ? calculateRhoNu() : calculateRho();
  let obj: f64 = 0;
  for (let k = 0; k < l; k++) obj += f64At(alpha, k) * (f64At(G, k) + f64At(p, k));
  setF64(result, 0, rho);
  setF64(result, 1, obj / 2);
  setF64(result, 2, iter);
  setF64(result, 3, <f64>hitMax);
  setF64(result, 4, rNu);
}

// A solver's state between two calls, so that a problem can be left and taken up again later by
// any thread (slices of smoBatch, a serial solve that yields to the event loop): its scalars, as f64.
/** Where smoBatch keeps the problem a slot holds (i32, −1: none) in its SMO_STATE_BYTES. */
const SMO_HOLDS: usize = 304;

/** Saves the solver's scalars (its arrays live in memory the caller keeps) at `state`; no allocation (worker threads). */
export function smoSave(state: usize): void {
  let k = 0;
  put(state, k++, l); put(state, k++, nSamples); put(state, k++, dims); put(state, k++, kernelKind);
  put(state, k++, kGamma); put(state, k++, kCoef0); put(state, k++, kDegree);
  put(state, k++, <f64>samples); put(state, k++, <f64>norms); put(state, k++, <f64>index); put(state, k++, <f64>sign);
  put(state, k++, <f64>p); put(state, k++, <f64>bound); put(state, k++, <f64>alpha); put(state, k++, <f64>G);
  put(state, k++, <f64>Gbar); put(state, k++, <f64>QD); put(state, k++, <f64>status); put(state, k++, <f64>active);
  put(state, k++, activeSize); put(state, k++, <f64>cache); put(state, k++, cacheRows); put(state, k++, <f64>slotOf);
  put(state, k++, <f64>sampleOf); put(state, k++, <f64>lastUse); put(state, k++, clock); put(state, k++, unshrink ? 1 : 0);
  put(state, k++, eps); put(state, k++, nuMode ? 1 : 0); put(state, k++, rNu); put(state, k++, iter); put(state, k++, counter);
  put(state, k++, finished ? 1 : 0); put(state, k++, startAt);
}

// @ts-ignore: decorator
@inline function put(state: usize, k: i32, value: f64): void { store<f64>(state + (<usize>k << 3), value); }

/** Restores what smoSave saved at `state`. */
export function smoRestore(state: usize): void {
  let k = 0;
  l = <i32>at(state, k++); nSamples = <i32>at(state, k++); dims = <i32>at(state, k++); kernelKind = <i32>at(state, k++);
  kGamma = at(state, k++); kCoef0 = at(state, k++); kDegree = <i32>at(state, k++);
  samples = <usize>at(state, k++); norms = <usize>at(state, k++); index = <usize>at(state, k++); sign = <usize>at(state, k++);
  p = <usize>at(state, k++); bound = <usize>at(state, k++); alpha = <usize>at(state, k++); G = <usize>at(state, k++);
  Gbar = <usize>at(state, k++); QD = <usize>at(state, k++); status = <usize>at(state, k++); active = <usize>at(state, k++);
  activeSize = <i32>at(state, k++); cache = <usize>at(state, k++); cacheRows = <i32>at(state, k++); slotOf = <usize>at(state, k++);
  sampleOf = <usize>at(state, k++); lastUse = <usize>at(state, k++); clock = at(state, k++); unshrink = at(state, k++) != 0;
  eps = at(state, k++); nuMode = at(state, k++) != 0; rNu = at(state, k++); iter = at(state, k++); counter = <i32>at(state, k++);
  finished = at(state, k++) != 0; startAt = <i32>at(state, k++);
}

// @ts-ignore: decorator
@inline function at(state: usize, k: i32): f64 { return load<f64>(state + (<usize>k << 3)); }

// @ts-ignore: decorator
@inline function slot(descriptor: usize, k: i32): f64 { return load<f64>(descriptor + (<usize>k << 3)); }

/**
 * A slice of the solve of a batch of independent problems over one sample matrix X (n×d f64,
 * squared norms sq): SVC's one-vs-one pairs. Problem t is SMO_DESCRIPTOR_SLOTS f64 values
 * [variables, samples (i32 indices into X), sign, linear, upper, alpha, tolerance, maxIter, ν-mode]
 * and its result (f64 ×5) goes to `results` + 40·t. Slots start ≤ s < end (one per thread the
 * caller planned for, handed out by the pool) each own a scratch area (`scratch` + s·scratchBytes:
 * the problem's samples gathered, their norms, a kernel cache of `rows` rows, the solver's work) and
 * a saved state (`states` + s·SMO_STATE_BYTES). A slot goes on with the problem it holds, or takes
 * the next unsolved one from counter[0] (counter[1] counts the solved), for about `budget` steps
 * (a gradient row or an iteration), then saves the state: the caller yields to the event loop
 * between slices, and any thread may run a slot next. A problem's iterations, and so its solution,
 * do not depend on the slicing or on the threads; each iteration bumps the thread's heartbeat.
 */
export function smoBatch(
  descriptors: usize, count: i32, results: usize, counter: usize, x: usize, d: i32, sq: usize, kind: i32,
  gamma: f64, coef0: f64, degree: i32, shrinking: i32, maxRows: i32, rows: i32, scratch: usize, scratchBytes: usize,
  states: usize, budget: i32, start: i32, end: i32, thread: i32,
): void {
  solverThread = thread;
  // Called through the function table, never inlined here: each call runs the callee's current
  // code, so once V8 has optimised smoRun the rest of this long call uses it.
  const gradient = smoGradient, run = smoRun;
  for (let s = start; s < end; s++) {
    const state = states + <usize>s * SMO_STATE_BYTES;
    const sub = scratch + <usize>s * scratchBytes;
    const subSq = sub + (<usize>maxRows * d << 3);
    const cacheMemory = subSq + (<usize>maxRows << 3);
    const work = (cacheMemory + (<usize>rows * maxRows << 2) + 15) & ~15;
    let left = budget;
    while (left > 0) {
      let t = load<i32>(state + SMO_HOLDS);
      if (t < 0) {
        if (ASC_FEATURE_THREADS) t = atomic.add<i32>(counter, 1);
        else {
          t = load<i32>(counter);
          store<i32>(counter, t + 1);
        }
        if (t >= count) break;
        startProblem(descriptors + (<usize>t * SMO_DESCRIPTOR_SLOTS << 3), x, d, sq, kind, gamma, coef0, degree, rows, sub, subSq, cacheMemory, work);
        store<i32>(state + SMO_HOLDS, t);
      } else {
        smoRestore(state);
      }
      const maxIter = slot(descriptors + (<usize>t * SMO_DESCRIPTOR_SLOTS << 3), 7);
      let solved = false;
      while (left > 0) {
        if (startAt < l) {
          gradient(16);
          left -= 16;
        } else if (run(20, shrinking, maxIter)) {
          solved = true;
          break;
        } else {
          left -= 20;
        }
      }
      if (solved) {
        smoFinish(maxIter, results + <usize>t * 40);
        store<i32>(state + SMO_HOLDS, -1);
        if (ASC_FEATURE_THREADS) atomic.add<i32>(counter + 4, 1);
        else store<i32>(counter + 4, load<i32>(counter + 4) + 1);
      } else {
        smoSave(state);
      }
    }
  }
}

/** Gathers problem `dsc`'s samples into a slot's scratch (variable k is row k) and starts its solver. */
function startProblem(
  dsc: usize, x: usize, d: i32, sq: usize, kind: i32, gamma: f64, coef0: f64, degree: i32, rows: i32,
  sub: usize, subSq: usize, cacheMemory: usize, work: usize,
): void {
  const l = <i32>slot(dsc, 0);
  const idx = <usize>slot(dsc, 1);
  for (let k = 0; k < l; k++) {
    const src = <i32>load<i32>(idx + (<usize>k << 2));
    if (kind == Kernel.Precomputed) {
      for (let m = 0; m < l; m++) {
        store<f64>(sub + ((<usize>k * l + m) << 3), load<f64>(x + ((<usize>src * d + <usize>load<i32>(idx + (<usize>m << 2))) << 3)));
      }
    } else {
      memory.copy(sub + (<usize>k * d << 3), x + (<usize>src * d << 3), <usize>d << 3);
      store<f64>(subSq + (<usize>k << 3), load<f64>(sq + (<usize>src << 3)));
    }
  }
  for (let k = 0; k < l; k++) store<i32>(idx + (<usize>k << 2), k);
  smoStart(l, sub, l, kind == Kernel.Precomputed ? l : d, kind, gamma, coef0, degree, subSq, idx, <usize>slot(dsc, 2), <usize>slot(dsc, 3),
    <usize>slot(dsc, 4), <usize>slot(dsc, 5), slot(dsc, 6), cacheMemory, max(2, min(rows, l)), work, <i32>slot(dsc, 8));
}

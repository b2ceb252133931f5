import { log } from '../elementary.js';
import { Cancellation, type CancelOptions } from '../cancel.js';
import { Generator } from '../ops/generator.js';
import { decisionValues } from '../ops/svm.js';
import { FormatError, ValueError, describe } from '../errors.js';
import { Estimator, restoreEstimator, rules, type ParamTable, classifierScore } from '../estimator.js';
import { encodeLabels, toTargets, toVector, type Matrix, type MatrixLike } from '../matrix.js';
import { backend, type Backend } from '../runtime/backend.js';
import { nextSeed } from '../seed.js';
import { classWeightRule, classWeights } from '../class-weight.js';
import { pairwiseCoupling, sigmoidPredict, sigmoidTrain } from './probability.js';
import {
  KERNEL_RULES, checkFeatures, checkNoNegativeWeights, loadedKernel, warnIfStopped, resolveKernel, savedKernel, singleDecision, solveDuals, supportRows, takeColumns, takeRows,
  type BatchDual, type Kernel, type KernelOptions, type Solution,
} from './libsvm.js';

export interface SVCOptions extends KernelOptions {
  /** Penalty of the margin violations, C > 0 (default 1). */
  C?: number;
  /** Weight of each class in C: { label: weight }, or 'balanced' (n / (classes · count)); default none. */
  classWeight?: Record<string, number> | 'balanced' | null;
  /** 'ovr' (default: one column per class, scikit-learn's transform of the one-vs-one votes) or 'ovo'. */
  decisionFunctionShape?: 'ovr' | 'ovo';
  /** Fit Platt scaling by libsvm's internal 5-fold cross-validation, for predictProba (default false). */
  probability?: boolean;
  /** Seed of that cross-validation's shuffle (default: a fresh one, or setRandomSeed's sequence). */
  seed?: number | null;
}

interface Fitted {
  classes: (number | string)[];
  kernel: Kernel;
  features: number;
  /** Indices of the support vectors in the training set, grouped by class. */
  support: Int32Array;
  supportVectors: Matrix;
  nSupport: Int32Array;
  /** libsvm's coefficients: (classes − 1) × nSV, row-major. */
  coef: Float64Array;
  rho: Float64Array;
  nIter: number[];
  fitStatus: number;
  /** Platt's A and B per pair (probability: true), else undefined. */
  probA?: Float64Array;
  probB?: Float64Array;
}

const TABLE: ParamTable<SVCOptions> = {
  ...KERNEL_RULES,
  C: rules.positive(1),
  classWeight: classWeightRule(),
  decisionFunctionShape: rules.oneOf<'ovr' | 'ovo'>('ovr', ['ovr', 'ovo']),
  probability: rules.boolean(false),
  seed: rules.seed(),
};

/**
 * C-support vector classification (libsvm's C-SVC, as scikit-learn's SVC): for each pair of
 * classes, the dual  min ½αᵀQα − Σα  s.t. yᵀα = 0, 0 ≤ α_k ≤ C·w_k  is solved by SMO in
 * WebAssembly; predictions vote over the one-vs-one classifiers.
 *
 * @example
 * const svc = await new SVC({ kernel: 'rbf', C: 10 }).fit(X, y);
 * svc.predict(Xtest); svc.decisionFunction(Xtest); svc.supportVectors;
 */
/** The options every one-vs-one SVM classifier has. */
export interface ClassifierOptions extends KernelOptions {
  classWeight?: Record<string, number> | 'balanced' | null;
  decisionFunctionShape?: 'ovr' | 'ovo';
  /** Fit Platt scaling by libsvm's internal 5-fold cross-validation, for predictProba (default false). */
  probability?: boolean;
  /** Seed of that cross-validation's shuffle (default: a fresh one, or setRandomSeed's sequence). */
  seed?: number | null;
}

/**
 * The one-vs-one SVM classifiers (libsvm's svm_train for C-SVC and ν-SVC): a dual per pair of
 * classes, solved in parallel; votes and scikit-learn's decision shapes. Subclasses say how a
 * pair's dual starts and how its solution is scaled.
 */
export abstract class OneVsOneSVC<P extends ClassifierOptions> extends Estimator<P, Fitted> {
  /** The box of the dual before class and sample weights (C, or 1 for ν-SVC). */
  protected abstract boxC(): number;

  /** The linear term, the starting α and the solver of a pair (y = sign, box = upper). */
  protected abstract pairStart(sign: Int32Array, upper: Float64Array, nA: number, nB: number, where: string, check: boolean): { linear: Float64Array; alpha: Float64Array; nu?: boolean };

  /** The pair's solution as libsvm keeps it (ν-SVC divides by r). */
  protected pairScale(solution: Solution): Solution {
    return solution;
  }

  /** Learns from X (samples × features, or the Gram matrix with kernel 'precomputed') and labels y (numbers or strings). */
  async fit(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike, options: { sampleWeight?: ArrayLike<number> } & CancelOptions = {}): Promise<this> {
    const o = this.params as Required<ClassifierOptions>;
    const name = this.estimatorName;
    const cancel = Cancellation.of(options, `${name}.fit`);
    const data = this.fitMatrix(X, `${name}.fit: X`);
    const labels = encodeLabels(toVector(y, `${name}.fit: y`, data.rows), `${name}.fit: y`);
    const weights = options.sampleWeight === undefined ? undefined : toTargets(options.sampleWeight, `${name}.fit: sampleWeight`, data.rows);
    checkNoNegativeWeights(weights, `${name}.fit`);
    const k = labels.classes.length;
    if (k < 2) throw new ValueError(`${name}.fit: y has a single class (${describe(labels.classes[0])}); classification needs at least 2`);
    const kernel = resolveKernel(o, data, `${name}.fit`);
    const precomputed = o.kernel === 'precomputed';
    // Per-class C, as libsvm's weighted_C.
    const base = this.boxC();
    const classC = classWeights(o.classWeight, labels.index, labels.classes, `${name}.fit`).map((w) => base * w);
    const members = classMembers(labels.index, k);
    const be = backend();
    const pairs = (k * (k - 1)) / 2;
    const rho = new Float64Array(pairs);
    const nIter: number[] = [];
    let fitStatus = 0;
    // The one-vs-one problems, solved in parallel on the pool.
    const problems: BatchDual[] = [];
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const idx = pairSamples(members, a, b), na = members[a].length;
        const sign = new Int32Array(idx.length), upper = new Float64Array(idx.length);
        for (let t = 0; t < idx.length; t++) {
          sign[t] = t < na ? 1 : -1;
          upper[t] = (t < na ? classC[a] : classC[b]) * (weights ? weights[idx[t]] : 1);
        }
        problems.push({ samples: idx, index: idx, sign, upper, ...this.pairStart(sign, upper, members[a].length, members[b].length, name, true) });
      }
    }
    const solutions = (await solveDuals(be, data, problems, kernel, o, cancel)).map((solution) => this.pairScale(solution));
    solutions.forEach((solution, p) => {
      rho[p] = solution.rho;
      nIter.push(solution.iterations);
      fitStatus = Math.max(fitStatus, solution.status);
    });
    warnIfStopped(fitStatus, name, o.maxIter);
    // α of every sample in every pair it belongs to (signed): nonzero anywhere makes it a support vector.
    const alphaOf = solutions.map((solution, p) => {
      const sign = problems[p].sign, v = new Float64Array(solution.alpha.length);
      for (let t = 0; t < v.length; t++) v[t] = solution.alpha[t] * sign[t];
      return v;
    });
    // Support vectors: samples with a nonzero coefficient in any pair, grouped by class (libsvm's order).
    const isSupport = new Uint8Array(data.rows);
    problems.forEach((problem, p) => {
      const alpha = alphaOf[p];
      for (let t = 0; t < alpha.length; t++) if (alpha[t] !== 0) isSupport[problem.samples[t]] = 1;
    });
    const support: number[] = [];
    const nSupport = new Int32Array(k);
    const start = new Int32Array(k + 1);
    for (let c = 0; c < k; c++) {
      start[c] = support.length;
      for (const s of members[c]) if (isSupport[s]) support.push(s);
      nSupport[c] = support.length - start[c];
    }
    start[k] = support.length;
    const nSV = support.length;
    const position = new Int32Array(data.rows);
    support.forEach((s, i) => { position[s] = i; });
    const coef = new Float64Array((k - 1) * nSV);
    let pair = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const idx = problems[pair].samples, alpha = alphaOf[pair], na = members[a].length;
        for (let t = 0; t < idx.length; t++) {
          const s = idx[t];
          if (isSupport[s]) coef[(t < na ? b - 1 : a) * nSV + position[s]] = alpha[t];
        }
        pair++;
      }
    }
    const supportIdx = Int32Array.from(support);
    const platt = o.probability ? await this.plattScaling(be, data, problems, kernel, o, name, cancel) : undefined;
    this.setFitted({
      classes: labels.classes, kernel, features: data.cols, support: supportIdx,
      supportVectors: precomputed ? { data: new Float64Array(0), rows: nSV, cols: 0 } : takeRows(data, supportIdx),
      nSupport, coef, rho, nIter, fitStatus, ...platt,
    });
    return this;
  }

  /**
   * libsvm's svm_binary_svc_probability for every pair: decision values of each sample from a
   * model trained on the other four of five folds (shuffled with the seeded generator), then
   * sigmoidTrain. All folds of all pairs are solved as one parallel batch.
   */
  private async plattScaling(be: Backend, data: Matrix, pairs: BatchDual[], kernel: Kernel, o: Required<ClassifierOptions>, name: string, cancel: Cancellation): Promise<{ probA: Float64Array; probB: Float64Array }> {
    const folds = 5;
    const seed = nextSeed(o.seed ?? undefined, `${name}.fit`);
    const shuffles = be.scoped((alloc) => {
      const random = Generator.seeded(be, alloc, seed);
      return pairs.map((pair) => random.permutation(pair.samples.length));
    });
    const dec = pairs.map((pair) => new Float64Array(pair.samples.length));
    const jobs: { pair: number; train: Int32Array; held: Int32Array }[] = [];
    const problems: BatchDual[] = [];
    pairs.forEach((pair, p) => {
      const l = pair.samples.length;
      for (let f = 0; f < folds; f++) {
        const begin = Math.floor((f * l) / folds), end = Math.floor(((f + 1) * l) / folds);
        const held = shuffles[p].slice(begin, end);
        const train = Int32Array.from([...shuffles[p].subarray(0, begin), ...shuffles[p].subarray(end)]);
        let positives = 0;
        for (const t of train) if (pair.sign[t] === 1) positives++;
        if (positives === 0 || positives === train.length) {
          // One class only in the training folds: libsvm's fixed decision values.
          for (const t of held) dec[p][t] = train.length === 0 ? 0 : positives > 0 ? 1 : -1;
          continue;
        }
        const sign = Int32Array.from(train, (t) => pair.sign[t]);
        const upper = Float64Array.from(train, (t) => pair.upper[t]);
        const samples = Int32Array.from(train, (t) => pair.samples[t]);
        jobs.push({ pair: p, train, held });
        problems.push({ samples, index: samples, sign, upper, ...this.pairStart(sign, upper, positives, train.length - positives, name, false) });
      }
    });
    const solutions = problems.length ? (await solveDuals(be, data, problems, kernel, o, cancel)).map((s) => this.pairScale(s)) : [];
    const precomputed = kernel.code === 4;
    solutions.forEach((solution, q) => {
      const { pair: p, train, held } = jobs[q];
      const svLocal: number[] = [];
      const coef: number[] = [];
      solution.alpha.forEach((a, t) => {
        if (a !== 0) {
          svLocal.push(t);
          coef.push(a * problems[q].sign[t]);
        }
      });
      const heldSamples = Int32Array.from(held, (t) => pairs[p].samples[t]);
      const svSamples = Int32Array.from(svLocal, (t) => pairs[p].samples[train[t]]);
      const queries = precomputed ? takeColumns(takeRows(data, heldSamples), svSamples) : takeRows(data, heldSamples);
      const sv = precomputed ? { data: new Float64Array(0), rows: svSamples.length, cols: 0 } : takeRows(data, svSamples);
      const values = svSamples.length ? singleDecision(be, kernel, queries, sv, Float64Array.from(coef), solution.rho) : new Float64Array(held.length).fill(-solution.rho);
      held.forEach((t, h) => (dec[p][t] = values[h]));
    });
    const probA = new Float64Array(pairs.length), probB = new Float64Array(pairs.length);
    pairs.forEach((pair, p) => {
      [probA[p], probB[p]] = sigmoidTrain(dec[p], Uint8Array.from(pair.sign, (y) => (y === 1 ? 1 : 0)));
    });
    return { probA, probB };
  }

  /**
   * Class probabilities, queries × classes, in the order of `classes`: Platt-scaled one-vs-one
   * decisions coupled pairwise (libsvm's). Needs probability: true at fit.
   */
  predictProba(X: MatrixLike): number[][] {
    const f = this.fitted(`${this.estimatorName}.predictProba`);
    if (!f.probA || !f.probB) {
      throw new ValueError(`${this.estimatorName}.predictProba: the estimator was fitted without probability: true; set it (setParams({ probability: true })) and fit again`);
    }
    const { values, rows, pairs } = this.ovo(X, `${this.estimatorName}.predictProba`);
    const k = f.classes.length;
    const minProb = 1e-7;
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) {
      const pr = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      let p = 0;
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          const v = Math.min(Math.max(sigmoidPredict(values[r * pairs + p], f.probA[p], f.probB[p]), minProb), 1 - minProb);
          pr[a][b] = v;
          pr[b][a] = 1 - v;
          p++;
        }
      }
      out.push(k === 2 ? [pr[0][1], pr[1][0]] : pairwiseCoupling(pr));
    }
    return out;
  }

  /** The natural logarithm of predictProba. */
  predictLogProba(X: MatrixLike): number[][] {
    return this.predictProba(X).map((row) => row.map(log));
  }

  /** libsvm's one-vs-one decision values f_ab(x), queries × pairs. */
  private ovo(X: MatrixLike, where: string): { values: Float64Array; rows: number; pairs: number } {
    const f = this.fitted(where);
    const precomputed = this.params.kernel === 'precomputed';
    const queries = this.queryMatrix(X, `${where}: X`);
    checkFeatures(queries, f.features, where, precomputed);
    const k = f.classes.length;
    const pairs = (k * (k - 1)) / 2;
    const nSV = f.support.length;
    const q = precomputed ? takeColumns(queries, f.support) : queries;
    const values = decisionValues(backend(), f.kernel, q, f.supportVectors.rows ? f.supportVectors : { ...f.supportVectors, rows: nSV }, f.nSupport, f.coef, f.rho);
    return { values, rows: queries.rows, pairs };
  }

  /**
   * Decision values: with 'ovr' (default) one column per class (scikit-learn's votes plus
   * scaled confidences), with 'ovo' one per pair of classes; for two classes a single column,
   * positive for the second class.
   */
  decisionFunction(X: MatrixLike): number[] | number[][] {
    const { values, rows, pairs } = this.ovo(X, `${this.estimatorName}.decisionFunction`);
    const k = this.fitted(`${this.estimatorName}.decisionFunction`).classes.length;
    if (k === 2) return Array.from(values, (v) => -v);
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) {
      const dec = values.subarray(r * pairs, (r + 1) * pairs);
      if (this.params.decisionFunctionShape === 'ovo') {
        out.push(Array.from(dec));
        continue;
      }
      // scikit-learn's _ovr_decision_function(dec < 0, −dec, k).
      const votes = new Array<number>(k).fill(0), confidence = new Array<number>(k).fill(0);
      let p = 0;
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          confidence[a] += dec[p];
          confidence[b] -= dec[p];
          if (dec[p] < 0) votes[b]++; else votes[a]++;
          p++;
        }
      }
      out.push(votes.map((v, c) => v + confidence[c] / (3 * (Math.abs(confidence[c]) + 1))));
    }
    return out;
  }

  /** The predicted label of each query: the most votes over the one-vs-one classifiers (libsvm). */
  predict(X: MatrixLike): (number | string)[] {
    const { values, rows, pairs } = this.ovo(X, `${this.estimatorName}.predict`);
    const f = this.fitted(`${this.estimatorName}.predict`);
    const k = f.classes.length;
    const out: (number | string)[] = [];
    for (let r = 0; r < rows; r++) {
      const votes = new Array<number>(k).fill(0);
      let p = 0;
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) votes[values[r * pairs + p++] > 0 ? a : b]++;
      let best = 0;
      for (let c = 1; c < k; c++) if (votes[c] > votes[best]) best = c;
      out.push(f.classes[best]);
    }
    return out;
  }

  /** Mean accuracy on (X, y). */
  score(X: MatrixLike, y: ArrayLike<number | string> | MatrixLike): number {
    return classifierScore(this, X, y, this.estimatorName);
  }

  /** The class labels, sorted. */
  get classes(): (number | string)[] {
    return [...this.fitted('classes').classes];
  }

  /** Indices of the support vectors in the training data, grouped by class. */
  get support(): Int32Array {
    return this.fitted('support').support.slice();
  }

  /** The support vectors, nSV × features (empty rows for a precomputed kernel). */
  get supportVectors(): number[][] {
    return supportRows(this.fitted('supportVectors').supportVectors);
  }

  /** Support vectors per class. */
  get nSupport(): Int32Array {
    return this.fitted('nSupport').nSupport.slice();
  }

  /** Dual coefficients y·α, (classes − 1) × nSV, as scikit-learn's dual_coef_ (negated for two classes). */
  get dualCoef(): number[][] {
    const f = this.fitted('dualCoef');
    const nSV = f.support.length;
    const flip = f.classes.length === 2 ? -1 : 1;
    return Array.from({ length: f.classes.length - 1 }, (_, r) => Array.from(f.coef.subarray(r * nSV, (r + 1) * nSV), (v) => flip * v));
  }

  /** Intercepts per pair of classes, as scikit-learn's intercept_ (−ρ; ρ for two classes). */
  get intercept(): number[] {
    const f = this.fitted('intercept');
    const flip = f.classes.length === 2 ? 1 : -1;
    return Array.from(f.rho, (v) => flip * v);
  }

  /** SMO iterations per pair of classes. */
  get nIter(): number[] {
    return [...this.fitted('nIter').nIter];
  }

  /** 0 when every solver converged, 1 when one stopped at maxIter. */
  get fitStatus(): number {
    return this.fitted('fitStatus').fitStatus;
  }

  protected toSaved(f: Fitted): { meta: Record<string, unknown>; arrays: Record<string, Float64Array | Int32Array> } {
    return {
      meta: { ...savedKernel(f.kernel, f.features, f.supportVectors), classes: f.classes, fitStatus: f.fitStatus },
      arrays: {
        support: f.support, nSupport: f.nSupport, coef: f.coef, rho: f.rho, supportVectors: f.supportVectors.data, nIter: Float64Array.from(f.nIter),
        ...(f.probA && f.probB ? { probA: f.probA, probB: f.probB } : {}),
      },
    };
  }

  /** The γ used (after 'scale' or 'auto' was resolved). */
  get gammaValue(): number {
    return this.fitted('gammaValue').kernel.gamma;
  }
}

/** Reads a saved one-vs-one classifier's state, checking that every part fits the others. */
function readClassifier(meta: Record<string, unknown>, arrays: Record<string, Float64Array | Int32Array>, where: string): Fitted {
  const { kernel, features, svCols } = loadedKernel(meta, where);
  const classes = meta.classes as (number | string)[];
  const { support, nSupport, coef, rho, supportVectors, nIter } = arrays;
  const k = Array.isArray(classes) ? classes.length : 0;
  const nSV = support?.length ?? -1;
  const ok = k >= 2 && classes.every((c) => typeof c === 'number' || typeof c === 'string')
    && support instanceof Int32Array && nSupport instanceof Int32Array && nSupport.length === k && nSupport.reduce((a, b) => a + b, 0) === nSV
    && coef instanceof Float64Array && coef.length === (k - 1) * nSV && rho instanceof Float64Array && rho.length === (k * (k - 1)) / 2
    && supportVectors instanceof Float64Array && supportVectors.length === nSV * svCols && nIter instanceof Float64Array
    && [...coef, ...rho, ...supportVectors].every(Number.isFinite);
  if (!ok) throw new FormatError(`${where}: the saved classes, support vectors and coefficients do not fit together`);
  const { probA, probB } = arrays;
  if ((probA || probB) && !(probA instanceof Float64Array && probB instanceof Float64Array && probA.length === rho.length && probB.length === rho.length && [...probA, ...probB].every(Number.isFinite))) {
    throw new FormatError(`${where}: the saved probability calibration does not fit the classifier`);
  }
  return {
    ...(probA ? { probA: probA as Float64Array, probB: probB as Float64Array } : {}),
    classes, kernel, features, support: support as Int32Array, nSupport: nSupport as Int32Array, coef: coef as Float64Array, rho: rho as Float64Array,
    supportVectors: { data: supportVectors as Float64Array, rows: nSV, cols: svCols }, nIter: Array.from(nIter), fitStatus: Number(meta.fitStatus) || 0,
  };
}

/**
 * C-support vector classification (libsvm's C-SVC, as scikit-learn's SVC): for each pair of
 * classes, the dual  min ½αᵀQα − Σα  s.t. yᵀα = 0, 0 ≤ α_k ≤ C·w_k  is solved by SMO in
 * WebAssembly; predictions vote over the one-vs-one classifiers.
 *
 * @example
 * const svc = await new SVC({ kernel: 'rbf', C: 10 }).fit(X, y);
 * svc.predict(Xtest); svc.decisionFunction(Xtest); svc.supportVectors;
 */
export class SVC extends OneVsOneSVC<SVCOptions> {
  constructor(options?: SVCOptions) {
    super(TABLE, options, 'SVC');
  }

  protected boxC(): number {
    return this.params.C;
  }

  protected pairStart(sign: Int32Array): { linear: Float64Array; alpha: Float64Array } {
    return { linear: new Float64Array(sign.length).fill(-1), alpha: new Float64Array(sign.length) };
  }

  /** Restores an SVC saved with toBytes() / save(path): from the bytes or, in Node and Deno, a path. */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): SVC {
    return restoreEstimator((p) => new SVC(p as SVCOptions), 'SVC', source, readClassifier);
  }
}

export interface NuSVCOptions extends ClassifierOptions {
  /** Upper bound on the fraction of margin errors and lower bound on the fraction of support vectors, in (0, 1] (default 0.5). */
  nu?: number;
}

const NU_TABLE: ParamTable<NuSVCOptions> = {
  ...KERNEL_RULES,
  nu: rules.custom(0.5, 'a number in (0, 1]', (v) => typeof v === 'number' && v > 0 && v <= 1),
  classWeight: TABLE.classWeight,
  decisionFunctionShape: TABLE.decisionFunctionShape,
  probability: TABLE.probability,
  seed: TABLE.seed,
};

/**
 * ν-support vector classification (Schölkopf et al. 2000; libsvm's ν-SVC, as scikit-learn's
 * NuSVC): per pair  min ½αᵀQα  s.t. yᵀα = 0, Σα = νl, 0 ≤ α_k ≤ 1, solved by libsvm's
 * Solver_NU; the solution is scaled by 1/r into the C-SVC form.
 */
export class NuSVC extends OneVsOneSVC<NuSVCOptions> {
  constructor(options?: NuSVCOptions) {
    super(NU_TABLE, options, 'NuSVC');
  }

  protected boxC(): number {
    return 1;
  }

  protected pairStart(sign: Int32Array, upper: Float64Array, nA: number, nB: number, where: string, check: boolean): { linear: Float64Array; alpha: Float64Array; nu: boolean } {
    const nu = this.params.nu;
    const l = sign.length;
    if (check && (nu * (nA + nB)) / 2 > Math.min(nA, nB)) {
      throw new ValueError(`${where}.fit: nu ${nu} is infeasible for classes of ${nA} and ${nB} samples (nu · (n₁ + n₂) / 2 must not exceed the smaller class)`);
    }
    // libsvm's start (scikit-learn's variant): each class holds half of Σ ν·C_k, summed in
    // order (so 0.3 · 100 is 30.000000000000004, as there), filled up to the box in order.
    let total = 0;
    for (let t = 0; t < l; t++) total += nu * upper[t];
    let sumPos = total / 2, sumNeg = total / 2;
    const alpha = Float64Array.from(sign, (y, t) => {
      const a = Math.min(upper[t], y === 1 ? sumPos : sumNeg);
      if (y === 1) sumPos -= a; else sumNeg -= a;
      return a;
    });
    return { linear: new Float64Array(l), alpha, nu: true };
  }

  protected override pairScale(solution: Solution): Solution {
    const r = solution.r;
    return { ...solution, alpha: solution.alpha.map((a) => a / r), rho: solution.rho / r };
  }

  /** Restores a NuSVC saved with toBytes() / save(path). */
  static fromBytes(source: Uint8Array | ArrayBuffer | string): NuSVC {
    return restoreEstimator((p) => new NuSVC(p as NuSVCOptions), 'NuSVC', source, readClassifier);
  }
}

/** The samples of each of the k classes, in order (libsvm groups them so). */
function classMembers(index: Int32Array, k: number): Int32Array[] {
  const counts = new Int32Array(k);
  for (let i = 0; i < index.length; i++) counts[index[i]]++;
  const members = Array.from(counts, (n) => new Int32Array(n));
  counts.fill(0);
  for (let i = 0; i < index.length; i++) members[index[i]][counts[index[i]]++] = i;
  return members;
}

/** The samples of the pair (a, b): class a's, then class b's. */
function pairSamples(members: Int32Array[], a: number, b: number): Int32Array {
  const idx = new Int32Array(members[a].length + members[b].length);
  idx.set(members[a]);
  idx.set(members[b], members[a].length);
  return idx;
}

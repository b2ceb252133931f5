// scikit-learn's metrics against scikit-learn itself (tests/fixtures/metrics.json, made by
// scripts/fixtures/metrics.py): every average of precision, recall and F-beta with each
// zeroDivision on binary, string, multiclass, multilabel and degenerate targets; balanced
// accuracy, Matthews, kappa; the classification report; ROC and precision-recall curves and areas
// with tied scores; log loss and Brier; regression errors with several outputs; clustering
// agreements and silhouettes. All to 1e-12.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as w from '../dist/index.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/metrics.json', import.meta.url), 'utf8'));
w.warnings.filter('ignore', 'data');

/** Equal to the reference to 1e-12 (relative to its size), arrays element by element; null is NaN or null. */
function close(actual: unknown, expected: unknown, path = ''): void {
  if (expected === null) {
    if (actual !== null && !(typeof actual === 'number' && Number.isNaN(actual))) throw new Error(`${path}: expected null/NaN, got ${String(actual)}`);
    return;
  }
  if (Array.isArray(expected)) {
    const a = Array.from(actual as ArrayLike<unknown>);
    expect(a.length, path).toBe(expected.length);
    expected.forEach((e, i) => close(a[i], e, `${path}[${i}]`));
    return;
  }
  if (expected === 'Infinity' || expected === '-Infinity') {
    expect(actual, path).toBe(Number(expected));
    return;
  }
  if (typeof expected === 'number') {
    const v = actual as number;
    if (Number.isNaN(expected)) { expect(Number.isNaN(v), path).toBe(true); return; }
    expect(Math.abs(v - expected), `${path}: ${v} vs ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
    return;
  }
  expect(actual, path).toEqual(expected);
}

describe('label scores', () => {
  for (const [name, c] of Object.entries<any>(fx.labels)) {
    it(`${name}: precision, recall, F-beta and support for every average, zeroDivision and beta`, () => {
      close(w.accuracyScore(c.y_true, c.y_pred), c.accuracy, 'accuracy');
      close(w.accuracyScore(c.y_true, c.y_pred, { normalize: false }), c.accuracy_count, 'accuracy count');
      for (const [key, [p, r, f, s]] of Object.entries<any>(c.prfs)) {
        const [average, zd, beta] = key.split('|');
        const options = { average: average === 'None' ? null : average, zeroDivision: zd === 'warn' ? 'warn' : Number(zd), beta: Number(beta), posLabel: c.pos_label } as never;
        const got = w.precisionRecallFscoreSupport(c.y_true, c.y_pred, options);
        close(got.precision, p, `${key} precision`); close(got.recall, r, `${key} recall`); close(got.fScore, f, `${key} F`); close(got.support, s, `${key} support`);
        if (beta === '1') {
          const o = { average: options['average' as never], zeroDivision: options['zeroDivision' as never], posLabel: c.pos_label } as never;
          close(w.precisionScore(c.y_true, c.y_pred, o), p, `${key} precisionScore`);
          close(w.recallScore(c.y_true, c.y_pred, o), r, `${key} recallScore`);
          close(w.f1Score(c.y_true, c.y_pred, o), f, `${key} f1Score`);
        } else {
          close(w.fbetaScore(c.y_true, c.y_pred, { ...(options as object), beta: Number(beta) }), f, `${key} fbetaScore`);
        }
      }
    });
    if (c.confusion) {
      it(`${name}: confusion matrix, balanced accuracy, Matthews and Cohen's kappa`, () => {
        close(w.confusionMatrix(c.y_true, c.y_pred), c.confusion, 'confusion');
        close(w.balancedAccuracyScore(c.y_true, c.y_pred), c.balanced, 'balanced');
        close(w.balancedAccuracyScore(c.y_true, c.y_pred, { adjusted: true }), c.balanced_adjusted, 'balanced adjusted');
        close(w.matthewsCorrcoef(c.y_true, c.y_pred), c.mcc, 'mcc');
        close(w.cohenKappaScore(c.y_true, c.y_pred), c.kappa.None, 'kappa');
        close(w.cohenKappaScore(c.y_true, c.y_pred, { weights: 'linear' }), c.kappa.linear, 'kappa linear');
        close(w.cohenKappaScore(c.y_true, c.y_pred, { weights: 'quadratic' }), c.kappa.quadratic, 'kappa quadratic');
      });
    }
    if (c.report) {
      it(`${name}: the classification report, as text and as a dictionary`, () => {
        expect(w.classificationReport(c.y_true, c.y_pred, { zeroDivision: 0 })).toBe(c.report);
        expect(w.classificationReport(c.y_true, c.y_pred, { digits: 3, zeroDivision: 1 })).toBe(c.report_digits);
        const dict = w.classificationReport(c.y_true, c.y_pred, { outputDict: true, zeroDivision: 0 }) as Record<string, unknown>;
        expect(Object.keys(dict)).toEqual(Object.keys(c.report_dict));
        for (const [k, v] of Object.entries<any>(c.report_dict)) {
          if (typeof v === 'number') close(dict[k], v, k);
          else for (const [field, x] of Object.entries<number>(v)) close((dict[k] as any)[field], x, `${k}.${field}`);
        }
      });
    }
  }
  it('multiclass: a subset of labels, and normalized or reordered confusion matrices', () => {
    const c = fx.labels.multiclass;
    for (const [average, [p, r, f]] of Object.entries<any>(c.prfs_subset)) {
      const got = w.precisionRecallFscoreSupport(c.y_true, c.y_pred, { labels: c.subset_labels, average: average === 'null' ? null : average as never });
      close([got.precision, got.recall, got.fScore].map((v) => (typeof v === 'number' ? v : Array.from(v))), [p, r, f], average);
    }
    for (const [n, m] of Object.entries<any>(c.confusion_normalized)) close(w.confusionMatrix(c.y_true, c.y_pred, { normalize: n as never }), m, n);
    close(w.confusionMatrix(c.y_true, c.y_pred, { labels: ['dog', 'ant', 'bee'] }), c.confusion_subset, 'subset');
  });
  it('the report rounds ties to even as Python does', () => {
    expect(w.classificationReport(fx.report_tie.y_true, fx.report_tie.y_pred, { zeroDivision: 0 })).toBe(fx.report_tie.report);
  });
  it('refusals name the argument and what came', () => {
    expect(() => w.f1Score([0, 1, 2], [0, 1, 1])).toThrow(/target is multiclass but average is 'binary'/);
    expect(() => w.f1Score(['a', 'b'], ['a', 'b'])).toThrow(/posLabel = 1 is not a label; it should be one of/);
    expect(() => w.precisionScore([0.5, 1], [0, 1])).toThrow(/yTrue holds non-integer numbers/);
    expect(() => w.accuracyScore([0, 1], [0])).toThrow(/yTrue has 2 values but yPred has 1/);
    expect(() => w.accuracyScore([0, 'a'], [0, 'a'])).toThrow(/labels mix number and string/);
    expect(() => w.f1Score([[0, 1], [1, 0]], [0, 1] as never)).toThrow(/yTrue is multilabel-indicator but yPred is binary/);
    expect(() => w.f1Score([0, 1], [0, 1], { average: 'mean' as never })).toThrow(/average must be one of/);
    expect(() => w.fbetaScore([0, 1], [0, 1], {} as never)).toThrow(/beta is required/);
    expect(() => w.matthewsCorrcoef([null, 1] as never, [0, 1])).toThrow(/yTrue\[0\] must be a label/);
  });
});

describe('rankings', () => {
  const r = fx.ranking;
  it('ROC curve (with and without the intermediate points), its area and the partial area', () => {
    for (const drop of [true, false]) {
      const c = w.rocCurve(r.y_true, r.y_score, { dropIntermediate: drop });
      close([c.fpr, c.tpr, c.thresholds].map((v) => Array.from(v)), r[`roc_${drop ? 'True' : 'False'}`], `roc ${drop}`);
    }
    close(w.rocAucScore(r.y_true, r.y_score), r.roc_auc, 'auc');
    close(w.rocAucScore(r.y_true, r.y_score, { maxFpr: 0.3 }), r.roc_auc_max_fpr, 'max fpr');
    close(w.auc([3, 2, 1, 0], [1, 4, 2, 3]), r.auc_decreasing, 'auc decreasing');
    expect(() => w.auc([0, 2, 1], [1, 1, 1])).toThrow(/neither increasing nor decreasing/);
  });
  it('precision-recall curve and average precision', () => {
    const c = w.precisionRecallCurve(r.y_true, r.y_score);
    close([c.precision, c.recall, c.thresholds].map((v) => Array.from(v)), r.pr_curve, 'pr');
    close(w.averagePrecisionScore(r.y_true, r.y_score), r.ap, 'ap');
  });
  it('multiclass ROC AUC one-vs-rest and one-vs-one, macro and weighted; multiclass average precision', () => {
    for (const mc of ['ovr', 'ovo']) for (const a of ['macro', 'weighted']) close(w.rocAucScore(r.multi_y, r.multi_p, { multiClass: mc as never, average: a as never }), r[`multi_${mc}_${a}`], `${mc} ${a}`);
    close(w.rocAucScore(r.multi_y, r.multi_p, { multiClass: 'ovr', average: null }), r.multi_ovr_none, 'ovr none');
    for (const [a, v] of Object.entries<any>(r.multi_ap)) close(w.averagePrecisionScore(r.multi_y, r.multi_p, { average: a === 'None' ? null : a as never }), v, `ap ${a}`);
    expect(() => w.rocAucScore(r.multi_y, r.multi_p)).toThrow(/set multiClass to 'ovr' or 'ovo'/);
    expect(() => w.rocAucScore([0, 1, 2], [[0.5, 0.6, 0.1], [0.2, 0.2, 0.6], [0.3, 0.3, 0.4]], { multiClass: 'ovr' })).toThrow(/row 0 sums to 1.2/);
  });
  it('indicator matrices: ROC AUC and average precision for every average', () => {
    for (const [a, v] of Object.entries<any>(r.ml_auc)) close(w.rocAucScore(r.ml_y, r.ml_s, { average: a === 'None' ? null : a as never }), v, `auc ${a}`);
    for (const [a, v] of Object.entries<any>(r.ml_ap)) close(w.averagePrecisionScore(r.ml_y, r.ml_s, { average: a === 'None' ? null : a as never }), v, `ap ${a}`);
  });
  it('degenerate: one class present', () => {
    expect(() => w.rocAucScore([1, 1, 1], [0.2, 0.4, 0.9])).toThrow(/only one class is present/);
    const c = w.rocCurve([1, 1, 1], [0.2, 0.4, 0.9]);
    expect(Array.from(c.fpr).every(Number.isNaN)).toBe(true);
    expect(Array.from(c.tpr)).toEqual([0, 1 / 3, 1]);
    expect(() => w.rocCurve(['a', 'b'], [0.1, 0.9])).toThrow(/posLabel is not given/);
  });
});

describe('probabilities', () => {
  const p = fx.proba;
  it('log loss (1-D, sum, strings, multiclass, renormalized rows, labels) and Brier', () => {
    close(w.logLoss(p.y, p.p), p.log_loss, 'log loss');
    close(w.logLoss(p.y, p.p, { normalize: false }), p.log_loss_sum, 'sum');
    close(w.logLoss(p.strings, p.p), p.log_loss_strings, 'strings');
    close(w.logLoss(p.multi_y, p.multi_p), p.multi_log_loss, 'multiclass');
    close(w.logLoss(p.multi_y, p.unnormalized), p.unnormalized_log_loss, 'renormalized');
    close(w.logLoss(p.labels_y, p.labels_p, { labels: [0, 1, 2] }), p.labels_log_loss, 'labels');
    close(w.brierScoreLoss(p.y, p.p), p.brier, 'brier');
    close(w.brierScoreLoss(p.strings, p.p, { posLabel: 'spam' }), p.brier_strings, 'brier strings');
    expect(() => w.logLoss(p.labels_y, p.labels_p)).toThrow(/yPred has 3 classes \(columns\) but yTrue holds 2/);
    expect(() => w.logLoss([1, 1], [0.5, 0.5])).toThrow(/yTrue holds one class only/);
    expect(() => w.brierScoreLoss([0, 1], [0.5, 1.5])).toThrow(/element 1 is 1.5/);
  });
});

describe('regression', () => {
  const g = fx.regression;
  const funcs: Record<string, (t: never, p: never, o?: never) => unknown> = {
    r2: w.r2Score, ev: w.explainedVarianceScore, mse: w.meanSquaredError, mae: w.meanAbsoluteError, medae: w.medianAbsoluteError, mape: w.meanAbsolutePercentageError,
  };
  it.each(Object.keys(funcs))('%s: one output, several (raw, uniform, weighted)', (k) => {
    const f = funcs[k];
    close(f(g.y_true, g.y_pred), g[k], k);
    close(f(g.y2_true, g.y2_pred, { multioutput: 'rawValues' } as never), g[`${k}_raw`], `${k} raw`);
    close(f(g.y2_true, g.y2_pred), g[`${k}_uniform`], `${k} uniform`);
    close(f(g.y2_true, g.y2_pred, { multioutput: [1, 2, 3] } as never), g[`${k}_weights`], `${k} weights`);
  });
  it('root mean squared error, variance-weighted, max error, zeros and constants', () => {
    close(w.meanSquaredError(g.y_true, g.y_pred, { squared: false }), g.rmse, 'rmse');
    close(w.meanSquaredError(g.y2_true, g.y2_pred, { squared: false, multioutput: 'rawValues' }), g.rmse_raw, 'rmse raw');
    close(w.r2Score(g.y2_true, g.y2_pred, { multioutput: 'varianceWeighted' }), g.r2_variance, 'r2 variance');
    close(w.explainedVarianceScore(g.y2_true, g.y2_pred, { multioutput: 'varianceWeighted' }), g.ev_variance, 'ev variance');
    close(w.maxError(g.y_true, g.y_pred), g.max_error, 'max error');
    close(w.meanAbsolutePercentageError([0, 1, 2], [0.5, 1, 1]), g.mape_zero, 'mape zero');
    close([w.r2Score([2, 2, 2], [2, 2, 2]), w.r2Score([2, 2, 2], [2, 2, 3])], g.r2_constant, 'r2 constant');
    close([w.explainedVarianceScore([2, 2, 2], [3, 3, 3]), w.explainedVarianceScore([2, 2, 2], [2, 2, 3])], g.ev_constant, 'ev constant');
    expect(() => w.meanAbsoluteError([[1, 2]], [[1]])).toThrow(/yTrue has 1×2 values but yPred has 1×1/);
    expect(() => w.meanAbsoluteError([[1, 2]], [[1, 2]], { multioutput: [1] })).toThrow(/multioutput has 1 weights for 2 outputs/);
    expect(() => w.meanAbsoluteError([1, 2], [1, 2], { multioutput: 'varianceWeighted' })).toThrow(/applies to r2Score and explainedVarianceScore only/);
  });
});

describe('clustering', () => {
  const c = fx.clustering;
  it('Rand index, adjusted Rand, mutual information: plain, normalized and adjusted, every mean', () => {
    close(w.adjustedRandScore(c.a, c.b), c.ari, 'ari');
    close(w.randScore(c.a, c.b), c.rand, 'rand');
    close(w.mutualInfoScore(c.a, c.b), c.mi, 'mi');
    for (const [k, v] of Object.entries<number>(c.nmi)) close(w.normalizedMutualInfoScore(c.a, c.b, { averageMethod: k as never }), v, `nmi ${k}`);
    for (const [k, v] of Object.entries<number>(c.ami)) close(w.adjustedMutualInfoScore(c.a, c.b, { averageMethod: k as never }), v, `ami ${k}`);
    close([w.adjustedRandScore(c.a, c.a), w.adjustedMutualInfoScore(c.a, c.a), w.normalizedMutualInfoScore(c.a, c.a)], c.same, 'same');
    const one = [0, 0, 0, 0, 0], all = [0, 1, 2, 3, 4];
    close([w.adjustedRandScore(one, one), w.adjustedMutualInfoScore(one, one), w.adjustedRandScore(one, all), w.adjustedMutualInfoScore(one, all), w.normalizedMutualInfoScore(one, all)], c.one_cluster, 'one cluster');
    close([w.adjustedRandScore([0, 0, 1, 1], [0, 1, 0, 1]), w.adjustedMutualInfoScore([0, 0, 1, 2], [0, 1, 1, 1]), w.randScore([0, 0, 1, 1], [0, 1, 0, 1])], c.small, 'small');
  });
  it('silhouette: exact euclidean distances, manhattan, cosine, precomputed, per sample', () => {
    close(w.silhouetteScore(c.X, c.labels), c.silhouette_euclidean, 'euclidean');
    close(w.silhouetteSamples(c.X, c.labels), c.silhouette_samples, 'samples');
    // scikit-learn's own euclidean path uses ‖x‖² + ‖y‖² − 2x·y, which rounds: within 1e-9 of the exact one.
    expect(Math.abs(w.silhouetteScore(c.X, c.labels) - c.silhouette_sklearn_euclidean)).toBeLessThan(1e-9);
    close(w.silhouetteScore(c.X, c.labels, { metric: 'manhattan' }), c.silhouette_manhattan, 'manhattan');
    close(w.silhouetteScore(c.X, c.labels, { metric: 'cosine' }), c.silhouette_cosine, 'cosine');
    const d = c.X.map((a: number[]) => c.X.map((b: number[]) => Math.hypot(...a.map((v, k) => v - b[k]))));
    close(w.silhouetteScore(d, c.labels, { metric: 'precomputed' }), c.silhouette_euclidean, 'precomputed');
    const s1 = w.silhouetteScore(c.X, c.labels, { sampleSize: 30, seed: 3 }), s2 = w.silhouetteScore(c.X, c.labels, { sampleSize: 30, seed: 3 });
    expect(s1).toBe(s2);
    expect(() => w.silhouetteScore(c.X, c.X.map(() => 0))).toThrow(/there are 1 labels; a silhouette needs from 2 to n − 1/);
  });
});

describe('scorers by name', () => {
  it('every name resolves, camelCase too; unknown names are listed', () => {
    const names = w.getScorerNames();
    for (const n of ['accuracy', 'balanced_accuracy', 'f1_macro', 'precision_weighted', 'recall_micro', 'roc_auc', 'roc_auc_ovr', 'roc_auc_ovo_weighted', 'neg_log_loss',
      'average_precision', 'neg_brier_score', 'r2', 'neg_mean_squared_error', 'neg_root_mean_squared_error', 'neg_mean_absolute_error', 'neg_median_absolute_error',
      'neg_mean_absolute_percentage_error', 'explained_variance', 'max_error', 'matthews_corrcoef', 'adjusted_rand_score', 'adjusted_mutual_info_score']) expect(names).toContain(n);
    expect(typeof w.getScorer('f1Macro', 'test')).toBe('function');
    expect(() => w.getScorer('f2', 'test')).toThrow(/scorer's name \('accuracy', 'adjusted_mutual_info_score'/);
  });
});

describe('makeScorer', () => {
  it("a scorer from a metric: options, sign, probabilities; used by crossValScore as scikit-learn's make_scorer", async () => {
    const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), (i * 7) % 5]), y = X.map((r, i) => (r[0] + r[1] / 5 + (i % 4) / 8 > 0.4 ? 1 : 0));
    const model = await new w.LogisticRegression().fit(X, y);
    const f2 = w.makeScorer(w.fbetaScore, { metricOptions: { beta: 2 } });
    expect(f2(model as never, X, y)).toBe(w.fbetaScore(y, model.predict(X) as number[], { beta: 2 }));
    const loss = w.makeScorer(w.logLoss, { greaterIsBetter: false, responseMethod: 'predictProba' });
    expect(loss(model as never, X, y)).toBe(w.getScorer('neg_log_loss', 'test')(model as never, X, y));
    const auc = w.makeScorer(w.rocAucScore, { responseMethod: 'decisionFunction' });
    expect(auc(model as never, X, y)).toBe(w.getScorer('roc_auc', 'test')(model as never, X, y));
    const scores = await w.crossValScore(new w.LogisticRegression(), X, y, { cv: 4, scoring: f2 });
    expect(scores.length).toBe(4);
    expect(() => w.makeScorer(3 as never)).toThrow(/metric must be a function/);
    expect(() => w.makeScorer(w.f1Score, { responseMethod: 'proba' as never })).toThrow(/responseMethod must be/);
    const perLabel = w.makeScorer(w.f1Score, { metricOptions: { average: null } });
    expect(() => perLabel(model as never, X, y)).toThrow(/must give one number/);
  });
});

describe('sample weights', () => {
  const wt = fx.weighted;
  it('label scores, confusion, balanced accuracy, Matthews and kappa with weights', () => {
    for (const name of ['binary', 'multiclass', 'multilabel']) {
      const c = fx.labels[name], g = wt[name];
      close(w.accuracyScore(c.y_true, c.y_pred, { sampleWeight: g.w }), g.accuracy, `${name} accuracy`);
      for (const [average, [p, r, f, s]] of Object.entries<any>(g.prfs)) {
        const got = w.precisionRecallFscoreSupport(c.y_true, c.y_pred, { average: average === 'None' ? null : average as never, sampleWeight: g.w, zeroDivision: 0 });
        close(got.precision, p, `${name} ${average} precision`); close(got.recall, r, `${name} ${average} recall`); close(got.fScore, f, `${name} ${average} F`); close(got.support, s, `${name} ${average} support`);
      }
      if (g.confusion) {
        close(w.confusionMatrix(c.y_true, c.y_pred, { sampleWeight: g.w }), g.confusion, `${name} confusion`);
        close(w.balancedAccuracyScore(c.y_true, c.y_pred, { sampleWeight: g.w }), g.balanced, `${name} balanced`);
        close(w.matthewsCorrcoef(c.y_true, c.y_pred, { sampleWeight: g.w }), g.mcc, `${name} mcc`);
        close(w.cohenKappaScore(c.y_true, c.y_pred, { sampleWeight: g.w, weights: 'quadratic' }), g.kappa, `${name} kappa`);
      }
    }
    expect(() => w.accuracyScore([0, 1], [0, 1], { sampleWeight: [1] })).toThrow(/sampleWeight has 1 values but there are 2 samples/);
    expect(() => w.accuracyScore([0, 1], [0, 1], { sampleWeight: [1, -1] })).toThrow(/sampleWeight must not be negative; element 1 is -1/);
  });
  it('regression errors and probabilistic losses with weights', () => {
    const g = fx.regression, r = wt.regression, p = fx.proba, q = wt.proba;
    const funcs: Record<string, (t: never, p: never, o?: never) => unknown> = { r2: w.r2Score, ev: w.explainedVarianceScore, mse: w.meanSquaredError, mae: w.meanAbsoluteError, mape: w.meanAbsolutePercentageError };
    for (const [k, f] of Object.entries(funcs)) close(f(g.y_true, g.y_pred, { sampleWeight: r.w } as never), r[k], `weighted ${k}`);
    close(w.meanSquaredError(g.y_true, g.y_pred, { sampleWeight: r.w, squared: false }), r.rmse, 'weighted rmse');
    close(w.r2Score(g.y2_true, g.y2_pred, { sampleWeight: r.w25, multioutput: 'rawValues' }), r.r2_raw, 'weighted r2 raw');
    close(w.logLoss(p.y, p.p, { sampleWeight: q.w }), q.log_loss, 'weighted log loss');
    close(w.logLoss(p.y, p.p, { sampleWeight: q.w, normalize: false }), q.log_loss_sum, 'weighted log loss sum');
    close(w.brierScoreLoss(p.y, p.p, { sampleWeight: q.w }), q.brier, 'weighted brier');
    expect(() => w.medianAbsoluteError([1, 2], [1, 2], { sampleWeight: [1, 1] } as never)).toThrow(/sampleWeight is not supported/);
  });
});

// `wasmlearn/metrics`: scores of predictions (scikit-learn's sklearn.metrics) and scorers by name.
export * from './core.js';
export {
  accuracyScore, confusionMatrix, precisionRecallFscoreSupport, precisionScore, recallScore, fbetaScore, f1Score, balancedAccuracyScore,
  matthewsCorrcoef, cohenKappaScore, type Average, type ZeroDivision, type ConfusionMatrixOptions, type PrecisionRecallOptions, type FbetaOptions, type PrecisionRecallFscoreSupport,
} from '../scoring/classification.js';
export { classificationReport, type ClassificationReportOptions, type ReportRow } from '../scoring/report.js';
export { logLoss, brierScoreLoss, type LogLossOptions } from '../scoring/probabilistic.js';
export { auc, rocCurve, rocAucScore, precisionRecallCurve, averagePrecisionScore, type AverageKind, type Curve, type RocAucOptions, type PrecisionRecallCurve } from '../scoring/ranking.js';
export {
  r2Score, explainedVarianceScore, meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, medianAbsoluteError, maxError, type Multioutput, type RegressionOptions,
} from '../scoring/regression.js';
export {
  silhouetteScore, silhouetteSamples, randScore, adjustedRandScore, mutualInfoScore, normalizedMutualInfoScore, adjustedMutualInfoScore, type AverageMethod, type SilhouetteOptions, type SilhouetteMetric,
} from '../scoring/clustering.js';
export { getScorer, getScorerNames, makeScorer, type MakeScorerOptions, type Scorer, type Scorable } from '../scoring/scorers.js';
export type { Label, Labels, ScoreArray } from '../scoring/targets.js';

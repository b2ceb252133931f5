// `wasmlearn/metrics`: scores of predictions (scikit-learn's sklearn.metrics).
export * from './core.js';
export { accuracyScore, confusionMatrix, classificationReport, r2Score, meanSquaredError } from '../scoring.js';

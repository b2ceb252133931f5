// `wasmlearn/linear`: linear and logistic regression.
export * from './core.js';
export { LinearRegression, Ridge, type LinearRegressionOptions, type RidgeOptions } from '../linear/least-squares.js';
export { LogisticRegression, type LogisticRegressionOptions } from '../linear/logistic.js';

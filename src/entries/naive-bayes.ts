// `wasmlearn/naive-bayes`: Gaussian, multinomial and Bernoulli naive Bayes.
export * from './core.js';
export { GaussianNB, type GaussianNBOptions } from '../naive-bayes/gaussian-nb.js';
export { MultinomialNB, BernoulliNB, type DiscreteNBOptions, type BernoulliNBOptions } from '../naive-bayes/discrete-nb.js';
export type { NaiveBayesFitOptions, PartialFitOptions } from '../naive-bayes/naive-bayes.js';

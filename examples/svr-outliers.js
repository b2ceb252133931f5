// Support vector regression of a noisy curve, and the one-class SVM's outlier map (the idea of
// scikit-learn's species-distribution example: a boundary around where the data live).
//
//   node examples/svr-outliers.js    → examples/out/svr.svg, examples/out/one-class-svm.svg
import { OneClassSVM, SVR, r2Score } from 'wasmlearn';
import { grid, saveChart } from './plot.js';

// A fixed pseudo-random sequence, so the figures are the same on every run.
let state = 42;
const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

// y = sin(x) + noise on [0, 5], every fifth point pushed further (scikit-learn's plot_svm_regression).
const xs = Array.from({ length: 80 }, () => 5 * random()).sort((a, b) => a - b);
const ys = xs.map((x, i) => Math.sin(x) + (i % 5 === 0 ? 3 * (0.5 - random()) : 0.1 * normal()));
const X = xs.map((x) => [x]);
const curve = Array.from({ length: 200 }, (_, i) => [(5 * i) / 199]);
const fits = [];
for (const [name, options] of [['RBF', { kernel: 'rbf', C: 100, gamma: 0.1, epsilon: 0.1 }], ['linear', { kernel: 'linear', C: 100 }], ['polynomial', { kernel: 'poly', C: 100, gamma: 'auto', degree: 3, epsilon: 0.1, coef0: 1 }]]) {
  const svr = await new SVR(options).fit(X, ys);
  console.log(`SVR ${name.padEnd(10)} R² ${r2Score(ys, svr.predict(X)).toFixed(3)}, ${svr.support.length} support vectors`);
  const line = svr.predict(curve);
  fits.push(...curve.map(([x], i) => ({ x, y: line[i], kernel: name })));
}
const svrFile = await saveChart('svr', {
  title: 'Support vector regression of a noisy sine', width: 480, height: 300,
  layer: [
    { data: { values: xs.map((x, i) => ({ x, y: ys[i] })) }, mark: { type: 'point', color: 'gray' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
    { data: { values: fits }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'kernel', type: 'nominal' } } },
  ],
});

// Two clusters of "observations" and some scattered outliers; the one-class SVM learns where
// the observations live and flags the rest.
const train = Array.from({ length: 200 }, (_, i) => [0.3 * normal() + (i % 2 ? 2 : -2), 0.3 * normal() + (i % 2 ? 2 : -2)]);
const outliers = Array.from({ length: 20 }, () => [8 * random() - 4, 8 * random() - 4]);
const ocsvm = await new OneClassSVM({ nu: 0.1, kernel: 'rbf', gamma: 0.5 }).fit(train);
const flagged = (rows) => ocsvm.predict(rows).filter((v) => v === -1).length;
console.log(`one-class SVM: ${flagged(train)} of ${train.length} training points and ${flagged(outliers)} of ${outliers.length} scattered points outside`);
const cells = grid([-4.5, 4.5], [-4.5, 4.5], 70);
const decision = ocsvm.decisionFunction(cells);
const ocsvmFile = await saveChart('one-class-svm', {
  title: 'One-class SVM: the learned frontier (decision ≥ 0 inside)', width: 380, height: 380,
  layer: [
    { data: { values: cells.map(([x, y], i) => ({ x, y, inside: decision[i] >= 0 ? 'inside' : 'outside' })) }, mark: { type: 'square', size: 30, opacity: 0.45 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'inside', type: 'nominal', scale: { range: ['#4c78a8', '#f2f2f2'] } } } },
    { data: { values: [...train.map(([x, y]) => ({ x, y, kind: 'training' })), ...outliers.map(([x, y]) => ({ x, y, kind: 'new, scattered' }))] }, mark: { type: 'point', filled: true, size: 20 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, shape: { field: 'kind', type: 'nominal' }, color: { value: 'black' } } },
  ],
});
console.log(`figures: ${svrFile}, ${ocsvmFile}`);

// The examples run as a user runs them (node examples/…), each writing its figures; their
// printed numbers are checked where the lecture or scikit-learn fixes them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const root = new URL('../', import.meta.url);
const run = (script: string, ...args: string[]): string => execFileSync(process.execPath, [new URL(`examples/${script}`, root).pathname, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
const figure = (name: string): string => {
  const file = new URL(`examples/out/${name}.svg`, root);
  expect(existsSync(file), name).toBe(true);
  expect(statSync(file).size).toBeGreaterThan(2000);
  return readFileSync(file, 'utf8');
};

describe('examples', () => {
  test('iris-svm: four panels of decision regions', () => {
    const out = run('iris-svm.js');
    expect(out).toMatch(/SVC, linear kernel\s+training accuracy 0\.8\d\d/);
    expect(figure('iris-svm')).toContain('SVC, RBF kernel');
  });

  test('clustering: k-means centres of Fashion-MNIST drawn as images; DBSCAN follows the two moons, k-means cuts across', () => {
    const out = run('clustering.js');
    expect(out).toMatch(/k-means on 10000 images: \d+ iterations/);
    expect(Number(/normalized mutual information (\d\.\d+)/.exec(out)![1])).toBeGreaterThan(0.4);
    expect(out).toContain('two moons: DBSCAN 2 clusters');
    expect(Number(/DBSCAN .* adjusted Rand (\d\.\d+)/.exec(out)![1])).toBeGreaterThan(0.95);
    expect(Number(/k-means \(2\) adjusted Rand (-?\d\.\d+)/.exec(out)![1])).toBeLessThan(0.6);
    expect(figure('kmeans-centres')).toContain('ankle boot');
    expect(figure('moons')).toContain('DBSCAN');
  });

  test('penguins: a pipeline over a table with gaps and categories, cross-validated and searched on workers; report and ROC curves', () => {
    const out = run('penguins.js');
    expect(out).toContain('344 penguins, 11 with a gap');
    expect(Number(/accuracy ([\d.]+), macro F1/.exec(out)?.[1])).toBeGreaterThan(0.95);
    expect(out).toMatch(/best: C = \d/);
    expect(out).toContain('pipeline-2__island_Biscoe');
    expect(out).toMatch(/Chinstrap\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+21/);
    for (const auc of out.matchAll(/ROC AUC, \w+ vs rest: ([\d.]+)/g)) expect(Number(auc[1])).toBeGreaterThan(0.98);
    expect(figure('penguins-roc')).toContain('true positive rate');
  });

  test('boosting: the penguins with gaps and categories left to the booster; early stopping and its loss curves; body mass', () => {
    const out = run('boosting.js');
    expect(out).toContain('344 penguins, 19 missing values left as they are');
    expect(Number(/accuracy ([\d.]+), macro F1/.exec(out)?.[1])).toBeGreaterThan(0.95);
    const iterations = Number(/early stopping: (\d+) iterations of at most 300 \(3 trees each/.exec(out)?.[1]);
    expect(iterations).toBeGreaterThan(10);
    expect(iterations).toBeLessThan(300);
    expect(Number(/accuracy\s+([\d.]+)\s+104/.exec(out)?.[1])).toBeGreaterThan(0.95);
    const [, mae, median] = /mean absolute error ([\d.]+) g \(the training median for every penguin: ([\d.]+) g\)/.exec(out) ?? [];
    expect(Number(mae)).toBeLessThan(0.5 * Number(median));
    expect(figure('boosting-loss')).toContain('log loss');
  });

  test('iris-pca-lda: the explained variance ratios of scikit-learn', () => {
    const out = run('iris-pca-lda.js');
    expect(out).toContain('PCA explained variance ratio: [0.9246, 0.0531]');
    expect(out).toContain('LDA explained variance ratio: [0.9912, 0.0088]');
    figure('iris-pca-lda');
  });

  test('svr-outliers: SVR fits and the one-class frontier', () => {
    const out = run('svr-outliers.js');
    const r2 = Number(/SVR RBF\s+R² ([\d.]+)/.exec(out)?.[1]);
    expect(r2).toBeGreaterThan(0.7);
    figure('svr');
    figure('one-class-svm');
  });

  test('cnn-lecture: the lecture\'s feature maps, number for number', () => {
    const out = run('cnn-lecture.js', '--train', '0');
    expect(out.match(/the lecture's numbers/g)?.length).toBe(3);
    expect(out).not.toContain('DIFFERENT');
    figure('cnn-feature-maps');
  });

  test('trees-knn: a printed tree and three accuracies on Iris and Fashion-MNIST', () => {
    const out = run('trees-knn.js');
    expect(out).toContain('|--- petal width (cm) <= 0.80');
    for (const model of ['decision tree', 'random forest', 'k-nearest neighbours']) expect(out).toMatch(new RegExp(`${model}.*Iris 0\\.9\\d\\d`));
    figure('trees-knn');
  });

  test('lstm-fashion (short run): an LSTM reads the images row by row and learns them', () => {
    const out = run('lstm-fashion.js', '--train', '3000', '--epochs', '2');
    const accuracies = [...out.matchAll(/epoch \d: training loss [\d.]+, test accuracy ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(accuracies.length).toBe(2);
    // Ten classes: chance is 0.1; two short epochs on 3 000 images already reach well past half.
    expect(accuracies[1]).toBeGreaterThan(0.55);
    expect(figure('lstm-fashion')).toContain('test accuracy');
  });

  test('transformer-fashion (short run): a transformer encoder reads the images row by row and learns them', () => {
    const out = run('transformer-fashion.js', '--train', '3000', '--epochs', '2');
    expect(out).toContain('MultiHeadAttention');
    const accuracies = [...out.matchAll(/epoch \d: training loss [\d.]+, test accuracy ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(accuracies.length).toBe(2);
    // Ten classes: chance is 0.1; two short epochs on 3 000 images reach well past it.
    expect(accuracies[1]).toBeGreaterThan(0.5);
    expect(figure('transformer-fashion')).toContain('test accuracy');
  });

  test('char-sonnets (short run): a character-level LSTM learns the sonnets\' letters and writes after each epoch', () => {
    const out = run('char-sonnets.js', '--windows', '4000', '--epochs', '2');
    expect(out).toContain('94039 characters, 61 distinct; 4000 windows of 40');
    const epochs = [...out.matchAll(/epoch (\d): loss ([\d.]+), accuracy ([\d.]+)/g)].map((m) => ({ loss: Number(m[2]), accuracy: Number(m[3]) }));
    expect(epochs.length).toBe(2);
    // 61 characters: chance is about 0.016, and the space and 'e' alone give about 0.25 once learned.
    expect(epochs[1].loss).toBeLessThan(epochs[0].loss);
    expect(epochs[1].accuracy).toBeGreaterThan(0.15);
    // Each epoch prints the seed line and 200 generated characters.
    expect(out.match(/From fairest creatures we desire increas/g)?.length).toBe(2);
  });

  test('mlp-lecture (short run): every recipe trains and momentum escapes the first valley', () => {
    const out = run('mlp-lecture.js', '--train', '2000', '--epochs', '2');
    expect(out).toContain('SGD 0.1, momentum 0.9');
    expect(out).toMatch(/x = -1\.2\d\d \(momentum\)/);
    figure('mlp-recipes');
    figure('mlp-momentum-1d');
  });

  test('transfer-learning (short run): a frozen trained MobileNetV2 base helps a new head more than an untrained one', () => {
    const out = run('transfer-learning.js', '--train', '3000', '--epochs', '2');
    expect(out).toContain('mobilenetv2_0.35_32, 409,920 parameters');
    const accuracy = (label: string) => Number(new RegExp(`${label}: test accuracy ([0-9.]+)`).exec(out)![1]);
    expect(accuracy('classes 0–4, base and head trained')).toBeGreaterThan(0.5);
    expect(accuracy('classes 5–9, frozen trained base, new head')).toBeGreaterThan(accuracy('classes 5–9, frozen untrained base, new head') + 0.1);
  });
});

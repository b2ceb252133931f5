// Gradient boosting on a real table with categories and gaps: the Palmer penguins (data/penguins,
// CC0), as scikit-learn's "Categorical Feature Support in Gradient Boosting" example does it.
// Island and sex are only turned into category codes; the gaps are left to the booster, which
// sends them, at each split, to the side training chose. A species classifier cross-validated and
// scored on held-out penguins, its training and validation loss per iteration under early stopping
// (examples/out/boosting-loss.svg), and a regressor of body mass with the absolute error.
//
//   node examples/boosting.js
import {
  HistGradientBoostingClassifier, HistGradientBoostingRegressor, OrdinalEncoder, classificationReport, crossValidate, makeColumnTransformer,
  makePipeline, meanAbsoluteError, trainTestSplit,
} from 'wasmlearn';
import { readPenguins } from './penguins-data.js';
import { saveChart } from './plot.js';

// The CSV as row objects: numbers where the column holds numbers, 'NA' as a gap (null).
const rows = readPenguins();
const species = rows.map((r) => r.species);
const features = rows.map(({ island, sex, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g }) => ({ island, sex, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g }));
const gaps = features.reduce((s, r) => s + Object.values(r).filter((v) => v === null).length, 0);
console.log(`${rows.length} penguins, ${gaps} missing values left as they are`);

// Island and sex become codes 0, 1, … (a gap stays a gap); the measurements pass through. The
// booster treats the first two columns as categories.
const booster = (options) => makePipeline(
  makeColumnTransformer([new OrdinalEncoder(), ['island', 'sex']], { remainder: 'passthrough' }),
  new HistGradientBoostingClassifier({ categoricalFeatures: [0, 1], seed: 0, ...options }),
);
const { xTrain, xTest, yTrain, yTest } = trainTestSplit(features, species, { testSize: 0.3, stratify: species, seed: 0 });
const cv = await crossValidate(booster({ maxIter: 100, learningRate: 0.1 }), xTrain, yTrain, { cv: 5, scoring: ['accuracy', 'f1_macro'], nJobs: 2 });
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
console.log(`5-fold cross-validation on the training penguins: accuracy ${mean(cv.testAccuracy).toFixed(3)}, macro F1 ${mean(cv.testF1Macro).toFixed(3)}`);

// Early stopping on a fifth of the training penguins, watching the log loss.
const model = await booster({ maxIter: 300, learningRate: 0.05, earlyStopping: true, validationFraction: 0.2, nIterNoChange: 10 }).fit(xTrain, yTrain);
const fitted = model.get(-1);
console.log(`early stopping: ${fitted.nIter} iterations of at most 300 (${fitted.nTreesPerIteration} trees each, one per species)`);
console.log(`held-out penguins (${yTest.length}):\n${classificationReport(yTest, model.predict(xTest), { digits: 3 })}`);

const curve = [...fitted.trainScore].flatMap((v, i) => [
  { iteration: i, loss: -v, part: 'training (80 %)' },
  { iteration: i, loss: -fitted.validationScore[i], part: 'validation (20 %)' },
]);
const file = await saveChart('boosting-loss', {
  title: 'Penguin species: log loss per boosting iteration', width: 420, height: 260,
  data: { values: curve }, mark: 'line',
  encoding: {
    x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
    y: { field: 'loss', type: 'quantitative', title: 'log loss', scale: { type: 'log' } },
    color: { field: 'part', type: 'nominal', title: null },
  },
});
console.log(`loss curves: ${file}`);

// Body mass from the other columns (the species a category too), absolute error: leaves are medians.
const massRows = rows.filter((r) => r.body_mass_g !== null);
const massX = massRows.map(({ species: s, island, sex, bill_length_mm, bill_depth_mm, flipper_length_mm }) => ({ species: s, island, sex, bill_length_mm, bill_depth_mm, flipper_length_mm }));
const mass = massRows.map((r) => r.body_mass_g);
const split = trainTestSplit(massX, mass, { testSize: 0.3, seed: 1 });
const regressor = await makePipeline(
  makeColumnTransformer([new OrdinalEncoder(), ['species', 'island', 'sex']], { remainder: 'passthrough' }),
  new HistGradientBoostingRegressor({ loss: 'absoluteError', categoricalFeatures: [0, 1, 2], maxIter: 200, learningRate: 0.05, seed: 0 }),
).fit(split.xTrain, split.yTrain);
const baseline = [...split.yTrain].sort((a, b) => a - b)[split.yTrain.length >> 1];
console.log(`body mass of held-out penguins: mean absolute error ${meanAbsoluteError(split.yTest, regressor.predict(split.xTest)).toFixed(1)} g`
  + ` (the training median for every penguin: ${meanAbsoluteError(split.yTest, split.yTest.map(() => baseline)).toFixed(1)} g)`);

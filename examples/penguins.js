// The scikit-learn workflow on a real table with categories and gaps: the Palmer penguins
// (data/penguins, CC0). Row objects as a CSV gives them; a pipeline that imputes and scales the
// measurements and one-hot encodes island and sex, then a logistic regression; a grid search over
// C with 5-fold cross-validation on two workers; a classification report on held-out penguins;
// and one-vs-rest ROC curves of each species (examples/out/penguins-roc.svg).
//
//   node examples/penguins.js
import {
  GridSearchCV, LogisticRegression, OneHotEncoder, SimpleImputer, StandardScaler, auc, classificationReport, confusionMatrix,
  crossValidate, makeColumnTransformer, makePipeline, rocCurve, trainTestSplit,
} from 'wasmlearn';
import { readPenguins } from './penguins-data.js';
import { saveChart } from './plot.js';

// The CSV as row objects: numbers where the column holds numbers, 'NA' as a gap (null).
const rows = readPenguins();
const species = rows.map((r) => r.species);
const features = rows.map(({ island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex }) => ({ island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex }));
const gaps = features.filter((r) => Object.values(r).some((v) => v === null)).length;
console.log(`${rows.length} penguins, ${gaps} with a gap; species: ${[...new Set(species)].join(', ')}`);

const { xTrain, xTest, yTrain, yTest } = trainTestSplit(features, species, { testSize: 0.3, stratify: species, seed: 0 });
const pipeline = makePipeline(
  makeColumnTransformer(
    [makePipeline(new SimpleImputer({ strategy: 'median' }), new StandardScaler()), ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g']],
    [makePipeline(new SimpleImputer({ strategy: 'mostFrequent' }), new OneHotEncoder({ handleUnknown: 'ignore' })), ['island', 'sex']],
  ),
  new LogisticRegression({ maxIter: 1000 }),
);

const cv = await crossValidate(pipeline, xTrain, yTrain, { cv: 5, scoring: ['accuracy', 'f1_macro'], nJobs: 2 });
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
console.log(`5-fold cross-validation on the training penguins: accuracy ${mean(cv.testAccuracy).toFixed(3)}, macro F1 ${mean(cv.testF1Macro).toFixed(3)}`);

const search = await new GridSearchCV({ estimator: pipeline, paramGrid: { logisticregression__C: [0.001, 0.01, 0.1, 1, 10] }, cv: 5, scoring: 'neg_log_loss', nJobs: 2 }).fit(xTrain, yTrain);
search.cvResults.params.forEach((p, i) => console.log(`  C = ${String(p.logisticregression__C).padEnd(6)} log loss ${(-search.cvResults.meanTestScore[i]).toFixed(4)} (rank ${search.cvResults.rankTestScore[i]})`));
console.log(`best: C = ${search.bestParams.logisticregression__C}`);
console.log(`output columns: ${search.bestEstimator.get(0).getFeatureNamesOut().join(', ')}`);

const predicted = search.predict(xTest);
console.log(`\nheld-out penguins (${yTest.length}):\n${classificationReport(yTest, predicted, { digits: 3 })}`);
const classes = search.classes;
console.log(`confusion matrix (rows: true ${classes.join(', ')}):\n${confusionMatrix(yTest, predicted, { labels: classes }).map((r) => `  ${r.join(' ')}`).join('\n')}`);

// One-vs-rest ROC curves: each species' probability against the others.
const proba = search.predictProba(xTest);
const points = [];
classes.forEach((c, k) => {
  const { fpr, tpr } = rocCurve(yTest.map((v) => (v === c ? 1 : 0)), proba.map((p) => p[k]), { dropIntermediate: false });
  const area = auc(fpr, tpr);
  console.log(`ROC AUC, ${c} vs rest: ${area.toFixed(4)}`);
  fpr.forEach((x, i) => points.push({ fpr: x, tpr: tpr[i], species: `${c} (AUC ${area.toFixed(3)})`, order: i }));
});
const file = await saveChart('penguins-roc', {
  title: 'Palmer penguins: one-vs-rest ROC curves on held-out penguins', width: 380, height: 320,
  layer: [
    { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'fpr', type: 'quantitative' }, y: { field: 'tpr', type: 'quantitative' } } },
    { data: { values: points }, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 'fpr', type: 'quantitative', title: 'false positive rate' }, y: { field: 'tpr', type: 'quantitative', title: 'true positive rate' }, color: { field: 'species', type: 'nominal' }, order: { field: 'order' } } },
  ],
});
console.log(`figure: ${file}`);

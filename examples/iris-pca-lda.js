// The lecture's PCA and LDA on Iris: the data projected on two directions, by variance (PCA,
// unsupervised) and by class separation (LDA), with the explained variance ratios, as
// scikit-learn's "Comparison of LDA and PCA 2D projection of Iris dataset".
//
//   node examples/iris-pca-lda.js    → examples/out/iris-pca-lda.svg
import { LinearDiscriminantAnalysis, PCA, datasets } from 'wasmlearn';
import { saveChart } from './plot.js';

const { data, target, targetNames } = datasets.loadIris();
const pca = await new PCA({ nComponents: 2 }).fit(data);
const lda = await new LinearDiscriminantAnalysis({ nComponents: 2 }).fit(data, target);
const ratio = (r) => Array.from(r, (v) => v.toFixed(4)).join(', ');
console.log(`PCA explained variance ratio: [${ratio(pca.explainedVarianceRatio)}]   (scikit-learn: [0.9246, 0.0531])`);
console.log(`LDA explained variance ratio: [${ratio(lda.explainedVarianceRatio)}]   (scikit-learn: [0.9912, 0.0088])`);
const panel = (title, points) => ({
  title, width: 300, height: 260,
  data: { values: points.map(([a, b], i) => ({ a, b, species: targetNames[target[i]] })) },
  mark: { type: 'point', filled: true, size: 30, opacity: 0.8 },
  encoding: { x: { field: 'a', type: 'quantitative', title: 'component 1' }, y: { field: 'b', type: 'quantitative', title: 'component 2' }, color: { field: 'species', type: 'nominal' } },
});
const file = await saveChart('iris-pca-lda', {
  hconcat: [
    panel(`PCA of Iris (ratios ${ratio(pca.explainedVarianceRatio)})`, pca.transform(data)),
    panel(`LDA of Iris (ratios ${ratio(lda.explainedVarianceRatio)})`, lda.transform(data)),
  ],
});
console.log(`figure: ${file}`);

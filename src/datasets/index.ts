// The datasets namespace: `import { datasets } from 'wasmlearn'; datasets.loadIris()`.
export { loadIris, type Dataset } from './iris.js';
export { loadIdx, parseIdx, type IdxArray, type IdxType } from './idx.js';
export { toCategorical } from './categorical.js';

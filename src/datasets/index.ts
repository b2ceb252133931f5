// The datasets namespace: `import { datasets } from 'wasmlearn'; datasets.loadIris()`. Values only:
// the types (Dataset, IdxArray, IdxType) are exported by name from the root and wasmlearn/datasets.
export { loadIris } from './iris.js';
export { loadIdx, parseIdx } from './idx.js';
export { toCategorical } from './categorical.js';

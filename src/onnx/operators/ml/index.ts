// The ai.onnx.ml operators wasmlearn runs: what scikit-learn's converters (skl2onnx) write.
import type { OperatorTable } from '../../operator.js';
import { ENCODERS } from './encoders.js';
import { FEATURES } from './features.js';
import { LINEAR } from './linear.js';
import { MAPS } from './maps.js';
import { PREPROCESS } from './preprocess.js';
import { SVM } from './svm.js';
import { TREE_ENSEMBLE } from './tree-ensemble.js';

export const ML: OperatorTable = { ...LINEAR, ...SVM, ...TREE_ENSEMBLE, ...PREPROCESS, ...ENCODERS, ...FEATURES, ...MAPS };

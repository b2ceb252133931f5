// The `regularizers` namespace users see (TF.js' tf.regularizers).
export { l1, l1l2, l2, type Regularizer, type RegularizerIdentifier } from './regularizers.js';

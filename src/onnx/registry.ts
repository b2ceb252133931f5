// Every operator wasmlearn runs, by domain and op_type: a static table (nothing registers itself
// on import). The default domain is '' (also written 'ai.onnx'); scikit-learn's converters write
// 'ai.onnx.ml'.
import type { Operator, OperatorTable } from './operator.js';
import { ACTIVATIONS } from './operators/activations.js';
import { CONVOLUTION } from './operators/convolution.js';
import { ELEMENTWISE } from './operators/elementwise.js';
import { LINEAR_ALGEBRA } from './operators/linear-algebra.js';
import { ML } from './operators/ml/index.js';
import { NORMALIZATION } from './operators/normalization.js';
import { RECURRENT } from './operators/recurrent.js';
import { REDUCE } from './operators/reduce.js';
import { RESIZE } from './operators/resize.js';
import { SHAPE } from './operators/shape.js';

const DEFAULT: OperatorTable = { ...ELEMENTWISE, ...ACTIVATIONS, ...LINEAR_ALGEBRA, ...CONVOLUTION, ...NORMALIZATION, ...SHAPE, ...REDUCE, ...RESIZE, ...RECURRENT };

const DOMAINS: Readonly<Record<string, OperatorTable>> = { '': DEFAULT, 'ai.onnx': DEFAULT, 'ai.onnx.ml': ML };

/** The domain as the opset imports name it ('ai.onnx' is the default domain). */
export const domainOf = (domain: string | null | undefined): string => (!domain || domain === 'ai.onnx' ? '' : domain);

export function operatorOf(domain: string, opType: string): Operator | undefined {
  const table = DOMAINS[domainOf(domain)];
  return table && Object.prototype.hasOwnProperty.call(table, opType) ? table[opType] : undefined;
}

/** Every operator wasmlearn runs, as "OpType" (default domain) or "domain:OpType". */
export function supportedOperators(): string[] {
  return [...Object.keys(DEFAULT), ...Object.keys(ML).map((op) => `ai.onnx.ml:${op}`)].sort();
}

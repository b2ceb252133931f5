import { ValueError, describe } from '../errors.js';
import { Tensor, toTensor, type TensorLike } from '../tensor.js';

/**
 * One-hot encodes class indices (Keras' to_categorical): [n] → [n, numClasses], row i all zeros
 * but a 1 at column y[i].
 * @param numClasses default: the largest index + 1
 * @example toCategorical([0, 2, 1], 3).toArray(); // [[1,0,0],[0,0,1],[0,1,0]]
 */
export function toCategorical(y: TensorLike | ArrayLike<number>, numClasses?: number): Tensor {
  const t = ArrayBuffer.isView(y) && !(y instanceof DataView) ? toTensor({ data: y as unknown as ArrayLike<number>, shape: [(y as unknown as ArrayLike<number>).length] }, 'toCategorical: y') : toTensor(y, 'toCategorical: y');
  if (t.rank > 2 || (t.rank === 2 && t.shape[1] !== 1)) throw new ValueError(`toCategorical: y must be a list of class indices ([n] or [n, 1]); received shape [${t.shape.join(', ')}]`);
  let largest = -1;
  t.data.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new ValueError(`toCategorical: y[${i}] must be a non-negative integer class index; received ${v}`);
    largest = Math.max(largest, v);
  });
  const classes = numClasses ?? largest + 1;
  if (!Number.isInteger(classes) || classes < 1) throw new ValueError(`toCategorical: numClasses must be a positive integer; received ${describe(numClasses)}`);
  if (largest >= classes) throw new ValueError(`toCategorical: y holds class ${largest}, which needs numClasses > ${largest}; received ${classes}`);
  const out = new Float32Array(t.size * classes);
  t.data.forEach((v, i) => (out[i * classes + v] = 1));
  return new Tensor(out, [t.size, classes]);
}

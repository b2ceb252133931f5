// Keras' Conv2DTranspose (channels last): the gradient of a convolution with respect to its
// input, run forward — each input pixel spreads kernel × its value over a window of the output
// (overlaps summed). With the convolution that maps the output back to the input (same kernel,
// strides and padding), y = col2im(x · Kᵀ); backward dx = im2col(dz) · K and dK = im2col(dz)ᵀ · x.
// Keras' kernel [kh, kw, filters, channels] is exactly that convolution's kernel.
import { ShapeError, ValueError } from '../errors.js';
import { activationBackward, biasActivation, sumRows } from '../ops/activation.js';
import { col2im, im2col, type ConvGeometry } from '../ops/conv.js';
import { gemm } from '../ops/gemm.js';
import { ACTIVATIONS, keepsPreActivation } from './activations.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { windowAxis, type Step, type WeightSpec } from './layer.js';

/** A transposed 2-D convolution ("deconvolution"): [h, w, c] → [h·s (same) or (h − 1)·s + k (valid), …, filters]. */
export class Conv2DTranspose extends Conv2D {
  override readonly className = 'Conv2DTranspose';

  constructor(args: Conv2DArgs) {
    super(args, 'Conv2DTranspose');
    if (this.dilationRate[0] > 1 || this.dilationRate[1] > 1) throw new ValueError('Conv2DTranspose: dilationRate above 1 is not available (as in TF.js)');
    if (this.groups !== 1) throw new ValueError(`Conv2DTranspose: groups is not an option of a transposed convolution (Keras has none); received ${this.groups}`);
  }

  /** Its output is not a GEMM's: nothing is applied as it is written. */
  override get normalizable(): boolean {
    return false;
  }

  override computeOutputShape(inputShape: readonly number[]): number[] {
    if (inputShape.length !== 3) throw new ShapeError(`Conv2DTranspose ${this.name}: needs inputs [height, width, channels] per sample; received [${inputShape.join(', ')}]`);
    const along = (size: number, i: 0 | 1) => (this.padding === 'same' ? size * this.strides[i] : (size - 1) * this.strides[i] + this.kernelSize[i]);
    return [along(inputShape[0], 0), along(inputShape[1], 1), this.filters];
  }

  protected override weightSpecs(inputShape: readonly number[]): WeightSpec[] {
    return super.weightSpecs(inputShape).map(([name, shape, ...rest]) => [name, name === 'kernel' ? [shape[0], shape[1], this.filters, inputShape[2]] : shape, ...rest] as WeightSpec);
  }

  /** The convolution from the output back to the input: its image is this layer's output. */
  private reverse(): ConvGeometry {
    const [outHeight, outWidth] = this.inputShape, [height, width] = this.outputShape;
    const [, padTop] = windowAxis(height, this.kernelSize[0], this.strides[0], this.padding as 'valid' | 'same');
    const [, padLeft] = windowAxis(width, this.kernelSize[1], this.strides[1], this.padding as 'valid' | 'same');
    return { height, width, channels: this.filters, kernel: this.kernelSize, strides: this.strides, padTop, padLeft, outHeight, outWidth };
  }

  private get spread(): number {
    return this.kernelSize[0] * this.kernelSize[1] * this.filters;
  }

  /** The patch matrix of the input pixels' contributions; training with gelu, swish or mish, the pre-activation. */
  override scratchBytes(batch: number, training: boolean): number {
    const [h, w] = this.inputShape, [oh, ow] = this.outputShape;
    return 4 * (batch * h * w * this.spread + (training && keepsPreActivation(this.activation) ? batch * oh * ow * this.filters : 0));
  }

  private kept(step: Step, col: number): number {
    const [h, w] = this.inputShape;
    return step.training && keepsPreActivation(this.activation) ? col + step.batch * h * w * this.spread * 4 : 0;
  }

  override forward(step: Step, x: number, y: number, col: number): void {
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [kernel, bias] = this.weights;
    // cols = x · Kᵀ (K as [patch, channels]), then summed into the output's pixels.
    gemm(step.be, false, true, step.batch * h * w, this.spread, c, x, c, kernel.ptr, c, 0, col, this.spread, step.work);
    col2im(step.be, col, y, step.batch, this.reverse());
    biasActivation(step.be, y, bias?.ptr ?? 0, step.batch * oh * ow, this.filters, ACTIVATIONS[this.activation], this.kept(step, col));
  }

  override backward(step: Step, x: number, y: number, dy: number, dx: number, col: number, fused: boolean): void {
    const [h, w, c] = this.inputShape, [oh, ow] = this.outputShape;
    const [kernel, bias] = this.weights;
    const rowsOut = step.batch * oh * ow, rowsIn = step.batch * h * w;
    if (!fused && this.activation !== 'linear') activationBackward(step.be, ACTIVATIONS[this.activation], y, dy, dy, rowsOut, this.filters, this.kept(step, col));
    if (bias && this.trainable) sumRows(step.be, dy, rowsOut, this.filters, bias.grad);
    // The output gradient's patches, one row per input pixel.
    im2col(step.be, dy, col, step.batch, this.reverse());
    if (this.trainable) gemm(step.be, true, false, this.spread, c, rowsIn, col, this.spread, x, c, 0, kernel.grad, c, step.work);
    if (dx) gemm(step.be, false, false, rowsIn, c, this.spread, col, this.spread, kernel.ptr, c, 0, dx, c, step.work);
  }
}

// The layers namespace: factory functions in TF.js' style (layers.dense({ units: 10 })).
import { Activation, type ActivationArgs } from './activation.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten } from './flatten.js';
import type { LayerArgs } from './layer.js';
import { AveragePooling2D, MaxPooling2D, type MaxPooling2DArgs, type Pooling2DArgs } from './pooling2d.js';
import { Reshape, type ReshapeArgs } from './reshape.js';
import { Dot, type DotArgs } from './dot.js';
import { Add, Average, Concatenate, Maximum, Minimum, MergeLayer, Multiply, Subtract, type ConcatenateArgs } from './merge.js';
import { InputLayer } from './input-layer.js';
import { ELU, LeakyReLU, PReLU, ReLU, ThresholdedReLU, type LeakyReLUArgs, type PReLUArgs, type ReLUArgs } from './rectifiers.js';
import { Softmax, type SoftmaxArgs } from './softmax.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global-pooling2d.js';
import { Cropping2D, ZeroPadding2D, type Cropping2DArgs, type ZeroPadding2DArgs } from './padding2d.js';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
import { Embedding, type EmbeddingArgs } from './embedding.js';
import { SimpleRNN, type SimpleRNNArgs } from './simple-rnn.js';
import { LSTM, type LSTMArgs } from './lstm.js';
import { GRU, type GRUArgs } from './gru.js';
import { Bidirectional, type BidirectionalArgs } from './bidirectional.js';
import { TimeDistributed, type TimeDistributedArgs } from './time-distributed.js';
import { Attention, type AttentionArgs } from './attention.js';
import { AdditiveAttention, type AdditiveAttentionArgs } from './additive-attention.js';
import { Masking, type MaskingArgs } from './masking.js';
import { MultiHeadAttention, type MultiHeadAttentionArgs, type MultiHeadAttentionInputs } from './multi-head-attention.js';
import { DepthwiseConv2D, type DepthwiseConv2DArgs } from './depthwise-conv2d.js';
import { Rescaling, UpSampling2D, type RescalingArgs, type UpSampling2DArgs } from './resampling.js';
import { SeparableConv2D, type SeparableConv2DArgs } from './separable-conv2d.js';
import { Conv1D, type Conv1DArgs } from './conv1d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { Normalization, type NormalizationArgs } from './normalization.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, type Pooling1DArgs } from './pooling1d.js';

export { Layer, type LayerArgs, type Weight } from './layer.js';
export { Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Reshape, InputLayer, MergeLayer, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, ReLU, LeakyReLU, ELU, ThresholdedReLU, PReLU, Softmax, GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, Cropping2D, BatchNormalization, DepthwiseConv2D, AveragePooling2D, Rescaling, UpSampling2D, SeparableConv2D, Conv1D, Conv2DTranspose, Normalization, MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, LayerNormalization, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, Attention, AdditiveAttention, MultiHeadAttention, Masking };
export type { ActivationArgs, Conv2DArgs, DenseArgs, DropoutArgs, MaxPooling2DArgs, ReshapeArgs, ConcatenateArgs, DotArgs, ReLUArgs, LeakyReLUArgs, PReLUArgs, SoftmaxArgs, GlobalPooling2DArgs, ZeroPadding2DArgs, Cropping2DArgs, BatchNormalizationArgs, DepthwiseConv2DArgs, Pooling2DArgs, RescalingArgs, UpSampling2DArgs, SeparableConv2DArgs, Conv1DArgs, Pooling1DArgs, NormalizationArgs, LayerNormalizationArgs, EmbeddingArgs, SimpleRNNArgs, LSTMArgs, GRUArgs, BidirectionalArgs, TimeDistributedArgs, AttentionArgs, AdditiveAttentionArgs, MultiHeadAttentionArgs, MultiHeadAttentionInputs, MaskingArgs };
export { SymbolicTensor } from './node.js';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const maxPooling2d = (args?: MaxPooling2DArgs): MaxPooling2D => new MaxPooling2D(args);
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const add = (args?: LayerArgs): Add => new Add(args);
export const subtract = (args?: LayerArgs): Subtract => new Subtract(args);
export const multiply = (args?: LayerArgs): Multiply => new Multiply(args);
export const average = (args?: LayerArgs): Average => new Average(args);
export const maximum = (args?: LayerArgs): Maximum => new Maximum(args);
export const minimum = (args?: LayerArgs): Minimum => new Minimum(args);
export const concatenate = (args?: ConcatenateArgs): Concatenate => new Concatenate(args);
/** The dot product of two inputs along an axis of each; `normalize` for cosine similarity. */
export const dot = (args: DotArgs): Dot => new Dot(args);
/** Keras' ReLU layer (maxValue: 6 for ReLU6; negativeSlope, threshold). */
export const reLU = (args?: ReLUArgs): ReLU => new ReLU(args);
/** x, or α·x below 0 (α 0.3 by default). */
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
/** x, or α(eˣ − 1) below 0. */
export const elu = (args?: LayerArgs & { alpha?: number }): ELU => new ELU(args);
/** x above θ, else 0. */
export const thresholdedReLU = (args?: LayerArgs & { theta?: number }): ThresholdedReLU => new ThresholdedReLU(args);
/** The softmax over the last axis. */
export const softmax = (args?: SoftmaxArgs): Softmax => new Softmax(args);
/** Each image's mean over its positions, per channel. */
export const globalAveragePooling2d = (args?: GlobalPooling2DArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
/** Each image's maximum over its positions, per channel. */
export const globalMaxPooling2d = (args?: GlobalPooling2DArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
/** Rows and columns of zeros around each image. */
export const zeroPadding2d = (args?: ZeroPadding2DArgs): ZeroPadding2D => new ZeroPadding2D(args);
/** Rows and columns removed from the edges of each image. */
export const cropping2d = (args?: Cropping2DArgs): Cropping2D => new Cropping2D(args);
/** Normalizes each channel with the batch's statistics in training, the moving ones otherwise (Keras' BatchNormalization). */
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
/** Each sample normalized over its last axes by its own mean and variance, then γ and β (Keras' LayerNormalization). */
export const layerNormalization = (args?: LayerNormalizationArgs): LayerNormalization => new LayerNormalization(args);
/** Integer indices → rows of a trained table (Keras' Embedding): [...shape] → [...shape, outputDim]. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** h_t = act(x_t·W + h_{t−1}·R + b) over [steps, features] (Keras' SimpleRNN). */
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
/** A long short-term memory layer over [steps, features] (Keras' LSTM). */
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
/** A gated recurrent unit layer over [steps, features] (Keras' GRU; resetAfter true as Keras 3, false as Keras 2 and TF.js). */
export const gru = (args: GRUArgs): GRU => new GRU(args);
/** A recurrent layer run forwards and backwards, the outputs merged (Keras' Bidirectional). */
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
/** One layer applied to every step of a sequence with the same weights (Keras' TimeDistributed). */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
/** Dot-product attention of a query sequence over a value sequence (Keras' Attention): apply([query, value]) or apply([query, value, key]). */
export const attention = (args?: AttentionArgs): Attention => new Attention(args);
/** Additive (Bahdanau) attention of a query sequence over a value sequence (Keras' AdditiveAttention). */
export const additiveAttention = (args?: AdditiveAttentionArgs): AdditiveAttention => new AdditiveAttention(args);
/** Marks the padding steps of sequences (every feature equal to maskValue) for the layers after it (Keras' Masking). */
export const masking = (args?: MaskingArgs): Masking => new Masking(args);
/** Multi-head scaled dot-product attention (Keras 3's MultiHeadAttention): apply([query, value]), apply([query, value, key]) or apply({ query, value, key?, attentionMask?, useCausalMask? }). */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention => new MultiHeadAttention(args);
/** Each input channel convolved with its own depthMultiplier filters (Keras' DepthwiseConv2D). */
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
/** The mean of each window (padding positions not counted). */
export const averagePooling2d = (args?: Pooling2DArgs): AveragePooling2D => new AveragePooling2D(args);
/** y = x·scale + offset: raw pixels into the model. */
export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
/** Repeats each row and column of the images (nearest neighbour). */
export const upSampling2d = (args?: UpSampling2DArgs): UpSampling2D => new UpSampling2D(args);
/** A depthwise convolution then a pointwise 1×1 one (Keras' SeparableConv2D). */
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);
/** A 1-D convolution over [steps, channels] ('causal' padding too). */
export const conv1d = (args: Conv1DArgs): Conv1D => new Conv1D(args);
/** The maximum of each window of steps. */
export const maxPooling1d = (args?: Pooling1DArgs): MaxPooling1D => new MaxPooling1D(args);
/** The mean of each window of steps. */
export const averagePooling1d = (args?: Pooling1DArgs): AveragePooling1D => new AveragePooling1D(args);
/** The mean over the steps, per channel. */
export const globalAveragePooling1d = (args?: GlobalPooling2DArgs): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
/** The maximum over the steps, per channel. */
export const globalMaxPooling1d = (args?: GlobalPooling2DArgs): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
/** x, or a learned α·x below 0 (α per position, or shared over sharedAxes). */
export const prelu = (args?: PReLUArgs): PReLU => new PReLU(args);
/** A transposed convolution (the gradient of a convolution run forward), to upsample feature maps. */
export const conv2dTranspose = (args: Conv2DArgs): Conv2DTranspose => new Conv2DTranspose(args);
/** Each feature to zero mean and unit variance, with statistics given or learned by adapt(data). */
export const normalization = (args?: NormalizationArgs): Normalization => new Normalization(args);

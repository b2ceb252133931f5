// The layer registry (DESIGN.md §10): saved models name each layer by its Keras class name, and
// the loaders restore it through this table. The built-in classes sit in a static table (nothing
// registers itself on import, so bundlers can drop what a program does not use); users add their
// own classes with registerLayer, as tf.serialization.registerClass does in TF.js.
import { FormatError, ValueError, WasmlearnError, describe } from '../errors.js';
import { camelCase } from '../names.js';
import { Activation } from './activation.js';
import { Conv2D } from './conv2d.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import type { Layer } from './layer.js';
import { AveragePooling2D, MaxPooling2D } from './pooling2d.js';
import { Reshape } from './reshape.js';
import { InputLayer } from './input-layer.js';
import { Dot } from './dot.js';
import { Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract } from './merge.js';
import { ELU, LeakyReLU, PReLU, ReLU, ThresholdedReLU } from './rectifiers.js';
import { Softmax } from './softmax.js';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global-pooling2d.js';
import { Cropping2D, ZeroPadding2D } from './padding2d.js';
import { BatchNormalization } from './batch-normalization.js';
import { LayerNormalization } from './layer-normalization.js';
import { Embedding } from './embedding.js';
import { SimpleRNN } from './simple-rnn.js';
import { LSTM } from './lstm.js';
import { GRU } from './gru.js';
import { Bidirectional } from './bidirectional.js';
import { TimeDistributed } from './time-distributed.js';
import { Attention } from './attention.js';
import { AdditiveAttention } from './additive-attention.js';
import { MultiHeadAttention } from './multi-head-attention.js';
import { Masking } from './masking.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';
import { Rescaling, UpSampling2D } from './resampling.js';
import { SeparableConv2D } from './separable-conv2d.js';
import { Normalization } from './normalization.js';
import { Conv1D } from './conv1d.js';
import { Conv2DTranspose } from './conv2d-transpose.js';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from './pooling1d.js';

/** A layer class as the registry keeps it: it rebuilds a layer from getConfig()'s description. */
export interface LayerClass {
  fromConfig(config: Record<string, unknown>): Layer;
  /** Options this class implements that others take only when neutral (Layer.ownOptions). */
  readonly ownOptions?: readonly string[];
}

const BUILT_IN: Record<string, LayerClass> = {
  Dense, Conv2D, MaxPooling2D, MaxPool2D: MaxPooling2D, AveragePooling2D, AvgPool2D: AveragePooling2D, Flatten, Reshape, Dropout, Activation, InputLayer,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, ReLU, LeakyReLU, ELU, ThresholdedReLU, PReLU, Softmax,
  GlobalAveragePooling2D, GlobalAvgPool2D: GlobalAveragePooling2D, GlobalMaxPooling2D, GlobalMaxPool2D: GlobalMaxPooling2D, ZeroPadding2D, Cropping2D, BatchNormalization, DepthwiseConv2D, Rescaling, UpSampling2D, SeparableConv2D, SeparableConvolution2D: SeparableConv2D, Conv1D, Convolution1D: Conv1D, Conv2DTranspose, Convolution2DTranspose: Conv2DTranspose, Normalization,
  MaxPooling1D, MaxPool1D: MaxPooling1D, AveragePooling1D, AvgPool1D: AveragePooling1D, GlobalAveragePooling1D, GlobalAvgPool1D: GlobalAveragePooling1D,
  GlobalMaxPooling1D, GlobalMaxPool1D: GlobalMaxPooling1D, LayerNormalization, Embedding, SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, Attention, AdditiveAttention, MultiHeadAttention, Masking,
};

const registered = new Map<string, LayerClass>();

/**
 * Makes a layer class loadable from saved models under `className` (the name its instances give
 * as `className` and that getConfig describes). The class must have `static fromConfig(config)`,
 * which every subclass of Layer inherits. Registering a built-in name replaces the built-in class.
 * @example registerLayer('ScaledDense', ScaledDense)
 */
export function registerLayer(className: string, cls: LayerClass): void {
  if (typeof className !== 'string' || !/^[A-Za-z_][\w.>-]*$/.test(className)) {
    throw new ValueError(`registerLayer: className must be a class name (letters, digits, _); received ${describe(className)}`);
  }
  if (cls === null || (typeof cls !== 'function' && typeof cls !== 'object') || typeof cls.fromConfig !== 'function') {
    throw new ValueError(`registerLayer: ${className} must be a layer class with a static fromConfig(config); received ${describe(cls)}`);
  }
  registered.set(className, cls);
}

/** The class registered under a name (users' first, then the built-in ones), or undefined. */
export function layerClass(className: string): LayerClass | undefined {
  return registered.get(className) ?? (Object.hasOwn(BUILT_IN, className) ? BUILT_IN[className] : undefined);
}

/** Every class name the registry knows. */
export function knownLayers(): string[] {
  return [...new Set([...Object.keys(BUILT_IN), ...registered.keys()])];
}

type Json = Record<string, unknown>;

/** Keras options wasmlearn does not implement: accepted only with their neutral values. */
const NEUTRAL: Record<string, (v: unknown) => boolean> = {
  noiseShape: (v) => v === null,
  dilationRate: (v) => v === 1 || (Array.isArray(v) && v.every((d) => d === 1)), groups: (v) => v === 1,
  seed: () => true, dtype: (v) => v === null || v === 'float32' || typeof v === 'object',
  kernelInitializer: () => true, biasInitializer: () => true, dataFormat: (v) => v === 'channels_last' || v === 'channelsLast',
  outputPadding: (v) => v === null, rmsScaling: (v) => v === false, timeMajor: (v) => v === false, zeroOutputForMask: () => true, invert: (v) => v === false || v === null, lora_rank: (v) => v === null, loraRank: (v) => v === null, loraAlpha: () => true,
};

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A Keras initializer description as our option ({ name, ...parameters }). */
function initializerOption(value: unknown): unknown {
  if (!isObject(value) || typeof value.class_name !== 'string') return value;
  const config = isObject(value.config) ? value.config : {};
  return { ...Object.fromEntries(Object.entries(config).map(([k, v]) => [camelCase(k), v])), name: value.class_name };
}

/**
 * A layer from its saved description { class_name, config } (Keras' snake_case or our camelCase):
 * options converted to wasmlearn's, the class found in the registry, FormatError for anything it
 * cannot take. `inputShape` (of a model's InputLayer) goes to the first layer.
 */
export function layerFromDescription(entry: unknown, where: string, inputShape?: number[]): Layer {
  if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
    throw new FormatError(`${where} must be { class_name, config }; found ${describe(entry)}`);
  }
  const cls = layerClass(entry.class_name);
  if (!cls) throw new FormatError(`${where}: layer class '${entry.class_name}' is not supported (known: ${knownLayers().join(', ')}; registerLayer adds others)`);
  const options: Json = {};
  const unsupported: string[] = [];
  for (const [key, value] of Object.entries(entry.config)) {
    const k = camelCase(key);
    if (k === 'batchShape' || k === 'batchInputShape') {
      if (value !== null && value !== undefined) options.batchInputShape = value;
      continue;
    }
    if (k.endsWith('Initializer')) {
      options[k] = initializerOption(value);
      continue;
    }
    if (k in NEUTRAL && !cls.ownOptions?.includes(k)) {
      if (!NEUTRAL[k](value)) unsupported.push(`option ${key} = ${JSON.stringify(value)}`);
      if (k === 'dataFormat') options.dataFormat = 'channelsLast';
      continue;
    }
    options[k] = value;
  }
  if (unsupported.length > 0) throw new FormatError(`${where} (${entry.class_name}): ${unsupported.join(', ')} ${unsupported.length > 1 ? 'are' : 'is'} not supported by wasmlearn`);
  // A wrapper's layers (Bidirectional's layer and backward_layer) are descriptions too.
  for (const key of ['layer', 'backwardLayer']) {
    if (isObject(options[key]) && typeof (options[key] as Json).class_name === 'string') options[key] = layerFromDescription(options[key], `${where} (${entry.class_name}): ${key}`);
  }
  if (inputShape && options.batchInputShape === undefined) options.batchInputShape = [null, ...inputShape];
  try {
    return cls.fromConfig(options);
  } catch (error) {
    if (error instanceof WasmlearnError) throw new FormatError(`${where} (${entry.class_name}): ${error.message}`, { cause: error });
    throw error;
  }
}

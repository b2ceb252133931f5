// The layers namespace: factory functions in TF.js' style (layers.dense({ units: 10 })).
import { Activation, type ActivationArgs } from './activation.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';
import { Dense, type DenseArgs } from './dense.js';
import { Dropout, type DropoutArgs } from './dropout.js';
import { Flatten } from './flatten.js';
import type { LayerArgs } from './layer.js';
import { MaxPooling2D, type MaxPooling2DArgs } from './max-pooling2d.js';
import { Reshape, type ReshapeArgs } from './reshape.js';

export { Layer, type LayerArgs, type Weight } from './layer.js';
export { Activation, Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Reshape };
export type { ActivationArgs, Conv2DArgs, DenseArgs, DropoutArgs, MaxPooling2DArgs, ReshapeArgs };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const maxPooling2d = (args?: MaxPooling2DArgs): MaxPooling2D => new MaxPooling2D(args);
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);

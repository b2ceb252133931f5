// `wasmlearn/preprocessing`: scalers.
export * from './core.js';
export { StandardScaler, MinMaxScaler, type StandardScalerOptions, type MinMaxScalerOptions } from '../preprocessing/scalers.js';

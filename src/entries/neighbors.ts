// `wasmlearn/neighbors`: nearest neighbours (search, classification, regression).
export * from './core.js';
export {
  NearestNeighbors, KNeighborsClassifier, KNeighborsRegressor, type NeighborsOptions, type NeighborsPredictorOptions, type Metric,
} from '../neighbors/knn.js';

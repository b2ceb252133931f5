// `wasmlearn/tree`: decision trees and random forests.
export * from './core.js';
export { DecisionTreeClassifier, DecisionTreeRegressor, type TreeOptions, type TreeClassifierOptions } from '../tree/decision-tree.js';
export { RandomForestClassifier, RandomForestRegressor, type ForestOptions, type ForestClassifierOptions } from '../tree/random-forest.js';
export type { ClassWeight } from '../class-weight.js';

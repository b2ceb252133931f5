// The Iris data (Fisher 1936), shipped in the package as scikit-learn's load_iris gives it.
import { IRIS_CLASSES, IRIS_FEATURES, IRIS_TARGETS, IRIS_VALUES } from './iris-data.js';

export interface Dataset {
  /** Samples × features. */
  data: number[][];
  /** Class index per sample. */
  target: number[];
  featureNames: string[];
  targetNames: string[];
}

/** 150 irises: sepal and petal length and width (cm), species 0 setosa, 1 versicolor, 2 virginica. */
export function loadIris(): Dataset {
  return {
    data: Array.from({ length: 150 }, (_, i) => IRIS_VALUES.slice(i * 4, i * 4 + 4)),
    target: Array.from(IRIS_TARGETS, Number),
    featureNames: [...IRIS_FEATURES],
    targetNames: [...IRIS_CLASSES],
  };
}

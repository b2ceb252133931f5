"""A 500-tree random forest as an ONNX file for bench/onnx.js (skl2onnx's layout, written with the
helpers of scripts/fixtures/onnx_sklearn.py): 20 000 rows of make_classification, 20 features,
5 classes, depth up to 12.

    /usr/bin/python3 bench/onnx_forest_sklearn.py OUT_DIR    # writes OUT_DIR/forest.onnx and OUT_DIR/forest.json
"""

import json
import os
import sys

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
from onnx_sklearn import classifier_outputs, float_input, forest_classifier_node, model_of, zipmap  # noqa: E402


def main(out):
    X, y = make_classification(n_samples=30000, n_features=20, n_informative=12, n_classes=5, random_state=0)
    X = X.astype(np.float32)
    forest = RandomForestClassifier(n_estimators=500, max_depth=12, n_jobs=2, random_state=0).fit(X[:20000], y[:20000])
    node = forest_classifier_node(forest, "X", "label", "probabilities")
    zm, zm_out = zipmap(forest.classes_)
    model = model_of([node, zm], [float_input(20)], classifier_outputs(5) + [zm_out], "forest")
    with open(os.path.join(out, "forest.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    test = X[20000:30000]
    with open(os.path.join(out, "forest.json"), "w") as f:
        json.dump({"X": test.ravel().tolist(), "rows": int(test.shape[0]), "cols": 20,
                   "labels": forest.predict(test).tolist()}, f)
    print(f"forest of 500 trees ({sum(e.tree_.node_count for e in forest.estimators_)} nodes) to {out}")


if __name__ == "__main__":
    main(sys.argv[1])

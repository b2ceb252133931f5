"""scikit-learn's DecisionTreeClassifier, RandomForestClassifier(100) and KNeighborsClassifier(5)
on the same Fashion-MNIST data as bench/trees.js (pixels / 255 in float64, as a user's numpy
array; the trees cast to float32 themselves), on one thread: n_jobs=1 and BLAS limited to one
thread before numpy loads. Prints JSON.

    /usr/bin/python3 bench/trees_sklearn.py N_TRAIN N_TEST
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import gzip
import json
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "data", "fashion-mnist")


def idx(name):
    with gzip.open(os.path.join(data, name)) as f:
        raw = f.read()
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


n_train, n_test = int(sys.argv[1]), int(sys.argv[2])
X = idx("train-images-idx3-ubyte.gz")[:n_train].reshape(n_train, -1) / 255.0
y = idx("train-labels-idx1-ubyte.gz")[:n_train]
Xt = idx("t10k-images-idx3-ubyte.gz")[:n_test].reshape(n_test, -1) / 255.0
yt = idx("t10k-labels-idx1-ubyte.gz")[:n_test]


def run(model):
    t0 = time.perf_counter()
    model.fit(X, y)
    fit = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = model.predict(Xt)
    predict = time.perf_counter() - t0
    return {"fit": fit, "predict": predict, "accuracy": float((p == yt).mean())}


print(json.dumps({
    "tree": run(DecisionTreeClassifier(random_state=0)),
    "forest": run(RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)),
    "knn": run(KNeighborsClassifier(n_neighbors=5, n_jobs=1)),
}))

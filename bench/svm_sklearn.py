"""scikit-learn's SVC on the same Fashion-MNIST subset as bench/svm.js; prints JSON.

    /usr/bin/python3 bench/svm_sklearn.py N_TRAIN N_TEST
"""
import gzip
import json
import os
import sys
import time

import numpy as np
from sklearn.svm import SVC

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
svc = SVC(kernel="rbf", C=10, gamma="scale")
t0 = time.perf_counter()
svc.fit(X, y)
fit = time.perf_counter() - t0
t0 = time.perf_counter()
p = svc.predict(Xt)
predict = time.perf_counter() - t0
print(json.dumps({"fit": fit, "predict": predict, "accuracy": float((p == yt).mean()), "nSV": int(svc.support_.size)}))

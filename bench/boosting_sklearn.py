"""scikit-learn's HistGradientBoostingClassifier on the same data as bench/boosting.js: Fashion-MNIST
(pixels / 255 in float64) and the tabular set the JS side wrote (float64 rows with NaN gaps, uint8
labels; the last rows are the test part). Fit with OpenMP on 2 threads, prediction of the test rows
on 1 and 2. Prints JSON.

    /usr/bin/python3 bench/boosting_sklearn.py N_IMAGES DIR N_ROWS MAX_ITER [fashion|tabular|all]
"""
from fashion_mnist import load, one_blas_thread

one_blas_thread()

import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

n_images, folder, n_rows, max_iter = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
only = sys.argv[5] if len(sys.argv) > 5 else "all"
X, y, Xt, yt = load(n_images, 10000)
table = np.fromfile(os.path.join(folder, "tabular.f64"), dtype=np.float64).reshape(-1, 20)
labels = np.fromfile(os.path.join(folder, "tabular.u8"), dtype=np.uint8)
sets = {"fashion": (X, y, Xt, yt), "tabular": (table[:n_rows], labels[:n_rows], table[n_rows:], labels[n_rows:])}
out = {}
for name, (A, b, At, bt) in sets.items():
    if only not in ("all", name):
        continue
    with threadpool_limits(limits=2, user_api="openmp"):
        t0 = time.perf_counter()
        model = HistGradientBoostingClassifier(max_iter=max_iter, random_state=0).fit(A, b)
        fit = time.perf_counter() - t0
    result = {"fit": fit, "n_iter": int(model.n_iter_)}
    for threads in (1, 2):
        with threadpool_limits(limits=threads, user_api="openmp"):
            model.predict(At)
            t0 = time.perf_counter()
            p = model.predict(At)
            result[f"predict_{threads}"] = time.perf_counter() - t0
    result["accuracy"] = float(np.mean(p == bt))
    out[name] = result
print(json.dumps(out))

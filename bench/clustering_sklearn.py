"""scikit-learn's KMeans(10) on the same Fashion-MNIST data as bench/clustering.js (pixels / 255 in
float64), from the first 10 images, n_init=1, Lloyd and Elkan, with OpenMP limited to 1 and to 2
threads (BLAS on one); and DBSCAN on the same 2-D points (a float64 file written by the JS side),
n_jobs 1 and 2. Prints JSON.

    /usr/bin/python3 bench/clustering_sklearn.py N [POINTS_FILE EPS MIN_SAMPLES]
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import json
import sys
import time

import fashion_mnist
import numpy as np
from sklearn.cluster import DBSCAN, KMeans
from threadpoolctl import threadpool_limits

n = int(sys.argv[1])
X, _, _, _ = fashion_mnist.load(n)
out = {}
for threads in (1, 2):
    for algorithm in ("lloyd", "elkan"):
        with threadpool_limits(limits=threads, user_api="openmp"):
            t0 = time.perf_counter()
            km = KMeans(n_clusters=10, init=X[:10], n_init=1, algorithm=algorithm).fit(X)
            seconds = time.perf_counter() - t0
        out[f"{algorithm}_{threads}"] = {"seconds": seconds, "n_iter": int(km.n_iter_), "inertia": float(km.inertia_)}
if len(sys.argv) > 2:
    points = np.fromfile(sys.argv[2], dtype=np.float64).reshape(-1, 2)
    eps, min_samples = float(sys.argv[3]), int(sys.argv[4])
    for jobs in (1, 2):
        t0 = time.perf_counter()
        db = DBSCAN(eps=eps, min_samples=min_samples, n_jobs=jobs).fit(points)
        seconds = time.perf_counter() - t0
        out[f"dbscan_{jobs}"] = {"seconds": seconds, "clusters": int(db.labels_.max() + 1), "noise": int((db.labels_ == -1).sum()),
                                 "labels_hash": int(np.sum((db.labels_.astype(np.int64) + 1) * (np.arange(len(db.labels_)) % 9973)))}
print(json.dumps(out))

"""scikit-learn's KMeans(10) on the same Fashion-MNIST data as bench/clustering.js (pixels / 255 in
float64), from the first 10 images, n_init=1, Lloyd and Elkan, with OpenMP limited to 1 and to 2
threads (BLAS on one). Prints JSON.

    /usr/bin/python3 bench/clustering_sklearn.py N
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["MKL_NUM_THREADS"] = "1"

import json
import sys
import time

import fashion_mnist
from sklearn.cluster import KMeans
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
print(json.dumps(out))

"""scikit-learn's PCA(50) (full and randomized, on the pixels / 255 and standardized), LinearRegression and LDA on Fashion-MNIST as
bench/decomposition.js, on one thread (BLAS limited before numpy loads); prints JSON.

    /usr/bin/python3 bench/decomposition_sklearn.py N_TRAIN [RUNS]
"""
import fashion_mnist

fashion_mnist.one_blas_thread()

import json
import sys
import time

import numpy as np
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LinearRegression

n = int(sys.argv[1])
X, y, _, _ = fashion_mnist.load(n)


runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1


def timed(fn):
    """The median of `runs` timings (as bench/decomposition.js), and the last result."""
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        seconds.append(time.perf_counter() - t0)
    return sorted(seconds)[len(seconds) // 2], out


# Standardized pixels (StandardScaler's formula; constant pixels left at 0): off the byte grid.
std = X.std(axis=0)
Xs = (X - X.mean(axis=0)) / np.where(std == 0, 1, std)
t_full, full = timed(lambda: PCA(n_components=50, svd_solver="full").fit(X))
t_rand, rand = timed(lambda: PCA(n_components=50, svd_solver="randomized", random_state=0).fit(X))
t_rand_s, rand_s = timed(lambda: PCA(n_components=50, svd_solver="randomized", random_state=0).fit(Xs))
full_s = PCA(n_components=50, svd_solver="full").fit(Xs)
t_lr, lr = timed(lambda: LinearRegression().fit(X, y.astype(float)))
t_lda, lda = timed(lambda: LinearDiscriminantAnalysis().fit(X, y))
print(json.dumps({
    "pcaFull": {"seconds": t_full, "ratio": full.explained_variance_ratio_.tolist(), "component0": full.components_[0].tolist()},
    "pcaRandomized": {"seconds": t_rand, "ratio": rand.explained_variance_ratio_.tolist()},
    "pcaStandardizedFull": {"ratio": full_s.explained_variance_ratio_.tolist()},
    "pcaStandardizedRandomized": {"seconds": t_rand_s, "ratio": rand_s.explained_variance_ratio_.tolist()},
    "linearRegression": {"seconds": t_lr, "score": float(lr.score(X, y))},
    "lda": {"seconds": t_lda, "score": float(lda.score(X, y)), "ratio": lda.explained_variance_ratio_[:3].tolist()},
}))

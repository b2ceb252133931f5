"""scikit-learn's side of bench/workflow.js: the same GridSearchCV (16 scaled-SVC candidates x 5
stratified folds on 3 000 Fashion-MNIST images pooled to 7 x 7) and cross_val_score of PCA(50) -> SVC
on 10 000 images, with n_jobs=1 and n_jobs=2; prints JSON (median seconds over the runs, scores).

    /usr/bin/python3 bench/workflow_sklearn.py N_SEARCH N_PIPELINE RUNS
"""
import json
import statistics
import sys
import time

import fashion_mnist

fashion_mnist.one_blas_thread()
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

n_search, n_pipe, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
X, y, _, _ = fashion_mnist.load(max(n_search, n_pipe))
pooled = X[:n_search].reshape(-1, 7, 4, 7, 4).mean(axis=(2, 4)).reshape(-1, 49)
grid = {"svc__C": [0.1, 1, 10, 100], "svc__gamma": [0.001, 0.01, 0.1, "scale"]}
out = {}
for jobs in (1, 2):
    times, search = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        search = GridSearchCV(make_pipeline(StandardScaler(), SVC()), grid, cv=5, n_jobs=jobs).fit(pooled, y[:n_search])
        times.append(time.perf_counter() - t0)
    out[f"search_{jobs}"] = {"seconds": statistics.median(times), "mean": search.cv_results_["mean_test_score"].tolist(), "best": {k: v for k, v in search.best_params_.items()}}
    t0 = time.perf_counter()
    scores = cross_val_score(make_pipeline(PCA(n_components=50, random_state=0), SVC(C=10)), X[:n_pipe], y[:n_pipe], cv=5, n_jobs=jobs)
    out[f"pipeline_{jobs}"] = {"seconds": time.perf_counter() - t0, "scores": scores.tolist()}
print(json.dumps(out))

"""scikit-learn's DecisionTreeClassifier, RandomForestClassifier(100) and KNeighborsClassifier(5)
on the same Fashion-MNIST data as bench/trees.js (pixels / 255 in float64, as a user's numpy
array; the trees cast to float32 themselves), on one thread: n_jobs=1 and BLAS limited to one
thread before numpy loads. Prints JSON.

    /usr/bin/python3 bench/trees_sklearn.py N_TRAIN N_TEST
"""
import fashion_mnist

fashion_mnist.one_blas_thread()

import json
import sys
import time

from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

n_train, n_test = int(sys.argv[1]), int(sys.argv[2])
X, y, Xt, yt = fashion_mnist.load(n_train, n_test)


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

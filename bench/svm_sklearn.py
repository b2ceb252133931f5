"""scikit-learn's SVC on the same Fashion-MNIST subset as bench/svm.js; prints JSON.

    /usr/bin/python3 bench/svm_sklearn.py N_TRAIN N_TEST
"""
import json
import sys
import time

import fashion_mnist

from sklearn.svm import SVC

n_train, n_test = int(sys.argv[1]), int(sys.argv[2])
X, y, Xt, yt = fashion_mnist.load(n_train, n_test)
svc = SVC(kernel="rbf", C=10, gamma="scale")
t0 = time.perf_counter()
svc.fit(X, y)
fit = time.perf_counter() - t0
t0 = time.perf_counter()
p = svc.predict(Xt)
predict = time.perf_counter() - t0
print(json.dumps({"fit": fit, "predict": predict, "accuracy": float((p == yt).mean()), "nSV": int(svc.support_.size)}))

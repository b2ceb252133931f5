"""What the scikit-learn benchmark scripts share: Fashion-MNIST from data/ as a user's numpy arrays
(pixels / 255 in float64), and pinning BLAS to one thread, which must happen before numpy loads.
The scripts run as /usr/bin/python3 bench/X.py, so this folder is on their path."""
import gzip
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "fashion-mnist")


def one_blas_thread():
    """Limits numpy's BLAS to one thread: call before the first import of numpy."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"


def idx(name):
    """An IDX file (MNIST's format, gzipped) as a numpy array of its shape."""
    import numpy as np

    with gzip.open(os.path.join(DATA, name)) as f:
        raw = f.read()
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load(n_train, n_test=0):
    """(X, y, X_test, y_test): the first n_train training and n_test test images, flattened, / 255."""
    X = idx("train-images-idx3-ubyte.gz")[:n_train].reshape(-1, 28 * 28) / 255.0
    y = idx("train-labels-idx1-ubyte.gz")[:n_train]
    Xt = idx("t10k-images-idx3-ubyte.gz")[:n_test].reshape(-1, 28 * 28) / 255.0
    yt = idx("t10k-labels-idx1-ubyte.gz")[:n_test]
    return X, y, Xt, yt

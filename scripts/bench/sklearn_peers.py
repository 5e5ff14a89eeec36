"""scikit-learn peers for scripts/bench/sklearn-peers.ts, measured in the same run as ours.

Reads MNIST from the IDX folder given as the first argument, runs the requested measurements on the
sizes given as JSON in the second argument, and prints one JSON object of results on stdout.
Pixels are scaled to [0, 1] as float32, like ours.
"""
import gzip
import json
import os
import sys
import time

import numpy as np


def read_idx(folder, name):
    path = os.path.join(folder, name)
    opener = open
    if not os.path.exists(path):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main():
    folder, config = sys.argv[1], json.loads(sys.argv[2])
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    x_train = read_idx(folder, "train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_train = read_idx(folder, "train-labels-idx1-ubyte")
    x_test = read_idx(folder, "t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255
    y_test = read_idx(folder, "t10k-labels-idx1-ubyte")
    n_train, n_test, n_svm = config["train"], config["test"], config["svmTrain"]
    xt, yt, xs, ys = x_train[:n_train], y_train[:n_train], x_test[:n_test], y_test[:n_test]
    out = {"version": sklearn.__version__}

    lr, fit = timed(lambda: LogisticRegression(max_iter=config["lrMaxIter"]).fit(xt, yt))
    out["lr"] = {"fitSeconds": fit, "accuracy": float(lr.score(xs, ys))}

    knn = KNeighborsClassifier(n_neighbors=3).fit(xt, yt)
    predicted, seconds = timed(lambda: knn.predict(xs))
    out["knn"] = {"predictSeconds": seconds, "accuracy": float(np.mean(predicted == ys))}

    svc, fit = timed(lambda: SVC(kernel="rbf").fit(x_train[:n_svm], y_train[:n_svm]))
    predicted, seconds = timed(lambda: svc.predict(xs))
    out["svm"] = {"fitSeconds": fit, "predictSeconds": seconds, "accuracy": float(np.mean(predicted == ys))}
    print(json.dumps(out))


if __name__ == "__main__":
    main()

"""Time Keras (numpy, jax with jit, tensorflow with tf.function) and impl/ on the same inputs.

    gen/.venv/bin/python gen/bench/bench_keras.py [--repeats 15] [--only REGEX]

The inputs are made once with a fixed seed and written as .npy to a temporary
folder, with a plan (plan.json) naming each case's Keras class, its full
get_config() and its input files. Each Keras backend runs in a subprocess of
its own (KERAS_BACKEND is fixed when Keras is imported); impl/ runs as the Go
program impl/internal/benchkeras, once per backend whose numerics it follows.
Every timing is the median (or, with --stat min, the minimum: steadier when
other work shares the machine) of --repeats calls after --warmup calls. The
table gives milliseconds per call and impl's speed-up over the fastest Keras
backend, impl following that backend's numerics.

This file lives in gen/bench/, not gen/: generate.py hashes gen/*.py into the
fixtures' generator revision, and a benchmark must not change it.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BACKENDS = ("numpy", "jax", "tensorflow")
SEED = 20261203
BATCH, CLASSES = 4096, 1000
IOU_CLASSES = 10


# ---------------------------------------------------------------------------
# Inputs: each is made once from the shared generator, in a fixed order.

def probabilities(rng: np.random.Generator) -> np.ndarray:
    """Rows of positive float32 values that sum to about 1."""
    x = rng.random((BATCH, CLASSES)) + 1e-3
    return (x / x.sum(axis=1, keepdims=True)).astype(np.float32)


def logits(rng: np.random.Generator) -> np.ndarray:
    """Standard normal float32 values."""
    return rng.standard_normal((BATCH, CLASSES)).astype(np.float32)


def labels(rng: np.random.Generator) -> np.ndarray:
    """Class ids, shape (BATCH,), int32."""
    return rng.integers(0, CLASSES, BATCH).astype(np.int32)


def one_hot(ids: np.ndarray) -> np.ndarray:
    """The float32 one-hot rows of class ids."""
    out = np.zeros((BATCH, CLASSES), np.float32)
    out[np.arange(BATCH), ids] = 1
    return out


def make_inputs(seed: int) -> dict[str, np.ndarray]:
    """Every array the cases use, by name."""
    rng = np.random.default_rng(seed)
    ids = labels(rng)
    arrays = {
        "probs": probabilities(rng),
        "logits": logits(rng),
        "ids": ids,
        "onehot": one_hot(ids),
        "binary": (rng.random((BATCH, CLASSES)) < 0.5).astype(np.float32),
        "uniform": rng.random((BATCH, CLASSES)).astype(np.float32),
        "iou_true": rng.integers(0, IOU_CLASSES, (BATCH, CLASSES)).astype(np.int32),
        "iou_pred": rng.integers(0, IOU_CLASSES, (BATCH, CLASSES)).astype(np.int32),
    }
    return arrays


# ---------------------------------------------------------------------------
# The cases.

@dataclass(frozen=True)
class Case:
    """One timed call: a Keras loss called once, or a metric reset, updated once and read."""
    name: str
    kind: str  # "loss" or "metric"
    cls: str  # the Keras class name
    kwargs: dict = field(default_factory=dict)
    y_true: str = ""
    y_pred: str = ""


CASES = (
    Case("CategoricalCrossentropy", "loss", "CategoricalCrossentropy", {}, "onehot", "probs"),
    Case("CategoricalCrossentropy/logits", "loss", "CategoricalCrossentropy", {"from_logits": True}, "onehot", "logits"),
    Case("SparseCategoricalCrossentropy", "loss", "SparseCategoricalCrossentropy", {}, "ids", "probs"),
    Case("SparseCategoricalCrossentropy/logits", "loss", "SparseCategoricalCrossentropy", {"from_logits": True}, "ids", "logits"),
    Case("BinaryCrossentropy", "loss", "BinaryCrossentropy", {}, "binary", "uniform"),
    Case("BinaryCrossentropy/logits", "loss", "BinaryCrossentropy", {"from_logits": True}, "binary", "logits"),
    Case("MeanSquaredError", "loss", "MeanSquaredError", {}, "probs", "logits"),
    Case("AUC", "metric", "AUC", {}, "binary", "uniform"),
    Case("MeanIoU", "metric", "MeanIoU", {"num_classes": IOU_CLASSES}, "iou_true", "iou_pred"),
    Case("Accuracy", "metric", "Accuracy", {}, "binary", "binary"),
)


# ---------------------------------------------------------------------------
# The worker: one Keras backend, in its own process.

def to_jsonable(value):
    """A Keras config as JSON can hold it (tuples become lists)."""
    return json.loads(json.dumps(value, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))


def time_ms(call: Callable[[], float], warmup: int, repeats: int, budget: float) -> dict:
    """Median and minimum milliseconds of repeats calls after warmup ones, and the last value.

    Stops early, after at least three timed calls, once budget seconds are spent.
    """
    value = 0.0
    for _ in range(warmup):
        value = call()
    times = []
    start = time.perf_counter()
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = call()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= 3 and time.perf_counter() - start > budget:
            break
    return {"ms": statistics.median(times), "min_ms": min(times), "value": value}


def keras_call(backend: str, case: Case, y_true: np.ndarray, y_pred: np.ndarray) -> Callable[[], float]:
    """A function doing case's call on backend, compiled as the backend compiles, returning the value."""
    import keras

    module = keras.losses if case.kind == "loss" else keras.metrics
    obj = getattr(module, case.cls)(**case.kwargs)
    if backend == "numpy":
        if case.kind == "loss":
            return lambda: float(obj(y_true, y_pred))

        def eager_metric() -> float:
            obj.reset_state()
            obj.update_state(y_true, y_pred)
            return float(obj.result())
        return eager_metric
    if backend == "jax":
        import jax

        t, p = jax.device_put(y_true), jax.device_put(y_pred)
        if case.kind == "loss":
            loss_fn = jax.jit(lambda a, b: obj(a, b))
            return lambda: float(loss_fn(t, p).block_until_ready())
        fresh = [v.value for v in obj.variables]

        def stateless(a, b):
            state = obj.stateless_update_state(fresh, a, b)
            return obj.stateless_result(state)
        metric_fn = jax.jit(stateless)
        return lambda: float(metric_fn(t, p).block_until_ready())
    import tensorflow as tf

    t, p = tf.constant(y_true), tf.constant(y_pred)
    if case.kind == "loss":
        loss_fn = tf.function(lambda a, b: obj(a, b))
        return lambda: float(loss_fn(t, p).numpy())

    @tf.function
    def graph_metric(a, b):
        obj.reset_state()
        obj.update_state(a, b)
        return obj.result()
    return lambda: float(graph_metric(t, p).numpy())


def worker(backend: str, folder: str, warmup: int, repeats: int, budget: float, only: str) -> None:
    """Time every case on backend; print {name: {"ms": .., "min_ms": .., "value": ..}} as JSON."""
    with open(os.path.join(folder, "plan.json")) as f:
        plan = json.load(f)
    out = {}
    for case in CASES:
        if not re.search(only, case.name):
            continue
        entry = plan[case.name]
        y_true = np.load(os.path.join(folder, entry["y_true"]))
        y_pred = np.load(os.path.join(folder, entry["y_pred"]))
        out[case.name] = time_ms(keras_call(backend, case, y_true, y_pred), warmup, repeats, budget)
        print(f"  {backend:10s} {case.name:40s} {out[case.name]['ms']:9.2f} ms", file=sys.stderr)
    print(json.dumps(out))


# ---------------------------------------------------------------------------
# The driver.

def write_inputs(folder: str) -> None:
    """Write the inputs as .npy and the plan: each case's class, Keras config and files."""
    os.environ.setdefault("KERAS_BACKEND", "numpy")  # configs are the same on every backend
    import keras

    arrays = make_inputs(SEED)
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), array)
    plan = {}
    for case in CASES:
        module = keras.losses if case.kind == "loss" else keras.metrics
        config = getattr(module, case.cls)(**case.kwargs).get_config()
        plan[case.name] = {
            "kind": case.kind, "class": case.cls, "config": to_jsonable(config),
            "y_true": case.y_true + ".npy", "y_pred": case.y_pred + ".npy",
        }
    with open(os.path.join(folder, "plan.json"), "w") as f:
        json.dump(plan, f, indent=1)


def environment(backend: str) -> dict[str, str]:
    """The subprocess environment: the backend, and TensorFlow as make fixtures runs it."""
    return dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
                TF_ENABLE_ONEDNN_OPTS="0", JAX_PLATFORMS="cpu", PYTHONHASHSEED="0")


def run_json(cmd: list[str], env: dict[str, str]) -> dict:
    """Run cmd, pass its stderr through, and parse the last line of its stdout as JSON."""
    proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ulps(a: float, b: float) -> str:
    """The float32 ULP distance between two results, for a glance at agreement."""
    if np.isnan(a) and np.isnan(b):
        return "0"
    ia, ib = (int(np.float32(x).view(np.int32)) for x in (a, b))
    ia, ib = (x if x >= 0 else -(x & 0x7FFFFFFF) for x in (ia, ib))
    return str(abs(ia - ib))


def print_table(keras_ms: dict[str, dict], impl_ms: dict[str, dict], stat: str) -> None:
    """One row per case: Keras and impl ms per backend, impl's speed-up over the fastest Keras.

    stat is "ms" (the median) or "min_ms" (the minimum, steadier on a loaded machine).
    """
    head = ["case"] + [f"{b} keras/impl" for b in BACKENDS] + ["fastest", "speed-up", "ulp"]
    rows = []
    for case in CASES:
        if case.name not in keras_ms[BACKENDS[0]]:
            continue
        cells = [case.name]
        for b in BACKENDS:
            cells.append(f"{keras_ms[b][case.name][stat]:8.2f} / {impl_ms[b][case.name][stat]:7.2f}")
        fastest = min(BACKENDS, key=lambda b: keras_ms[b][case.name][stat])
        k, i = keras_ms[fastest][case.name], impl_ms[fastest][case.name]
        cells += [fastest, f"{k[stat] / i[stat]:.2f}x", ulps(k["value"], i["value"])]
        rows.append(cells)
    widths = [max(len(r[j]) for r in rows + [head]) for j in range(len(head))]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    print(f"ms per call ({'median' if stat == 'ms' else 'minimum'}); speed-up = fastest Keras backend / impl following that backend;"
          " ulp = float32 distance between their results")


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=int, default=15, help="timed calls per case (median reported)")
    p.add_argument("--warmup", type=int, default=2, help="untimed calls first (compilation)")
    p.add_argument("--budget", type=float, default=10.0, help="seconds per case before stopping early")
    p.add_argument("--only", default="", help="regex on case names")
    p.add_argument("--stat", choices=("median", "min"), default="median",
                   help="the statistic the table shows (min is steadier on a loaded machine)")
    p.add_argument("--go", default="go", help="the go command")
    p.add_argument("--worker", choices=BACKENDS, help=argparse.SUPPRESS)
    p.add_argument("--inputs", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args.worker, args.inputs, args.warmup, args.repeats, args.budget, args.only)
        return
    timing = ["--warmup", str(args.warmup), "--repeats", str(args.repeats), "--budget", str(args.budget),
              "--only", args.only]
    with tempfile.TemporaryDirectory(prefix="bench-keras-") as folder:
        write_inputs(folder)
        keras_ms = {}
        for b in BACKENDS:
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", b, "--inputs", folder] + timing
            keras_ms[b] = run_json(cmd, environment(b))
        impl_ms = {}
        for b in BACKENDS:
            cmd = [args.go, "run", "./impl/internal/benchkeras", "-inputs", folder, "-backend", b,
                   "-warmup", str(args.warmup), "-repeats", str(args.repeats), "-budget", f"{args.budget}s",
                   "-only", args.only]
            impl_ms[b] = run_json(cmd, dict(os.environ))
    print(f"load average before the table: {os.getloadavg()}")
    print_table(keras_ms, impl_ms, "ms" if args.stat == "median" else "min_ms")


if __name__ == "__main__":
    main(sys.argv[1:])

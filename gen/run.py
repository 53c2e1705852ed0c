"""Run catalogue cases through real Keras and record what it returned or raised.

Import this module only after KERAS_BACKEND is set (generate.py does that).
"""

import collections
import inspect
import re
import warnings
from dataclasses import dataclass

import keras
import numpy as np

MESSAGE_LIMIT = 300


@dataclass
class Outcome:
    """What Keras did for one step: a value (array + logical dtype) or an error."""
    value: np.ndarray = None
    dtype: str = None
    error_type: str = None
    error_message: str = None


@dataclass
class Result:
    """A case's run: the config Keras reported, its dtype, and per-step outcomes.

    ``construct_error`` is set (and ``outcomes`` empty) when the constructor
    raised; a metric stream's outcomes stop at the first error.
    """
    config: dict
    dtype: str
    outcomes: list
    construct_error: Outcome = None


def describe_error(exc):
    """(type name, message) with addresses and file paths removed, truncated."""
    message = str(exc)
    message = re.sub(r"\{\{function_node [^}]*\}\}", "", message)  # TF's op/device prefix
    message = re.sub(r"0x[0-9a-fA-F]+", "0x?", message)
    message = re.sub(r"(?:[A-Za-z]:)?(?:/[\w.\-]+)+\.py\b", "<file>", message)
    message = re.sub(r"\s+", " ", message).strip()
    if len(message) > MESSAGE_LIMIT:
        message = message[:MESSAGE_LIMIT] + "..."
    return type(exc).__name__, message


def to_outcome(tensor):
    """A backend tensor as an Outcome, keeping the dtype Keras returned.

    bfloat16 is widened to float32 inside the backend first (exact): TensorFlow
    cannot hand a bfloat16 tensor to NumPy.
    """
    dtype = keras.backend.standardize_dtype(tensor.dtype) if hasattr(tensor, "dtype") else "float32"
    if dtype == "bfloat16":
        tensor = keras.ops.cast(tensor, "float32")
    value = np.asarray(keras.ops.convert_to_numpy(tensor))
    if dtype != "bfloat16" and keras.backend.standardize_dtype(value.dtype) != dtype:
        raise TypeError(f"conversion changed dtype {dtype} -> {value.dtype}")
    return Outcome(value=value, dtype=dtype)


def attempt(call, *args, **kwargs):
    """Call ``call``; return (result, None) or (None, error Outcome)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call(*args, **kwargs), None
    except Exception as exc:  # Keras refusing is data, not a generator failure
        kind, message = describe_error(exc)
        return None, Outcome(error_type=kind, error_message=message)


def jsonable(value):
    """A get_config() value made JSON-friendly (tuples -> lists, NumPy scalars -> Python)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):  # Circle's ref_labels / ref_embeddings
        if value.dtype.kind in "iub":
            return value.astype(np.int64 if value.dtype.kind != "b" else bool).tolist()
        return value.astype(np.float64).tolist()  # bfloat16 too (ml_dtypes widens it exactly)
    if isinstance(value, np.generic):
        return jsonable(np.asarray(value)) if value.dtype.kind not in "iubf" else value.item()
    if keras.ops.is_tensor(value):  # AUC's label_weights on jax / tensorflow
        if keras.backend.standardize_dtype(value.dtype) == "bfloat16":
            value = keras.ops.cast(value, "float32")  # exact
        return jsonable(np.asarray(keras.ops.convert_to_numpy(value)))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return keras.saving.serialize_keras_object(value)


def factory(kind, name):
    """The Keras class or function for a case."""
    module = {"loss": keras.losses, "function": keras.losses, "metric": keras.metrics}[kind]
    return getattr(module, name)


# Metrics whose update_state takes (values, sample_weight): the values are the step's y_pred.
VALUES_ONLY = ("Mean", "Sum")


def _inputs(step, name=None):
    """Positional and keyword inputs of a step."""
    kwargs = {} if step.sample_weight is None else {"sample_weight": step.sample_weight}
    if name in VALUES_ONLY:
        return (step.y_pred,), kwargs
    return (step.y_true, step.y_pred), kwargs


def run_function(case):
    """A plain function: each call step is fn(y_true, y_pred, **kwargs)."""
    fn = factory(case.kind, case.name)
    config = jsonable(case.kwargs)
    outcomes = []
    for step in case.steps:
        value, error = attempt(fn, step.y_true, step.y_pred, **case.kwargs)
        outcomes.append(error or to_outcome(value))
    return Result(config, case.dtype, outcomes)


def _function(name):
    """A Keras function by name, for MeanMetricWrapper's fn (keras.metrics first, then keras.losses)."""
    return getattr(keras.metrics, name, None) or getattr(keras.losses, name)


def _construct(case):
    """Build the object: (object, config, dtype) or (None, kwargs, dtype, error).

    Automatic names (``name=None``) are numbered per process; the counters are
    reset first, so every case gets the name a fresh process would give.
    """
    from keras.src.backend.common import global_state
    global_state.set_global_attribute("object_name_uids", collections.defaultdict(int))
    kwargs = dict(case.kwargs)
    if isinstance(kwargs.get("fn"), str):
        kwargs["fn"] = _function(kwargs["fn"])
    obj, error = attempt(factory(case.kind, case.name), **kwargs)
    if error:
        return None, jsonable(case.kwargs), case.kwargs.get("dtype", "float32"), error
    config = jsonable(obj.get_config())
    # Keras 3.15 leaves some constructor arguments out of get_config() (dtype
    # of every loss, axis of SparseCategoricalCrossentropy): add what we passed.
    for key, value in case.kwargs.items():
        config.setdefault(key, jsonable(value))
    return obj, config, obj.dtype, None


def _step(obj, step, name):
    """Loss call; metric update_state + result, or reset_state + result."""
    if step.op == "call":
        args, kwargs = _inputs(step)
        return obj(*args, **kwargs)
    if step.op == "reset":
        obj.reset_state()
        return obj.result()
    args, kwargs = _inputs(step, name)
    obj.update_state(*args, **kwargs)
    return obj.result()


def run_object(case):
    """A loss or metric object: steps in order on one object; an error ends the steps."""
    obj, config, dtype, error = _construct(case)
    if error:
        return Result(config, dtype, [], construct_error=error)
    outcomes = []
    for step in case.steps:
        value, failure = attempt(_step, obj, step, case.name)
        outcomes.append(failure or to_outcome(value))
        if failure:
            break
    return Result(config, dtype, outcomes)


RUNNERS = {"loss": run_object, "metric": run_object, "function": run_function}


def run_case(case):
    """The Result of running a case on the current backend."""
    return RUNNERS[case.kind](case)


def _default_json(value):
    """A constructor default as JSON: None -> null, tuples -> lists, anything else not JSON-able -> repr."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if np.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return [_default_json(v) for v in value]
    return repr(value)


def _constructor_args(cls):
    """A class's constructor arguments in signature order (no self, *args, **kwargs)."""
    args = []
    for p in inspect.signature(cls.__init__).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        arg = {"name": p.name, "default": None if p.default is p.empty else _default_json(p.default)}
        if p.default is p.empty:
            arg["required"] = True
        args.append(arg)
    return {"args": args}


def _exported(module, base, exclude):
    """Name -> constructor args of every class ``module`` exports that subclasses ``base``."""
    out = {}
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if inspect.isclass(obj) and issubclass(obj, base) and obj not in exclude:
            out[name] = _constructor_args(obj)
    return out


def api():
    """The public loss and metric classes of this Keras, with constructor arguments and defaults."""
    from keras.src.losses.losses import LossFunctionWrapper
    return {
        "losses": _exported(keras.losses, keras.losses.Loss, (keras.losses.Loss, LossFunctionWrapper)),
        "metrics": _exported(keras.metrics, keras.metrics.Metric, (keras.metrics.Metric,)),
    }


def settings():
    """Keras global settings recorded in the manifest."""
    return {"epsilon": keras.config.epsilon(), "floatx": keras.config.floatx()}


def versions(backend):
    """Versions of Keras, the backend package(s), NumPy and Python."""
    import platform
    out = {"keras": keras.__version__, "numpy": np.__version__, "python": platform.python_version()}
    if backend == "jax":
        import jax
        import jaxlib
        out.update(jax=jax.__version__, jaxlib=jaxlib.__version__)
    elif backend == "tensorflow":
        import tensorflow as tf
        out["tensorflow"] = tf.__version__
    import ml_dtypes
    out["ml_dtypes"] = ml_dtypes.__version__
    return out


def configure(backend):
    """Backend settings that make runs reproducible (single-threaded TF reductions)."""
    if backend == "tensorflow":
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)

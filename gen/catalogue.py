"""The declarative catalogue of fixture cases: which Keras objects, which parameter axes.

A Target is one Keras class or function with its parameter axes (every value
the case generator may use; the first value of each axis is Keras's default).
A Block says how to combine axes for that target: ``pairs`` (all-pairs over the
named axes) or ``product`` (every combination). Axes a block does not name take
their default; axes the target does not have are ignored. A global validity
rule (``valid``) drops combinations that cannot be built (axis=1 on rank 2) or
make no sense (a logits edge on probabilities).

Doc examples (DOC_EXAMPLES) are literal data copied from Keras docstrings.

Everything here is backend-independent: the same catalogue, ids and inputs on
every backend. ``build_cases`` turns it into concrete CaseSpecs with arrays.
"""

from dataclasses import dataclass

import numpy as np

import allpairs
import catalogue_losses
import catalogue_metrics
import inputs
import inputs_metrics
from spec import (ALL_PAIRS, BAD_REDUCTIONS, BOOLS, DTYPES, INPUT_DTYPES, OMIT, REDUCTIONS, STREAM_WEIGHTS, WEIGHTS, Block,
                  Doc, Target, large)

# --------------------------------------------------------------------------
# Axis values (first value = Keras default)
# --------------------------------------------------------------------------

SMOOTHING = (0.0, 0.1, 0.5, 1.0)
CLASS_AXES = (-1, 1)
IGNORE = (None, 0, -1, 255)
BINARY_ALPHAS = (0.25, 0.5, 0.0, 1.0)
CATEGORICAL_ALPHAS = (0.25, 0.5, 0.0, 1.0, "per_class")
GAMMAS = (2.0, 0.0, 0.5, 5.0)
SPARSE_FORMS = ("sparse", "sparse_f32", "sparse_col")

BINARY_SHAPES = ("4x3", "1x3", "4x1", "6", "2x3x4", "2x2x3x4", "0x3")
CATEGORICAL_SHAPES = ("4x3", "1x3", "5x2", "5", "2x3x4", "2x2x3x4", "0x3")
SPARSE_SHAPES = ("4x3", "1x3", "5x2", "3", "2x3x4", "2x3x4x5", "0x3")
BINARY_STREAM_SHAPES = ("Bx3", "Bx1", "B", "Bx3x2")
CATEGORICAL_STREAM_SHAPES = ("Bx3", "Bx2", "Bx3x4", "Bx2x3x4")
SPARSE_STREAM_SHAPES = ("Bx3", "Bx2", "Bx3x4", "Bx3x4x5")
# Batch sizes of a metric stream's updates; "r" is a reset_state() step.
BATCHES = ("4-1-3-r-2", "4-0-3-r-2", "1-2-5-r-3-1")

# Weight form per update in the "mixed" stream pattern (cycled).
MIXED_WEIGHTS = ("per_sample", "scalar", "absent", "per_sample_col")
SEED = 20261122
# Cases with at least this many y_pred elements are "large" (summation order);
# their predictions are rounded to LARGE_GRID so the archives stay small.
LARGE_ELEMENTS = 10000
LARGE_GRID = 2.0 ** -10


def edge_values(family):
    """None plus every edge tag that applies to the family."""
    return (None,) + tuple(e for e, (_, fams, _) in inputs.EDGES.items() if family in fams)


# --------------------------------------------------------------------------
# Targets and blocks
# --------------------------------------------------------------------------

LOSS_COMMON = {"axis": CLASS_AXES, "reduction": REDUCTIONS, "sample_weight": WEIGHTS, "dtype": DTYPES}
METRIC_COMMON = {"dtype": DTYPES, "input_dtype": INPUT_DTYPES, "sample_weight": STREAM_WEIGHTS, "batches": BATCHES}


def target_axes(family, shapes, extra, common):
    """A target's axes: from_logits, its own axes, its kind's common axes, shape and edge."""
    return {"from_logits": BOOLS, **extra, **common, "shape": shapes, "edge": edge_values(family)}


def loss_axes(family, shapes, extra):
    """Axes of a loss class."""
    return target_axes(family, shapes, extra, LOSS_COMMON)


def metric_axes(family, shapes, extra):
    """Axes of a metric stream."""
    return target_axes(family, shapes, extra, METRIC_COMMON)


def function_axes(loss):
    """A function's axes: the loss's, minus reduction and weights; dtype is the input dtype."""
    return {k: v for k, v in loss.items() if k not in ("reduction", "sample_weight")}


LOSS_BLOCKS = (
    ALL_PAIRS,
    Block("product", {"reduction": REDUCTIONS, "sample_weight": WEIGHTS, "shape": ("4x3", "2x3x4")}),
    Block("product", {"dtype": DTYPES, "edge": None, "from_logits": BOOLS, "reduction": (None,)}),
    Block("product", {"from_logits": BOOLS, "label_smoothing": SMOOTHING, "axis": CLASS_AXES, "shape": ("4x3", "2x3x4")}),
    Block("product", {"shape": None, "dtype": ("float32", "float16")}),
    Block("product", {"reduction": BAD_REDUCTIONS}),
)
FOCAL_BLOCKS = (
    Block("product", {"alpha": None, "gamma": None, "apply_class_balancing": BOOLS, "from_logits": BOOLS}),
)
SPARSE_LOSS_BLOCKS = (
    Block("product", {"ignore_class": IGNORE, "reduction": REDUCTIONS[:-1], "sample_weight": WEIGHTS}),
    Block("product", {"ignore_class": IGNORE, "sample_weight": WEIGHTS, "shape": ("2x3x4x5",)}),
    Block("product", {"ignore_class": IGNORE, "y_true": SPARSE_FORMS, "shape": ("4x3", "1x3", "2x3x4x5"), "from_logits": BOOLS}),
)
FUNCTION_BLOCKS = (
    ALL_PAIRS,
    Block("product", {"dtype": DTYPES, "from_logits": BOOLS}),
    Block("product", {"edge": None, "from_logits": BOOLS}),
    Block("product", {"shape": None, "from_logits": BOOLS}),
)
SPARSE_FUNCTION_BLOCKS = (
    Block("product", {"ignore_class": IGNORE, "y_true": SPARSE_FORMS, "shape": ("4x3", "2x3x4x5")}),
)
METRIC_BLOCKS = (
    ALL_PAIRS,
    Block("product", {"sample_weight": STREAM_WEIGHTS, "shape": ("Bx3x4",)}),
    Block("product", {"dtype": DTYPES, "input_dtype": INPUT_DTYPES, "from_logits": BOOLS}),
    Block("product", {"edge": None, "from_logits": BOOLS}),
    Block("product", {"batches": BATCHES[1:], "sample_weight": ("mixed", "absent", "scalar", "per_sample")}),
)
SPARSE_METRIC_BLOCKS = (
    Block("product", {"ignore_class": IGNORE, "sample_weight": STREAM_WEIGHTS}),
    Block("product", {"ignore_class": IGNORE, "y_true": SPARSE_FORMS, "shape": ("Bx3", "Bx3x4x5")}),
)


_BCE = {"label_smoothing": SMOOTHING, "y_true": ("binary",)}
_BFCE = {"apply_class_balancing": BOOLS, "alpha": BINARY_ALPHAS, "gamma": GAMMAS, "label_smoothing": SMOOTHING,
         "y_true": ("binary",)}
_CCE = {"label_smoothing": SMOOTHING, "y_true": ("onehot",)}
_CFCE = {"alpha": CATEGORICAL_ALPHAS, "gamma": GAMMAS, "label_smoothing": SMOOTHING, "y_true": ("onehot",)}
_SCCE = {"ignore_class": IGNORE, "y_true": SPARSE_FORMS}

_BCE_LOSS = loss_axes("binary", BINARY_SHAPES, _BCE)
_BFCE_LOSS = loss_axes("binary", BINARY_SHAPES, _BFCE)
_CCE_LOSS = loss_axes("categorical", CATEGORICAL_SHAPES, _CCE)
_CFCE_LOSS = loss_axes("categorical", CATEGORICAL_SHAPES, _CFCE)
_SCCE_LOSS = loss_axes("sparse", SPARSE_SHAPES, _SCCE)

_CE_KWARGS = ("from_logits", "label_smoothing", "axis")
_FOCAL_KWARGS = ("apply_class_balancing", "alpha", "gamma") + _CE_KWARGS
_SCCE_KWARGS = ("from_logits", "ignore_class", "axis")
_LOSS_KWARGS = ("reduction", "dtype")
_METRIC_KWARGS = ("dtype",)

TARGETS = (
    Target("loss", "BinaryCrossentropy", "binary", _CE_KWARGS + _LOSS_KWARGS, _BCE_LOSS,
           LOSS_BLOCKS + large("512x100", False)),
    Target("loss", "BinaryFocalCrossentropy", "binary", _FOCAL_KWARGS + _LOSS_KWARGS, _BFCE_LOSS,
           LOSS_BLOCKS + FOCAL_BLOCKS + large("512x100", True)),
    Target("loss", "CategoricalCrossentropy", "categorical", _CE_KWARGS + _LOSS_KWARGS, _CCE_LOSS,
           LOSS_BLOCKS + large("2048x20", True)),
    Target("loss", "CategoricalFocalCrossentropy", "categorical", _FOCAL_KWARGS + _LOSS_KWARGS, _CFCE_LOSS,
           LOSS_BLOCKS + FOCAL_BLOCKS + large("2048x20", False)),
    Target("loss", "SparseCategoricalCrossentropy", "sparse", _SCCE_KWARGS + _LOSS_KWARGS, _SCCE_LOSS,
           LOSS_BLOCKS + SPARSE_LOSS_BLOCKS + large("2048x20", False, ignore_class=0)),
    Target("function", "binary_crossentropy", "binary", _CE_KWARGS, function_axes(_BCE_LOSS),
           FUNCTION_BLOCKS),
    Target("function", "binary_focal_crossentropy", "binary", _FOCAL_KWARGS, function_axes(_BFCE_LOSS),
           FUNCTION_BLOCKS),
    Target("function", "categorical_crossentropy", "categorical", _CE_KWARGS, function_axes(_CCE_LOSS),
           FUNCTION_BLOCKS),
    Target("function", "categorical_focal_crossentropy", "categorical", _FOCAL_KWARGS, function_axes(_CFCE_LOSS),
           FUNCTION_BLOCKS),
    Target("function", "sparse_categorical_crossentropy", "sparse", _SCCE_KWARGS, function_axes(_SCCE_LOSS),
           FUNCTION_BLOCKS + SPARSE_FUNCTION_BLOCKS),
    Target("metric", "BinaryCrossentropy", "binary", ("from_logits", "label_smoothing") + _METRIC_KWARGS,
           metric_axes("binary", BINARY_STREAM_SHAPES, _BCE),
           METRIC_BLOCKS),
    Target("metric", "CategoricalCrossentropy", "categorical", _CE_KWARGS + _METRIC_KWARGS,
           metric_axes("categorical", CATEGORICAL_STREAM_SHAPES, dict(_CCE, axis=CLASS_AXES)),
           METRIC_BLOCKS + large("Bx20", True, batches="1024-512-256-r-256", sample_weight="mixed")),
    Target("metric", "SparseCategoricalCrossentropy", "sparse", _SCCE_KWARGS + _METRIC_KWARGS,
           metric_axes("sparse", SPARSE_STREAM_SHAPES, {"ignore_class": IGNORE, "axis": CLASS_AXES, "y_true": SPARSE_FORMS}),
           METRIC_BLOCKS + SPARSE_METRIC_BLOCKS),
)


# --------------------------------------------------------------------------
# Doc examples: literal data from the Keras docstrings (Keras 3.15.1)
# --------------------------------------------------------------------------

_BCE_T = [[0, 1], [0, 0]]
_BCE_LOGITS = [[-18.6, 0.51], [2.94, -12.8]]
_BCE_T1 = [0, 1, 0, 0]
_BCE_LOGITS1 = [-18.6, 0.51, 2.94, -12.8]
_CCE_T = [[0, 1, 0], [0, 0, 1]]
_CCE_P = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
_W37 = [0.3, 0.7]
_W82 = [0.8, 0.2]
_BM_P = [[0.6, 0.4], [0.4, 0.6]]


def _doc_losses():
    """Docstring examples of the five loss classes."""
    bce = "keras.losses.BinaryCrossentropy docstring"
    bfce = "keras.losses.BinaryFocalCrossentropy docstring"
    cce = "keras.losses.CategoricalCrossentropy docstring"
    cfce = "keras.losses.CategoricalFocalCrossentropy docstring"
    scce = "keras.losses.SparseCategoricalCrossentropy docstring"
    logits = {"from_logits": True}
    out = [
        Doc("loss", "BinaryCrossentropy", logits, ((_BCE_T1, _BCE_LOGITS1, None),), bce + ", example 1"),
        Doc("loss", "BinaryCrossentropy", logits, ((_BCE_T, _BCE_LOGITS, None),), bce + ", example 2"),
        Doc("loss", "BinaryCrossentropy", logits, ((_BCE_T, _BCE_LOGITS, _W82),), bce + ", example 2 sample_weight"),
        Doc("loss", "BinaryCrossentropy", {"from_logits": True, "reduction": "sum"}, ((_BCE_T, _BCE_LOGITS, None),), bce + ", example 2 sum"),
        Doc("loss", "BinaryCrossentropy", {"from_logits": True, "reduction": None}, ((_BCE_T, _BCE_LOGITS, None),), bce + ", example 2 none"),
        Doc("loss", "BinaryCrossentropy", {}, ((_BCE_T1, [0.6, 0.3, 0.2, 0.8], None),), bce + ", default usage"),
        Doc("loss", "BinaryCrossentropy", {}, ((_BCE_T, [[0.6, 0.3], [0.2, 0.8]], None),), bce + ", default usage 2-D"),
    ]
    for gamma, reduction, weight, example in ((2, "sum_over_batch_size", None, "example 1"),
                                              (3, "sum_over_batch_size", None, "example 2"),
                                              (3, "sum_over_batch_size", _W82, "example 2 sample_weight"),
                                              (4, "sum", None, "example 2 sum"),
                                              (5, None, None, "example 2 none")):
        y_true, y_pred = (_BCE_T1, _BCE_LOGITS1) if example == "example 1" else (_BCE_T, _BCE_LOGITS)
        for balancing in (False, True):
            kwargs = {"gamma": float(gamma), "from_logits": True, "reduction": reduction,
                      "apply_class_balancing": balancing}
            suffix = " class weight" if balancing else ""
            out.append(Doc("loss", "BinaryFocalCrossentropy", kwargs, ((y_true, y_pred, weight),), f"{bfce}, {example}{suffix}"))
    for name, source in (("CategoricalCrossentropy", cce), ("CategoricalFocalCrossentropy", cfce), ("SparseCategoricalCrossentropy", scce)):
        y_true = [1, 2] if name.startswith("Sparse") else _CCE_T
        out += [
            Doc("loss", name, {}, ((y_true, _CCE_P, None),), source + ", sum_over_batch_size"),
            Doc("loss", name, {}, ((y_true, _CCE_P, _W37),), source + ", sample_weight"),
            Doc("loss", name, {"reduction": "sum"}, ((y_true, _CCE_P, None),), source + ", sum"),
            Doc("loss", name, {"reduction": None}, ((y_true, _CCE_P, None),), source + ", none"),
        ]
    return out


def _doc_metrics():
    """Docstring examples of the three metric classes (update, reset, weighted update)."""
    out = [Doc("metric", "BinaryCrossentropy", {},
               ((_BCE_T, _BM_P, None), "reset", (_BCE_T, _BM_P, [1, 0])),
               "keras.metrics.BinaryCrossentropy docstring")]
    for name, y_true in (("CategoricalCrossentropy", _CCE_T), ("SparseCategoricalCrossentropy", [1, 2])):
        out.append(Doc("metric", name, {}, ((y_true, _CCE_P, None), "reset", (y_true, _CCE_P, _W37)),
                       f"keras.metrics.{name} docstring"))
    return out


def _doc_functions():
    """Docstring examples of the five plain functions."""
    fn = "keras.losses.{} docstring"
    return [
        Doc("function", "binary_crossentropy", {}, ((_BCE_T, _BM_P, None),), fn.format("binary_crossentropy")),
        Doc("function", "categorical_crossentropy", {}, ((_CCE_T, _CCE_P, None),), fn.format("categorical_crossentropy")),
        Doc("function", "sparse_categorical_crossentropy", {}, (([1, 2], _CCE_P, None),), fn.format("sparse_categorical_crossentropy")),
        Doc("function", "binary_focal_crossentropy", {"gamma": 2.0}, ((_BCE_T, _BM_P, None),), fn.format("binary_focal_crossentropy") + ", gamma=2"),
        Doc("function", "binary_focal_crossentropy", {}, ((_BCE_T, _BM_P, None),), fn.format("binary_focal_crossentropy") + ", defaults"),
        Doc("function", "categorical_focal_crossentropy", {}, ((_CCE_T, [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]], None),),
            fn.format("categorical_focal_crossentropy")),
    ]


DOC_EXAMPLES = tuple(_doc_losses() + _doc_metrics() + _doc_functions())


# --------------------------------------------------------------------------
# From axes to concrete cases
# --------------------------------------------------------------------------

@dataclass
class StepSpec:
    """One step: op and its input arrays (None when absent)."""
    op: str
    y_true: np.ndarray = None
    y_pred: np.ndarray = None
    sample_weight: np.ndarray = None


@dataclass
class CaseSpec:
    """A concrete, backend-independent case: what to build and what to feed it."""
    id: str
    serial: int
    kind: str
    name: str
    kwargs: dict        # constructor (or function) keyword arguments
    dtype: str          # loss/metric dtype argument, or input dtype for functions
    params: dict        # axis -> string
    edges: list
    source: str
    steps: list

    @property
    def file(self):
        """The archive holding this case's arrays."""
        return f"{self.kind}.{self.name}.npz"


def rank_of(shape_text):
    """Number of dims in a shape string."""
    return len(shape_text.split("x"))


def valid_for(target):
    """The validity predicate for a target's (partial) combinations.

    Drops axis=1 on rank < 3 (the same as -1 there), axes the shape does not
    have, the dense_flat y_true form where y_pred's last dim is not 1, and
    edges that do not suit the family or from_logits value (targets without
    from_logits list their edges explicitly, so only the first two rules apply),
    and the combinations a target's ``exclude`` option lists.
    """
    def valid(combo):
        shape, axis = combo.get("shape"), combo.get("axis")
        if shape is not None and axis == 1 and rank_of(shape) < 3:
            return False
        if shape is not None and not inputs.axis_fits(axis, rank_of(shape)):
            return False
        if shape is not None and combo.get("y_true") == "dense_flat" and shape.split("x")[-1] != "1":
            return False
        for rule in target.options.get("exclude", ()):  # combinations a target rules out
            if all(k in combo and combo[k] == v for k, v in rule.items()):
                return False
        edge = combo.get("edge")
        if edge is not None and "from_logits" in target.axes and target.family in inputs.FAMILIES:
            logits = (combo["from_logits"],) if "from_logits" in combo else BOOLS
            if not any(inputs.edge_applies(edge, target.family, v) for v in logits):
                return False
        return True
    return valid


def combinations_for(target):
    """All combos of a target, in catalogue order, without duplicates."""
    valid = valid_for(target)
    defaults = {k: v[0] for k, v in target.axes.items()}
    seen, out = set(), []
    for block in target.blocks:
        names = block.axes or {k: None for k in target.axes}
        axes = {k: (target.axes[k] if v is None else v) for k, v in names.items() if k in target.axes}
        combine = allpairs.all_pairs if block.mode == "pairs" else allpairs.product_of
        for combo in combine(axes, valid):
            full = dict(defaults, **combo)
            key = tuple(sorted((k, repr(v)) for k, v in full.items()))
            if key in seen or not valid(full):
                continue
            seen.add(key)
            out.append(full)
    return out


def fmt(value):
    """A parameter value as a string: None -> 'None', bools lower-case."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def axis_text(axis):
    """An axis argument in an id: -1, None, or a tuple joined by '_' (1_2)."""
    return "_".join(str(a) for a in axis) if isinstance(axis, tuple) else fmt(axis)


DTYPE_SHORT = {"float32": "f32", "float64": "f64", "bfloat16": "bf16", "float16": "f16", None: "floatx", OMIT: "default"}

# Id segments, in order: axis, how a non-default value is written.
def _kv(label, show=str):
    """An id segment written label=value."""
    return lambda v: f"{label}={show(v)}"


SEGMENTS = (
    ("from_logits", lambda v: "logits" if v else "probs"),
    ("label_smoothing", _kv("ls")),
    ("axis", _kv("axis", lambda v: axis_text(v))),
    ("ignore_class", _kv("ic")),
    ("apply_class_balancing", lambda v: "balanced" if v else "unbalanced"),
    *((key, _kv(key)) for key in ("alpha", "gamma", "beta", "delta", "q", "margin")),
    ("remove_diagonal", lambda v: "keep_diagonal" if not v else "remove_diagonal"),
    ("ref", _kv("ref")),
    *((key, _kv(label, axis_text)) for key, label in catalogue_metrics.SEGMENTS),
    *((key, lambda v, yes=yes, no=no: yes if v else no) for key, yes, no in catalogue_metrics.FLAGS),
    ("name", _kv("name")),
    ("reduction", _kv("red", lambda v: fmt(v))),
    ("sample_weight", _kv("w")),
    ("y_true", _kv("yt")),
    ("shape", _kv("shape")),
    ("batches", _kv("b")),
    ("input_dtype", _kv("in", lambda v: DTYPE_SHORT[v])),
)


def case_id(kind, name, params, defaults, dtype, serial, lead=()):
    """kind/Name/<non-default segments>/<dtype short>/<serial>."""
    parts = [kind, name, *lead]
    for key, write in SEGMENTS:
        if key in params and params[key] != defaults.get(key, params[key]):
            parts.append(write(params[key]))
    edge = params.get("edge")
    if edge is not None:
        parts.append(edge)
    parts += [DTYPE_SHORT.get(dtype, dtype), f"{serial:04d}"]
    return "/".join(parts)


CLASS_FAMILIES = ("categorical", "sparse", "scores", "distribution", "onehot", "labels", "cat_hinge", "dist")
MAP_FAMILIES = ("sparse", "mask")
TIMESTEP_FAMILIES = ("real", "positive", "counts", "signs")


def auto_edges(family, kind, y_pred_shapes, axis):
    """Edge tags implied by shapes: rank, batch_1, empty_batch, two_classes, large, segmentation, timestep."""
    tags = set()
    for shape in y_pred_shapes:
        tags.add(f"rank{len(shape)}")
        if len(shape) > 1 and shape[0] == 1:
            tags.add("batch_1")
        if len(shape) > 1 and shape[0] == 0:
            tags.add("empty_batch")
        if family in CLASS_FAMILIES and shape and shape[axis % len(shape)] == 2:
            tags.add("two_classes")
        if family in MAP_FAMILIES and len(shape) == 4:
            tags.add("segmentation")
        if family in TIMESTEP_FAMILIES and len(shape) == 3 and shape[-1] == 1:
            tags.add("timestep")
    if sum(int(np.prod(s)) for s in y_pred_shapes) >= LARGE_ELEMENTS:
        tags.add("large")
    if kind == "metric":
        tags.add("stream")
    return tags


def resolve_alpha(alpha, num_classes):
    """'per_class' -> a list of num_classes weights (0.1, 0.2, ...)."""
    if alpha == "per_class":
        return [round(0.1 * (c + 1), 10) for c in range(num_classes)]
    return alpha


def _omitted(value):
    """Whether an axis value says 'do not pass this argument'."""
    return isinstance(value, str) and value == OMIT


def _kwargs(target, combo, num_classes):
    """Constructor / function keyword arguments of a combo."""
    kwargs = {k: combo[k] for k in target.kwargs if k in combo and not _omitted(combo[k])}
    if "alpha" in kwargs:
        kwargs["alpha"] = resolve_alpha(kwargs["alpha"], num_classes)
    if target.kind == "metric":  # Keras wants lists (thresholds, class ids, label weights)
        kwargs = {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()}
    return kwargs


def _stream_plan(combo, cycle=MIXED_WEIGHTS):
    """[(op, batch, weight form)] for a metric stream; "mixed" cycles through ``cycle``."""
    plan, updates = [], 0
    for token in combo["batches"].split("-"):
        if token == "r":
            plan.append(("reset", None, None))
            continue
        form = combo["sample_weight"]
        if form == "mixed":
            form = cycle[updates % len(cycle)]
        plan.append(("update", int(token), form))
        updates += 1
    return plan


def _steps(target, combo, rng):
    """Build the input arrays of every step of a generated case, and any array keyword arguments."""
    family, axis = target.family, combo.get("axis", -1)
    layout_axis = axis if isinstance(axis, int) else -1
    reduced = axis if target.reduces is None else target.reduces
    in_dtype = combo.get("input_dtype", "float32") if target.kind != "function" else combo["dtype"]
    if target.kind == "metric":
        plan = _stream_plan(combo, target.options.get("mixed", MIXED_WEIGHTS))
    else:
        plan = [("call", None, combo.get("sample_weight", "absent"))]
    steps, shapes, array_kwargs = [], [], {}
    for op, batch, form in plan:
        if op == "reset":
            steps.append(StepSpec("reset"))
            continue
        shape = inputs.parse_shape(combo["shape"], batch)
        grid = LARGE_GRID if np.prod(shape) >= LARGE_ELEMENTS else None
        if family in inputs_metrics.FAMILIES:
            y_true, y_pred = inputs_metrics.make_inputs(rng, family, shape, dict(target.options, **combo), in_dtype, grid)
        else:
            y_true, y_pred = inputs.make_inputs(
                rng, family, shape, axis=layout_axis,
                from_logits=combo.get("from_logits", target.options.get("from_logits", False)),
                edge=combo["edge"], ignore_class=combo.get("ignore_class"), y_true_form=combo.get("y_true"),
                dtype=in_dtype, grid=grid)
        for key, build in inputs.ARRAY_KWARGS.items():
            if combo.get(key) is not None:
                array_kwargs.update(build(rng, shape, in_dtype))
        w_dtype = in_dtype if in_dtype in ("float32", "float64") else "float32"
        per_sample = inputs.loss_shape(shape, reduced)
        batch = shape[0] if not per_sample and len(shape) > 1 else None  # a scalar loss: weigh the batch
        if family in inputs_metrics.FAMILIES:  # metric streams weigh samples: (B,) whatever Keras reduces
            batch = shape[0] if shape else None
        weight = inputs.make_weight(rng, form, per_sample, w_dtype, batch)
        steps.append(StepSpec(op, y_true, y_pred, weight))
        shapes.append(shape)
    return steps, shapes, array_kwargs


def _params(target, combo):
    """The case's params: every axis of the target except dtype and edge, as strings."""
    return {k: fmt(v) for k, v in combo.items() if k not in ("dtype", "edge")}


def generated_case(target, combo, serial, seed):
    """A CaseSpec for one combination of a target's axes."""
    defaults = {k: v[0] for k, v in target.axes.items()}
    cid = case_id(target.kind, target.name, combo, defaults, combo["dtype"], serial, target.options.get("lead", ()))
    rng = inputs.rng_for(seed, cid)
    steps, shapes, array_kwargs = _steps(target, combo, rng)
    axis = combo.get("axis", -1)
    axis = axis if isinstance(axis, int) else -1  # Dice/Tversky None or tuple: no class axis
    num_classes = shapes[0][axis % len(shapes[0])] if shapes and shapes[0] else 1
    edges = auto_edges(target.family, target.kind, shapes, axis)
    if combo["edge"]:
        edges.add(combo["edge"])
    kwargs = dict(_kwargs(target, combo, num_classes), **array_kwargs)
    return CaseSpec(cid, serial, target.kind, target.name, kwargs,
                    combo["dtype"], _params(target, combo), sorted(edges), "", steps)


def _doc_steps(doc):
    """Steps of a docstring example; lists become float32 arrays (never plain lists)."""
    steps, shapes, weighted = [], [], False
    op = "update" if doc.kind == "metric" else "call"
    for step in doc.steps:
        if step == "reset":
            steps.append(StepSpec("reset"))
            continue
        # NumPy arrays (a docstring's np.array(..., np.int32)) keep their dtype.
        y_true, y_pred, weight = (None if v is None else v if isinstance(v, np.ndarray) else np.asarray(v, dtype=np.float32)
                                  for v in step)
        steps.append(StepSpec(op, y_true, y_pred, weight))
        shapes.append(y_pred.shape)
        weighted |= weight is not None
    return steps, shapes, weighted


def doc_case(doc, serial):
    """A CaseSpec for one docstring example."""
    target = next(t for t in all_targets() if t.kind == doc.kind and t.name == doc.name)
    defaults = {k: v[0] for k, v in target.axes.items()}
    steps, shapes, weighted = _doc_steps(doc)
    combo = dict(defaults, **doc.kwargs)
    combo.update(dtype="float32", edge=None, shape="x".join(str(d) for d in shapes[0]))
    if "sample_weight" in combo:
        combo["sample_weight"] = "per_sample" if weighted else "absent"
    if target.family == "sparse":
        combo["y_true"] = "sparse_f32"
    if "batches" in combo:
        combo["batches"] = "-".join("r" if s.op == "reset" else str(s.y_pred.shape[0]) for s in steps)
    dtype = doc.kwargs.get("dtype", "float32")  # OMIT: the class's own default (the IoU family's int)
    cid = case_id(doc.kind, doc.name, combo, defaults, dtype, serial, lead=("doc",) + target.options.get("lead", ()))
    edges = auto_edges(target.family, doc.kind, shapes, combo.get("axis", -1)) | {"doc_example"}
    kwargs = {k: list(v) if isinstance(v, tuple) and doc.kind == "metric" else v
              for k, v in doc.kwargs.items() if not _omitted(v)}
    if "dtype" in target.kwargs and not _omitted(dtype):
        kwargs["dtype"] = dtype
    return CaseSpec(cid, serial, doc.kind, doc.name, kwargs, dtype, _params(target, combo),
                    sorted(edges), doc.source, steps)


# (targets, docstring examples) in serial order. A new group goes last, so the
# serials (and ids) of every earlier case stay as they are.
GROUPS = (
    (TARGETS, DOC_EXAMPLES),
    (catalogue_losses.TARGETS, catalogue_losses.DOC_EXAMPLES),
    (catalogue_metrics.TARGETS, catalogue_metrics.DOC_EXAMPLES),
)


def all_targets():
    """Every target of every group."""
    return tuple(t for targets, _ in GROUPS for t in targets)


def build_cases(seed=SEED):
    """Every case of the catalogue, with inputs, in a fixed order (serials from 1)."""
    cases = []
    for targets, docs in GROUPS:
        for target in targets:
            for combo in combinations_for(target):
                cases.append(generated_case(target, combo, len(cases) + 1, seed))
        for doc in docs:
            cases.append(doc_case(doc, len(cases) + 1))
    return cases

"""Input builders of the metric streams (catalogue_metrics.py).

Like inputs.py, nothing here imports Keras: every array comes from NumPy and
the case's seeded generator. A builder sees the case's context ``ctx`` (its
axis values and the target's options: thresholds, num_classes, sparse_y_true,
...), so an edge case can put predictions exactly on the thresholds the case
uses.

Arrays are built in float64 (ids in int64) and cast at the end: floats to the
stream's input dtype, ids to int32.

The family names here are distinct from inputs.FAMILIES, so that edge tags
added for metrics never reach the loss targets (whose edges follow their
families).
"""

import numpy as np

import inputs

# Predictions the ``at_threshold`` edge puts on: every threshold the catalogue
# uses (Keras compares in float32, these are the same float32 numbers).
THRESHOLD_VALUES = (0.0, 0.25, 0.3, 0.5, 0.7, 0.75, 1.0)
DEFAULT_BUCKETS = 200  # AUC's and the sensitivity family's default num_thresholds


def _classes(ctx, shape):
    """The number of classes of a class-last layout (the last dim of y_pred)."""
    return shape[-1] if shape else 1


def num_classes(ctx):
    """An IoU case's num_classes (3 for a case whose constructor is refused it: its inputs are never used)."""
    n = ctx.get("num_classes")
    return n if isinstance(n, int) else 3


# --------------------------------------------------------------------------
# Families: builder(rng, y_pred shape, ctx) -> (y_true, y_pred)
# --------------------------------------------------------------------------

def _values(rng, shape, ctx):
    """Mean / Sum: the values ~ N(0, 2) are y_pred; y_true is an empty placeholder (not an argument)."""
    return np.zeros((0,)), rng.normal(0.0, 2.0, shape)


def _matches(rng, shape, ctx):
    """Accuracy: small integers 0..2 as floats; y_pred equals y_true in about 60% of places."""
    t = rng.integers(0, 3, shape).astype(np.float64)
    p = np.where(rng.uniform(size=shape) < 0.6, t, rng.integers(0, 3, shape))
    return t, p.astype(np.float64)


def _scored(rng, shape, ctx):
    """Binary labels 0/1 and probabilities in [0, 1) (logits ~ N(0, 2.5) with from_logits)."""
    t = rng.integers(0, 2, shape).astype(np.float64)
    p = rng.normal(0.0, 2.5, shape) if ctx.get("from_logits") else rng.uniform(0.0, 1.0, shape)
    return t, p


def _onehot(rng, shape, ctx):
    """One-hot targets and softmax rows along the last axis."""
    return inputs.FAMILIES["categorical"](rng, shape, bool(ctx.get("from_logits")), _classes(ctx, shape))


def _labels(rng, shape, ctx):
    """Integer ids (y_pred's shape without its last axis) and softmax rows.

    With ``from_sorted_ids`` y_pred holds every class id, best first (int32).
    """
    t, p = inputs.FAMILIES["sparse"](rng, shape, bool(ctx.get("from_logits")), _classes(ctx, shape))
    if ctx.get("from_sorted_ids"):
        p = np.argsort(-p, axis=-1, kind="stable").astype(np.int64)
    if ctx.get("ignore_class") is not None:
        t = inputs._inject_ignored(rng, t, ctx["ignore_class"])
    return t.astype(np.int64), p


def _iou(rng, shape, ctx):
    """IoU family: ``shape`` is the label map; dense forms add a class axis (at ``axis``) of num_classes.

    y_true ids from 0..C-1 (a third replaced by ignore_class when set); y_pred
    is softmax scores leaning to the true class (class axis last until
    _iou_forms), or their argmax ids with sparse_y_pred. BinaryIoU (``binary`` option): 0/1 labels and
    probabilities in [0, 1).
    """
    if ctx.get("binary"):
        return rng.integers(0, 2, shape).astype(np.float64), rng.uniform(0.0, 1.0, shape)
    c = num_classes(ctx)
    t = rng.integers(0, c, shape)
    p = inputs.softmax(rng.normal(0.0, 2.0, shape + (c,)) + 2.0 * np.eye(c)[t])  # right about 2/3 of the time
    ignore = ctx.get("ignore_class")
    if ignore is not None:
        t = inputs._inject_ignored(rng, t, ignore)
    if ctx.get("sparse_y_pred", True):
        p = p.argmax(-1) if p.size else np.zeros(shape, np.int64)
    return t.astype(np.int64), p


def _delegate(name):
    """A family of inputs.FAMILIES on y_pred's shape (the regression-style metrics)."""
    def build(rng, shape, ctx):
        return inputs.FAMILIES[name](rng, shape, False, _classes(ctx, shape))
    build.__doc__ = f"inputs.FAMILIES[{name!r}] on y_pred's shape."
    return build


FAMILIES = {
    "values": _values, "matches": _matches, "scored": _scored, "onehot": _onehot, "labels": _labels,
    "iou": _iou, "regression": _delegate("real"), "nonneg": _delegate("positive"), "hinge": _delegate("signs"),
    "cat_hinge": _delegate("scores"), "dist": _delegate("distribution"), "rates": _delegate("counts"),
}
assert not set(FAMILIES) & (set(inputs.FAMILIES) | set(inputs.SPECIAL))


# --------------------------------------------------------------------------
# Edge cases: builder(rng, y_true, y_pred, ctx) -> (y_true, y_pred)
# --------------------------------------------------------------------------

def _reuse(tag, family=None):
    """An edge builder of inputs.EDGES (the loss edges), with the family it expects."""
    build = inputs.EDGES[tag][0]
    return lambda rng, t, p, ctx: build(rng, t, p, family)


def _thresholds(ctx):
    """Every threshold of the case in [0, 1] (threshold, thresholds) plus THRESHOLD_VALUES."""
    values = set(THRESHOLD_VALUES)
    for key in ("threshold", "thresholds"):
        v = ctx.get(key)
        for x in (v if isinstance(v, tuple) else (v,)):
            if isinstance(x, float) and 0.0 <= x <= 1.0:
                values.add(x)
    return np.array(sorted(values))


def edge_at_threshold(rng, t, p, ctx):
    """Every other prediction exactly on a threshold (0, 0.25, 0.3, 0.5, 0.7, 0.75, 1 and the case's own)."""
    p = p.copy()
    flat = p.reshape(-1)
    values = _thresholds(ctx)
    flat[0::2] = values[rng.integers(0, len(values), flat[0::2].shape)]
    if flat.size:
        flat[0] = 0.5
    return t, p


def bucket_count(ctx):
    """The num_thresholds T whose bucket edges i/(T-1) a case's predictions sit on."""
    n = ctx.get("num_thresholds")
    return n if isinstance(n, int) and n > 1 else DEFAULT_BUCKETS


def edge_bucket_edges(rng, t, p, ctx):
    """Predictions exactly on AUC bucket edges, p = float32(i / (T-1)), half where float32 p*(T-1) rounds above i."""
    steps = bucket_count(ctx) - 1
    ids = np.arange(steps + 1)
    edges = (ids / steps).astype(np.float32)
    tricky = ids[(edges * np.float32(steps)).astype(np.float32) > ids]
    pick = rng.integers(0, steps + 1, p.shape)
    if tricky.size:
        pick.reshape(-1)[0::2] = tricky[rng.integers(0, tricky.size, pick.reshape(-1)[0::2].shape)]
    return t, edges[pick].astype(np.float64)


def edge_topk_ties(rng, t, p, ctx):
    """Scores from {0.25, 0.5} only (ties everywhere), the first row all equal."""
    p = rng.integers(1, 3, p.shape) / 4.0
    if p.size:
        inputs._rows(p)[0] = 0.5
    return t, p


def _along(a, axis):
    """View of ``a`` as (rows, axis length): ``axis`` moved last (a copy, then moved back by the caller)."""
    return np.moveaxis(a, axis, -1).copy()


def edge_constant_rows(rng, t, p, ctx):
    """Correlation: y_true constant along the axis in row 0, y_pred in row 1, both in row 2 (zero variance)."""
    axis = ctx.get("axis", -1)
    tt, pp = _along(t, axis), _along(p, axis)
    if tt.size:
        tr, pr = inputs._rows(tt), inputs._rows(pp)
        n = tr.shape[0]
        tr[0] = 0.5
        pr[min(1, n - 1)] = -0.25
        tr[min(2, n - 1)] = pr[min(2, n - 1)] = 1.0
    return np.moveaxis(tt, -1, axis), np.moveaxis(pp, -1, axis)


def edge_empty_class(rng, t, p, ctx):
    """IoU: the last class never appears, in y_true nor y_pred (its IoU denominator is 0)."""
    if ctx.get("binary"):
        return np.zeros_like(t), np.minimum(p, 0.25)  # class 1 absent on both sides below any threshold > 0.25
    last = num_classes(ctx) - 1
    t = np.where(t == last, 0, t)
    if p.ndim == t.ndim:  # sparse ids
        return t, np.where(p == last, 0, p)
    p = p.copy()
    p[..., last] = 0.0
    return t, p


def edge_label_out_of_range(rng, t, p, ctx):
    """Ids C (first) and -1 (last) in y_true; for sparse IoU predictions also id C (second)."""
    c = num_classes(ctx) if "num_classes" in ctx else p.shape[-1]
    t = t.copy()
    flat = t.reshape(-1)
    if flat.size:
        flat[0] = c
    if flat.size > 1:
        flat[-1] = -1
    if "num_classes" in ctx and p.ndim == t.ndim and p.size > 1:  # sparse IoU predictions
        p = p.copy()
        p.reshape(-1)[1] = c
    return t, p


EDGES = {
    "nan": _reuse("nan"),
    "inf": _reuse("inf"),
    "probs_0_1": _reuse("probs_0_1", "binary"),
    "soft_labels": _reuse("soft_labels", "binary"),
    "yt_zero": _reuse("yt_zero"),
    "negatives": _reuse("negatives"),
    "zero_vector": _reuse("zero_vector"),
    "labels_pm1": _reuse("labels_pm1"),
    "labels_mixed": _reuse("labels_mixed"),
    "yt_zero_row": _reuse("yt_zero_row"),
    "negative_preds": _reuse("negative_preds"),
    "zero_preds": _reuse("zero_preds"),
    "large_errors": _reuse("large_errors"),
    "at_threshold": edge_at_threshold,
    "bucket_edges": edge_bucket_edges,
    "topk_ties": edge_topk_ties,
    "constant_rows": edge_constant_rows,
    "empty_class": edge_empty_class,
    "label_out_of_range": edge_label_out_of_range,
}


# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

def _iou_forms(t, p, ctx):
    """IoU: one-hot y_true unless sparse_y_true; argmax ids for sparse_y_pred; the class axis moved to ``axis``."""
    if ctx.get("binary"):
        return t, p
    c, axis = num_classes(ctx), ctx.get("axis", -1)
    if not ctx.get("sparse_y_true", True):
        t = np.moveaxis(np.eye(c)[np.clip(t, 0, c - 1)], -1, axis)  # out-of-range ids cannot be one-hot
    if not ctx.get("sparse_y_pred", True):
        p = np.moveaxis(p, -1, axis)
    return t, p


def _label_form(t, form):
    """Sparse ids as passed to Keras: int32, float32 (sparse_f32) or int32 with a trailing 1 (sparse_col)."""
    if form == "sparse_f32":
        return t.astype(np.float32)
    if form == "sparse_col":
        return t.astype(np.int32)[..., np.newaxis]
    return t


def _cast(a, dtype):
    """Ids (integer arrays) to int32, floats to the input dtype, C-ordered."""
    if a.dtype.kind in "iu":
        return np.array(a.astype(np.int32), order="C")
    if a.dtype == np.float32 and dtype == "float64":
        return np.array(a, order="C")  # sparse_f32 ids stay float32
    return np.array(a.astype(inputs.NUMPY_DTYPES[dtype]), order="C")


def _on_grid(a, grid):
    """Float arrays rounded to multiples of ``grid`` (large cases: archives compress well); ids unchanged."""
    return np.round(a / grid) * grid if grid and a.dtype.kind == "f" else a


def make_inputs(rng, family, shape, ctx, dtype, grid=None):
    """(y_true, y_pred) of one update of a metric stream; ``grid`` rounds float inputs (large cases)."""
    t, p = FAMILIES[family](rng, shape, ctx)
    edge = ctx.get("edge")
    if edge is not None:
        t, p = EDGES[edge](rng, t, p, ctx)
    t, p = _on_grid(t, grid), _on_grid(p, grid)
    if family == "iou":
        t, p = _iou_forms(t, p, ctx)
    if family == "labels":
        t = _label_form(t, ctx.get("y_true"))
    return _cast(t, dtype), _cast(p, dtype)

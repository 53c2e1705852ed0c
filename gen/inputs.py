"""Deterministic input builders: labels, predictions, sample weights and edge cases.

Nothing here imports Keras: inputs are built from NumPy alone, seeded from a
stable hash of the case id, so every backend sees byte-identical inputs.

Conventions
- ``shape`` is the shape of y_pred as passed to Keras; ``axis`` is the class
  axis (categorical and sparse families) or the averaging axis (binary family).
- Builders work in a *canonical* layout with the class axis last and move it to
  ``axis`` at the end, so every edge case is written once.
- The "per-sample loss shape" is y_pred's shape without ``axis``; sample weights
  are shaped against it.
"""

import hashlib

import ml_dtypes
import numpy as np

NUMPY_DTYPES = {
    "float64": np.dtype("float64"),
    "float32": np.dtype("float32"),
    "float16": np.dtype("float16"),
    "bfloat16": np.dtype(ml_dtypes.bfloat16),
    "int32": np.dtype("int32"),
}


def rng_for(seed, case_id):
    """A NumPy generator seeded from sha256(seed:case_id) (never Python's hash())."""
    digest = hashlib.sha256(f"{seed}:{case_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def parse_shape(text, batch=None):
    """'2x3x4' -> (2, 3, 4); 'Bx3' with batch=5 -> (5, 3); '6' -> (6,)."""
    dims = []
    for part in text.split("x"):
        dims.append(batch if part == "B" else int(part))
    return tuple(dims)


def loss_shape(shape, axis):
    """Shape of the per-sample loss: y_pred's shape without the reduced axis."""
    ax = axis % len(shape)
    return shape[:ax] + shape[ax + 1:]


def canonical_shape(shape, axis):
    """y_pred's shape with the class axis moved last."""
    ax = axis % len(shape)
    return loss_shape(shape, axis) + (shape[ax],)


def softmax(x):
    """Row softmax over the last axis, in float64."""
    z = np.exp(x - x.max(axis=-1, keepdims=True)) if x.size else x
    return z / z.sum(axis=-1, keepdims=True) if x.size else x


# --------------------------------------------------------------------------
# Clean inputs per family (canonical layout, float64 values)
# --------------------------------------------------------------------------

def _binary(rng, cshape, logits, num_classes):
    """0/1 targets; probabilities in (0.02, 0.98) or logits ~ N(0, 2.5)."""
    y_true = rng.integers(0, 2, cshape).astype(np.float64)
    y_pred = rng.normal(0.0, 2.5, cshape) if logits else rng.uniform(0.02, 0.98, cshape)
    return y_true, y_pred


def _predictions(rng, cshape, logits):
    """Categorical predictions: softmax rows or logits ~ N(0, 2)."""
    x = rng.normal(0.0, 2.0, cshape)
    return x if logits else softmax(x)


def _categorical(rng, cshape, logits, num_classes):
    """One-hot targets along the last axis."""
    labels = rng.integers(0, num_classes, cshape[:-1])
    return np.eye(num_classes)[labels].reshape(cshape), _predictions(rng, cshape, logits)


def _sparse(rng, cshape, logits, num_classes):
    """Integer class ids (one fewer dimension than y_pred)."""
    labels = rng.integers(0, num_classes, cshape[:-1]).astype(np.float64)
    return labels, _predictions(rng, cshape, logits)


FAMILIES = {"binary": _binary, "categorical": _categorical, "sparse": _sparse}


# --------------------------------------------------------------------------
# Edge cases: each edits the canonical arrays in place-free style
# --------------------------------------------------------------------------

def _rows(a):
    """View of a canonical array as (rows, last)."""
    return a.reshape(-1, a.shape[-1]) if a.ndim else a.reshape(1, 1)


def edge_probs_0_1(rng, t, p, family):
    """Probabilities exactly 0 and 1: right (p == t) and wrong (p == 1 - t)."""
    p = p.copy()
    if family == "binary":
        flat, tf = p.reshape(-1), t.reshape(-1)
        flat[0::2] = tf[0::2]
        flat[1::3] = 1.0 - tf[1::3]
        return t, p
    rows = _rows(p)
    labels = t.reshape(-1).astype(int) if family == "sparse" else _rows(t).argmax(-1)
    c = rows.shape[1]
    for r in range(rows.shape[0]):
        rows[r] = 0.0
        rows[r, labels[r] if r % 2 == 0 else (labels[r] + 1) % c] = 1.0
    return t, p


def edge_probs_outside_0_1(rng, t, p, family):
    """Binary 'probabilities' below 0 and above 1."""
    return t, rng.uniform(-0.5, 1.5, p.shape)


def edge_unnormalised(rng, t, p, family):
    """Rows that do not sum to 1 (scaled by 0.2..5), one row proportional to [2, 2, 4, ...]."""
    p = p * rng.uniform(0.2, 5.0, p.shape[:-1] + (1,))
    rows = _rows(p)
    if rows.size:
        rows[0] = 2.0
        rows[0, -1] = 4.0
    return t, p


def edge_zero_row(rng, t, p, family):
    """An all-zero probability row (0/0 when renormalised)."""
    p = p.copy()
    if p.size:
        _rows(p)[0] = 0.0
    return t, p


def _extreme_logits(value):
    """Edge builder: about half the logits set to +-value."""
    def build(rng, t, p, family):
        p = p.copy()
        flat = p.reshape(-1)
        mask = rng.uniform(size=flat.shape) < 0.5
        flat[mask] = value * np.where(rng.uniform(size=flat.shape) < 0.5, -1.0, 1.0)[mask]
        if flat.size:
            flat[0] = value
        if flat.size > 1:
            flat[-1] = -value
        return t, p
    build.__doc__ = f"Logits of +-{value:g}."
    return build


def edge_nan(rng, t, p, family):
    """One NaN in y_pred."""
    p = p.copy()
    if p.size:
        p.reshape(-1)[0] = np.nan
    return t, p


def edge_inf(rng, t, p, family):
    """+Inf first, -Inf last in y_pred."""
    p = p.copy()
    flat = p.reshape(-1)
    if flat.size:
        flat[0] = np.inf
    if flat.size > 1:
        flat[-1] = -np.inf
    return t, p


def edge_soft_labels(rng, t, p, family):
    """Soft targets: binary in [0, 1], categorical rows summing to 1."""
    if family == "binary":
        return rng.uniform(0.0, 1.0, t.shape), p
    return softmax(rng.normal(0.0, 1.0, t.shape)), p


def edge_label_out_of_range(rng, t, p, family):
    """Sparse ids C (first) and -1 (last)."""
    t = t.copy()
    flat = t.reshape(-1)
    if flat.size:
        flat[0] = p.shape[-1]
    if flat.size > 1:
        flat[-1] = -1
    return t, p


# Edge tag -> (builder, families it applies to, from_logits values it applies to).
EDGES = {
    "probs_0_1": (edge_probs_0_1, {"binary", "categorical", "sparse"}, {False}),
    "probs_outside_0_1": (edge_probs_outside_0_1, {"binary"}, {False}),
    "unnormalised": (edge_unnormalised, {"categorical", "sparse"}, {False}),
    "zero_row": (edge_zero_row, {"categorical", "sparse"}, {False}),
    "logits_100": (_extreme_logits(100.0), {"binary", "categorical", "sparse"}, {True}),
    "logits_1e4": (_extreme_logits(1e4), {"binary", "categorical", "sparse"}, {True}),
    "nan": (edge_nan, {"binary", "categorical", "sparse"}, {False, True}),
    "inf": (edge_inf, {"binary", "categorical", "sparse"}, {False, True}),
    "soft_labels": (edge_soft_labels, {"binary", "categorical"}, {False, True}),
    "label_out_of_range": (edge_label_out_of_range, {"sparse"}, {False, True}),
}


def edge_applies(edge, family, from_logits):
    """Whether an edge tag makes sense for this family and prediction kind."""
    if edge is None:
        return True
    _, families, logits = EDGES[edge]
    return family in families and from_logits in logits


# --------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------

def _inject_ignored(rng, labels, ignore_class):
    """Replace about a third of the ids (at least one) with the ignored class."""
    labels = labels.copy()
    flat = labels.reshape(-1)
    if flat.size:
        mask = rng.uniform(size=flat.shape) < 0.3
        mask[0] = True
        flat[mask] = ignore_class
    return labels


def _as_label_form(labels, y_true_form):
    """Sparse ids as passed to Keras: int32 (B,..), float32, or with a trailing 1."""
    if y_true_form == "sparse_f32":
        return labels.astype(np.float32)
    if y_true_form == "sparse_col":
        return labels.astype(np.int32)[..., np.newaxis]
    if y_true_form == "sparse_i64":
        return labels.astype(np.int64)
    return labels.astype(np.int32)


def make_pair(rng, family, shape, axis=-1, from_logits=False, edge=None,
              ignore_class=None, y_true_form=None, dtype="float32", grid=None):
    """(y_true, y_pred) as NumPy arrays ready to pass to Keras.

    Float arrays are cast to ``dtype``; sparse ids follow ``y_true_form``.
    ``grid`` (e.g. 2**-10) rounds y_pred to multiples of it: large cases use it
    so their archives compress well (sums and logs still round as usual).
    """
    if family == "binary":
        cshape, num_classes = shape, None
    else:
        cshape = canonical_shape(shape, axis)
        num_classes = cshape[-1]
    t, p = FAMILIES[family](rng, cshape, from_logits, num_classes)
    if edge is not None:
        t, p = EDGES[edge][0](rng, t, p, family)
    if grid:
        p = np.round(p / grid) * grid
    if family == "sparse" and ignore_class is not None:
        t = _inject_ignored(rng, t, ignore_class)
    if family != "binary" and len(shape) > 1 and axis % len(shape) != len(shape) - 1:
        p = np.moveaxis(p, -1, axis)
        if family == "categorical":
            t = np.moveaxis(t, -1, axis)
    np_dtype = NUMPY_DTYPES[dtype]
    y_pred = np.array(p.astype(np_dtype), order="C")
    if family == "sparse":
        y_true = np.array(_as_label_form(t, y_true_form), order="C")
    else:
        y_true = np.array(t.astype(np_dtype), order="C")
    return y_true, y_pred


def make_weight(rng, form, per_sample_shape, dtype="float32"):
    """A sample_weight of the named form, or None for 'absent'.

    Forms: scalar (0.7), per_sample (B,), per_sample_col (B,1), per_element
    (the per-sample loss shape), zeros (B,), negative (B,) with the first
    weight negative. B is the first dim of the per-sample loss (1 if scalar).
    """
    batch = per_sample_shape[0] if per_sample_shape else 1
    if form == "absent":
        return None
    if form == "scalar":
        w = np.array(0.7)
    elif form == "per_sample":
        w = rng.uniform(0.1, 2.0, (batch,))
    elif form == "per_sample_col":
        w = rng.uniform(0.1, 2.0, (batch, 1))
    elif form == "per_element":
        w = rng.uniform(0.1, 2.0, per_sample_shape)
    elif form == "zeros":
        w = np.zeros((batch,))
    elif form == "negative":
        w = rng.uniform(-1.0, 2.0, (batch,))
        if batch:
            w[0] = -abs(w[0]) - 0.25
    else:
        raise ValueError(f"unknown sample_weight form {form!r}")
    return np.array(w.astype(NUMPY_DTYPES[dtype]), order="C")

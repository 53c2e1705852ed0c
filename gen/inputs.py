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
    """Shape of the per-sample loss: y_pred's shape without the reduced axis.

    ``axis`` may also be a tuple of axes, or None (every axis: a scalar).
    """
    if axis is None:
        return ()
    if isinstance(axis, tuple):
        drop = {a % len(shape) for a in axis}
        return tuple(d for i, d in enumerate(shape) if i not in drop)
    ax = axis % len(shape)
    return shape[:ax] + shape[ax + 1:]


def axis_fits(axis, rank):
    """Whether an int / tuple / None axis argument names axes of a tensor of this rank."""
    if axis is None:
        return True
    axes = axis if isinstance(axis, tuple) else (axis,)
    return all(-rank <= a < rank for a in axes)


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


def _real(rng, cshape, logits, num_classes):
    """Regression targets and predictions ~ N(0, 1)."""
    return rng.normal(0.0, 1.0, cshape), rng.normal(0.0, 1.0, cshape)


def _positive(rng, cshape, logits, num_classes):
    """Non-negative targets and predictions in [0, 3) (MSLE)."""
    return rng.uniform(0.0, 3.0, cshape), rng.uniform(0.0, 3.0, cshape)


def _counts(rng, cshape, logits, num_classes):
    """Poisson counts (integers, mean 1.5) and positive rates in (0.05, 4)."""
    return rng.poisson(1.5, cshape).astype(np.float64), rng.uniform(0.05, 4.0, cshape)


def _signs(rng, cshape, logits, num_classes):
    """Hinge: 0/1 labels (Keras converts them to -1/1) and scores ~ N(0, 1.5)."""
    return rng.integers(0, 2, cshape).astype(np.float64), rng.normal(0.0, 1.5, cshape)


def _scores(rng, cshape, logits, num_classes):
    """Categorical hinge: one-hot targets and unbounded scores ~ N(0, 2)."""
    return _categorical(rng, cshape, True, num_classes)


def _distribution(rng, cshape, logits, num_classes):
    """KL divergence: soft target distributions and predicted distributions."""
    return softmax(rng.normal(0.0, 1.0, cshape)), _predictions(rng, cshape, False)


def _mask(rng, cshape, logits, num_classes):
    """Dice / Tversky: 0/1 masks and probabilities in [0, 1)."""
    return rng.integers(0, 2, cshape).astype(np.float64), rng.uniform(0.0, 1.0, cshape)


# Family -> generator(rng, canonical shape, from_logits, number of classes).
# binary, categorical and sparse are the crossentropy families; the rest serve
# the other losses (catalogue_losses.py).
FAMILIES = {"binary": _binary, "categorical": _categorical, "sparse": _sparse,
            "real": _real, "positive": _positive, "counts": _counts, "signs": _signs,
            "scores": _scores, "distribution": _distribution, "mask": _mask}


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


# --------------------------------------------------------------------------
# Edge cases of the other losses
# --------------------------------------------------------------------------

def _every_third_zero(side, doc):
    """Edge builder: every third element of y_true (side 0) or y_pred (side 1) exactly 0."""
    def build(rng, t, p, family):
        pair = [t, p]
        pair[side] = pair[side].copy()
        pair[side].reshape(-1)[0::3] = 0.0
        return tuple(pair)
    build.__doc__ = doc
    return build


def edge_negatives(rng, t, p, family):
    """MSLE: about half of y_true and y_pred negative (Keras clamps them to epsilon)."""
    signs = lambda a: np.where(rng.uniform(size=a.shape) < 0.5, -1.0, 1.0)
    t, p = t * signs(t), p * signs(p)
    if p.size:
        p.reshape(-1)[0] = -1.0
    return t, p


def edge_zero_vector(rng, t, p, family):
    """Cosine: y_true row 0, y_pred row 1 and both at row 2 all zero (along the axis)."""
    if not t.size:
        return t, p
    t, p = t.copy(), p.copy()
    tr, pr = _rows(t), _rows(p)
    n = tr.shape[0]
    if n:
        tr[0] = 0.0
        pr[min(1, n - 1)] = 0.0
        tr[min(2, n - 1)] = pr[min(2, n - 1)] = 0.0
    return t, p


def edge_labels_pm1(rng, t, p, family):
    """Hinge: labels already -1/1 (0/1 labels mapped by 2t - 1)."""
    return 2.0 * t - 1.0, p


def edge_labels_mixed(rng, t, p, family):
    """Hinge: a mix of -1, 0 and 1 (not all 0/1, so Keras keeps the zeros)."""
    t = 2.0 * t - 1.0
    t.reshape(-1)[1::3] = 0.0
    if t.size:
        t.reshape(-1)[0] = -1.0
    return t, p


def edge_yt_zero_row(rng, t, p, family):
    """KL: one-hot y_true (zeros clipped to epsilon) with row 0 all zero (a negative KL)."""
    rows = _rows(t)
    t = np.eye(rows.shape[1])[rows.argmax(-1)].reshape(t.shape) if rows.size else t.copy()
    if t.size:
        _rows(t)[0] = 0.0
    return t, p


def edge_negative_preds(rng, t, p, family):
    """Poisson: the first two predictions negative, the first against y_true 0 (0 * log(negative): NaN)."""
    t, p = t.copy(), p.copy()
    p.reshape(-1)[:2] *= -1.0
    t.reshape(-1)[:1] = 0.0
    return t, p


def edge_error_eq_delta(rng, t, p, family):
    """Huber: errors exactly +-0.25, 0.5, 1, 2 (each delta of the catalogue), on a 1/8 grid."""
    t = np.round(t * 8.0) / 8.0
    errors = np.array([0.5, -1.0, 2.0, -0.5, 1.0, -2.0, 0.25, 0.0])
    return t, t + np.resize(errors, t.shape)


def edge_large_errors(rng, t, p, family):
    """Errors of 1e3 and 1e4 (log-cosh must not overflow), one of 3e4."""
    p = p.copy()
    flat = p.reshape(-1)
    errors = np.resize(np.array([1e3, -1e4, 1e4, -1e3, 3e4]), flat[0::2].shape)
    flat[0::2] = t.reshape(-1)[0::2] + errors
    return t, p


def edge_empty_mask(rng, t, p, family):
    """Dice/Tversky: y_true all zero, y_pred of the first sample all zero (0 / epsilon)."""
    p = p.copy()
    if p.size:
        p[0] = 0.0
    return np.zeros_like(t), p


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
    # The other losses (their targets list their edges explicitly).
    "yt_zero": (_every_third_zero(0, "MAPE: every third y_true exactly 0 (divided by epsilon)."), {"real"}, {False}),
    "negatives": (edge_negatives, {"positive"}, {False}),
    "zero_vector": (edge_zero_vector, {"real"}, {False}),
    "labels_pm1": (edge_labels_pm1, {"signs", "scores"}, {False}),
    "labels_mixed": (edge_labels_mixed, {"signs"}, {False}),
    "yt_zero_row": (edge_yt_zero_row, {"distribution"}, {False}),
    "negative_preds": (edge_negative_preds, {"counts"}, {False}),
    "zero_preds": (_every_third_zero(1, "Poisson: every third y_pred exactly 0 (log(0 + epsilon))."), {"counts"}, {False}),
    "error_eq_delta": (edge_error_eq_delta, {"real"}, {False}),
    "large_errors": (edge_large_errors, {"real"}, {False}),
    "empty_mask": (edge_empty_mask, {"mask"}, {False}),
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
        if family != "sparse":
            t = np.moveaxis(t, -1, axis)
    np_dtype = NUMPY_DTYPES[dtype]
    y_pred = np.array(p.astype(np_dtype), order="C")
    if family == "sparse":
        y_true = np.array(_as_label_form(t, y_true_form), order="C")
    else:
        y_true = np.array(t.astype(np_dtype), order="C")
    return y_true, y_pred


def make_weight(rng, form, per_sample_shape, dtype="float32", batch=None):
    """A sample_weight of the named form, or None for 'absent'.

    Forms: scalar (0.7), per_sample (B,), per_sample_col (B,1), per_element
    (the per-sample loss shape), zeros (B,), negative (B,) with the first
    weight negative. B is ``batch`` if given, else the first dim of the
    per-sample loss (1 if scalar).
    """
    if batch is None:
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


# --------------------------------------------------------------------------
# The other losses: y_true forms, CTC, Circle, and the dispatch
# --------------------------------------------------------------------------

def _dense_col(t):
    """y_true with an extra trailing axis of 1 (Keras squeezes it, or expands a rank-1 y_pred)."""
    return t[..., np.newaxis]


def _dense_flat(t):
    """y_true without y_pred's trailing axis of 1 (Keras expands it back)."""
    return t[..., 0]


def _dense_mismatch(t):
    """y_true whose last axis is one longer than y_pred's (no rule aligns them)."""
    return np.concatenate([t, t[..., :1]], axis=-1)


# Dense y_true form -> how y_true is reshaped against y_pred; None = unchanged.
DENSE_FORMS = {"dense": None, "dense_col": _dense_col, "dense_flat": _dense_flat, "dense_mismatch": _dense_mismatch}


def form_fits(form, shape):
    """Whether a y_true form can be built for this y_pred shape."""
    return form != "dense_flat" or (len(shape) > 0 and shape[-1] == 1)


def make_ctc(rng, shape, edge, dtype):
    """CTC: labels (B, L) int32 with L = max(1, T // 2), 0-padded; logits (B, T, K) ~ N(0, 2).

    Each row holds 1..L labels in 1..K-1. Edges: ``label_zero_inside`` (full
    rows with a 0 at index 1: Keras counts the nonzeros and takes that many
    entries from the front, zero included); ``infeasible`` (L = T + 1: row 0
    is T + 1 labels, row 1 a repeated label needing more frames than T).
    """
    batch, steps, classes = shape
    width = max(1, steps // 2)
    labels = np.zeros((batch, width), dtype=np.int64)
    for row in range(batch):
        n = int(rng.integers(1, width + 1))
        labels[row, :n] = rng.integers(1, classes, n)
    if edge not in (None, "label_zero_inside", "infeasible"):
        raise ValueError(f"no CTC edge {edge!r}")
    logits = rng.normal(0.0, 2.0, shape)
    if edge == "label_zero_inside" and width >= 2:
        labels = rng.integers(1, classes, (batch, width))
        labels[:, 1] = 0
    elif edge == "infeasible":
        wide = np.zeros((batch, steps + 1), dtype=np.int64)
        wide[:, :width] = labels
        if batch:
            wide[0] = rng.integers(1, classes, steps + 1)
        if batch > 1:
            wide[1] = 0
            wide[1, :steps // 2 + 1] = 1
        labels = wide
    return np.array(labels.astype(np.int32), order="C"), np.array(logits.astype(NUMPY_DTYPES[dtype]), order="C")


def _unit_rows(x):
    """Rows scaled to unit L2 norm."""
    norms = np.linalg.norm(x, axis=-1, keepdims=True) if x.size else np.ones(x.shape[:-1] + (1,))
    return x / np.where(norms == 0, 1.0, norms)


def make_embedding(rng, shape, edge, dtype):
    """Circle: int32 labels (B,) from max(1, B // 2) classes, each used about twice; unit embeddings (B, D).

    Edges: ``no_positives`` (sample 0 has a label nobody else has),
    ``no_negatives`` (every sample has the same label), ``nan``.
    """
    if edge not in (None, "no_positives", "no_negatives", "nan"):
        raise ValueError(f"no Circle edge {edge!r}")
    batch = shape[0]
    classes = max(1, batch // 2)
    labels = rng.permutation(np.arange(batch) % classes)
    embeddings = _unit_rows(rng.normal(0.0, 1.0, shape))
    if edge == "no_positives" and batch:
        labels[0] = classes
    elif edge == "no_negatives":
        labels[:] = 0
    elif edge == "nan" and embeddings.size:
        embeddings.reshape(-1)[0] = np.nan
    return np.array(labels.astype(np.int32), order="C"), np.array(embeddings.astype(NUMPY_DTYPES[dtype]), order="C")


def make_circle_reference(rng, shape, dtype):
    """Circle's ref_labels (R,) and ref_embeddings (R, D) with R = B + 2, labels from one more class."""
    rows = shape[0] + 2
    labels = rng.integers(0, max(1, shape[0] // 2) + 1, rows)
    embeddings = _unit_rows(rng.normal(0.0, 1.0, (rows, shape[1])))
    return {"ref_labels": np.array(labels.astype(np.int32), order="C"),
            "ref_embeddings": np.array(embeddings.astype(NUMPY_DTYPES[dtype]), order="C")}


# Families with their own layout: builder(rng, y_pred shape, edge, dtype).
SPECIAL = {"ctc": make_ctc, "embedding": make_embedding}

# Axis value -> builder of extra array keyword arguments (rng, y_pred shape, dtype) -> dict.
ARRAY_KWARGS = {"ref": make_circle_reference}


def make_inputs(rng, family, shape, axis=-1, from_logits=False, edge=None, ignore_class=None,
                y_true_form=None, dtype="float32", grid=None):
    """(y_true, y_pred) for any family: make_pair, a SPECIAL builder, then the dense y_true form.

    For the dense families (not binary, categorical, sparse) ``grid`` rounds
    y_true as well as y_pred.
    """
    if family in SPECIAL:
        return SPECIAL[family](rng, shape, edge, dtype)
    y_true, y_pred = make_pair(rng, family, shape, axis=axis, from_logits=from_logits, edge=edge,
                               ignore_class=ignore_class, y_true_form=y_true_form, dtype=dtype, grid=grid)
    reshape = DENSE_FORMS.get(y_true_form)
    if grid and family not in ("binary", "categorical", "sparse"):
        y_true = np.round(y_true / grid) * grid
    return (y_true if reshape is None else np.array(reshape(y_true), order="C")), y_pred

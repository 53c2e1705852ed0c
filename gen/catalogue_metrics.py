"""The catalogue of every Keras metric outside the crossentropy family, as streams.

Each metric is one ``metric(...)`` line: its Keras name, input family
(inputs_metrics.FAMILIES), its own constructor arguments and their values
(first = Keras's default; required arguments start with a valid value and
list ``omitted`` among the refused ones), the shapes of its updates ("B" is
each update's batch), its edge tags and any extra blocks. Every metric also
varies name, dtype, input dtype, the weight form and the batch sizes of its
stream (a few updates, a reset, more updates).

Values a constructor refuses go in ``refused``: one case each, whose only step
is the construct error. These targets come after every loss and their
docstring examples in serial order (catalogue.GROUPS), so adding them kept
every earlier id.
"""

import numpy as np

from spec import BOOLS, DTYPES, INPUT_DTYPES, OMIT, STREAM_WEIGHTS, Block, Doc, Target, large

# --------------------------------------------------------------------------
# Axis values (first value = Keras default)
# --------------------------------------------------------------------------

NAMES = (OMIT, "custom", "my_metric_2")
# The weight forms of the all-pairs block; every form also meets the first shape, and the
# shape-sensitive forms every shape.
PAIRED_WEIGHTS = ("mixed", "absent", "scalar", "per_sample")
# The "mixed" weight cycle of metrics that weigh elements (confusion matrices, IoU: (B,) weights do
# not broadcast against rank-3 inputs) and of the F-scores (Keras 3.15 refuses scalar weights there).
ELEMENT_MIXED = ("per_element", "scalar", "absent")
FSCORE_MIXED = ("per_sample", "absent")
# With class_id Keras slices y to (..., 1): only scalar weights fit every shape.
CLASS_MIXED = ("scalar", "absent")
# Batch sizes of a stream's updates, "r" a reset: small, one empty batch, one batch of 1.
BATCHES = ("3-1-2-r-2", "2-0-3-r-1", "1-4-1-r-3-2")
IOU_DTYPES = (OMIT, "float32", "int32", "float64")  # omitted: Keras's integer default

THRESHOLD = (0.5, 0.3, 0.7, 0.0, 1.0)
THRESHOLDS = (None, 0.3, (0.25, 0.5, 0.75), (0.0, 0.5, 1.0), (0.1, 0.7))  # (0, 0.5, 1): evenly spaced
BAD_THRESHOLDS = (1.5, -0.1, (0.5, 2.0))
TOP_K = (None, 1, 2)
CLASS_ID = (None, 0, 2)
K = (5, 1, 2, 3)
AT_VALUES = (0.5, 0.0, 0.8, 1.0)
BAD_AT_VALUES = (1.5, -0.1, OMIT)
SENS_THRESHOLDS = (200, 1, 3, 10)
BAD_SENS_THRESHOLDS = (0, -1)
AUC_THRESHOLDS = (200, 3, 10, 50)
BAD_AUC_THRESHOLDS = (1, 0)
CURVES = ("ROC", "PR", "PRGAIN")
SUMMATIONS = ("interpolation", "majoring", "minoring")
AUC_EXPLICIT = (None, (0.25, 0.5, 0.75), (0.1, 0.3, 0.9), (-0.5, 0.5, 1.5))  # (0.25, 0.5, 0.75): evenly spaced
LABEL_WEIGHTS = (None, (0.5, 1.0, 2.0), (0.0, 1.0, 3.0))
NUM_LABELS = (None, 3, 4)  # 4 against 3 columns: refused at the first update
NUM_CLASSES = (3, 2, 4)
TARGET_IDS = ((0, 1), (0,), (1,))
IGNORE = (None, 0, 1, -1)
IOU_AXES = (-1, 1, 2)  # 1 and 2 only on Bx2x3 label maps
BINARY_IOU_THRESHOLD = (0.5, 0.3, 0.0, 1.0)
AVERAGES = (None, "micro", "macro", "weighted")
BETAS = (1.0, 0.5, 2.0)
F_THRESHOLD = (None, 0.5, 0.3, 1.0)
AGGREGATIONS = ("uniform_average", None, "variance_weighted_average")
REGRESSORS = (0, 1, 5)
LABEL_FORMS = ("sparse", "sparse_f32", "sparse_col")
CORRELATION_AXES = (-1, 0, 1)
COSINE_AXES = (-1, 1, 0)

REAL_SHAPES = ("Bx3", "B", "Bx1", "Bx2x3")
CLASS_SHAPES = ("Bx3", "Bx2", "Bx2x3")
TOPK_SHAPES = ("Bx4", "Bx2x4")
SCORED_SHAPES = ("Bx3", "B", "Bx2x3")
MAP_SHAPES = ("B", "Bx4", "Bx2x3")  # IoU: the label map; dense forms add a class axis
# One large stream (summation order) for a few metrics: updates of 10,240, 5,120 and 2,560 rows' elements.
LARGE = large("Bx10", batches="1024-512-256-r-256", sample_weight="mixed")


def product(**axes):
    """A product block over the named axes (None = the target's own values)."""
    return Block("product", axes)


# --------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------

def metric(name, family, own, shapes, edges=(), blocks=(), refused=None, dtypes=DTYPES, forms=None,
           unpaired=(), reduces=(), **options):
    """One metric stream target.

    ``own``: constructor arguments -> values (default first). ``refused``:
    argument -> values the constructor refuses (one error case each).
    ``forms``: y_true forms (an axis that is not an argument). ``unpaired``:
    own axes left out of the all-pairs block (they get their own blocks).
    ``reduces``: the y_pred axes Keras reduces before weighting (None: the
    ``axis`` argument or the last axis; (): none, weights are per element).
    ``options`` reach the input builders (e.g. ``lead`` id segments).
    """
    tail = {"y_true": forms} if forms else {}
    axes = {**own, "name": NAMES, "dtype": dtypes, "input_dtype": INPUT_DTYPES, "sample_weight": STREAM_WEIGHTS,
            "batches": BATCHES, **tail, "shape": shapes, "edge": (None,) + edges}
    standard = (
        Block("pairs", {**{k: None for k in axes if k not in unpaired}, "sample_weight": PAIRED_WEIGHTS}),
        product(sample_weight=None, shape=shapes[:1]),
        product(sample_weight=("per_element", "per_sample_col"), shape=shapes[1:]),
    )
    errors = tuple(product(**{arg: values}) for arg, values in (refused or {}).items())
    kwargs = tuple(own) + ("name", "dtype")
    return Target("metric", name, family, kwargs, axes, standard + blocks + errors, options=options, reduces=reduces)


def wrapper(fn, family, own, shapes, edges=(), blocks=(), forms=None, reduces=None):
    """A MeanMetricWrapper over a Keras function (``fn`` and its keyword arguments)."""
    target = metric("MeanMetricWrapper", family, {"fn": (fn,), **own}, shapes, edges, blocks, forms=forms,
                    reduces=reduces, lead=(f"fn={fn}",))
    return target


def at_value(name, value_arg):
    """A SensitivitySpecificityBase metric: its required value argument, num_thresholds, class_id."""
    return metric(name, "scored", {value_arg: AT_VALUES, "num_thresholds": SENS_THRESHOLDS, "class_id": CLASS_ID},
                  SCORED_SHAPES, ("at_threshold", "bucket_edges", "probs_0_1", "nan"),
                  (product(num_thresholds=None, edge=(None, "bucket_edges")), product(**{value_arg: None, "class_id": None})),
                  {value_arg: BAD_AT_VALUES, "num_thresholds": BAD_SENS_THRESHOLDS}, mixed=CLASS_MIXED)


def iou(name, own, blocks=(), **options):
    """An IoU-family metric: label maps, the integer default dtype and a float dtype.

    ``axis`` only matters for dense inputs on Bx2x3 maps (and Keras 3.15.1's result() fails for any
    axis but -1), so it has its own block instead of the pairs.
    """
    dense = {k: BOOLS for k in ("sparse_y_true", "sparse_y_pred") if k in own}
    return metric(name, "iou", own, MAP_SHAPES, ("empty_class", "label_out_of_range"),
                  (product(ignore_class=None, edge=(None, "label_out_of_range")),
                   product(**dense, axis=None, shape=("Bx2x3",)),
                   product(dtype=None, sample_weight=("per_sample", "per_element"))) + blocks,
                  {"num_classes": (OMIT,), **({"target_class_ids": ((0, 5),)} if "target_class_ids" in own else {})},
                  dtypes=IOU_DTYPES, unpaired=("axis",), mixed=ELEMENT_MIXED, **options)


def fscore(name, own):
    """F1Score / FBetaScore: (B, C) inputs."""
    refused = {"average": ("samples",), "threshold": (0.0, 1.5, 1)}
    if "beta" in own:
        refused["beta"] = (0.0, -1.0, 2)
    return metric(name, "scored", own, ("Bx3", "Bx1"), ("at_threshold", "topk_ties", "probs_0_1", "nan"),
                  (product(**{k: None for k in own}), product(shape=("B",))), refused, mixed=FSCORE_MIXED)


def regression(name, family, edges, reduces=None, own=None, shapes=REAL_SHAPES, blocks=()):
    """A MeanMetricWrapper over a regression-style loss function (reduces the last axis)."""
    return metric(name, family, own or {}, shapes, edges + ("nan",), blocks, reduces=reduces)


_WRAPPER_SCCE = {"from_logits": BOOLS, "ignore_class": (None, 0, -1)}
_AUC_OWN = {"num_thresholds": AUC_THRESHOLDS, "curve": CURVES, "summation_method": SUMMATIONS,
            "thresholds": AUC_EXPLICIT, "multi_label": BOOLS, "num_labels": NUM_LABELS, "label_weights": LABEL_WEIGHTS,
            "from_logits": BOOLS}
_AUC_BLOCKS = (
    product(curve=None, summation_method=None, thresholds=(None, (0.25, 0.5, 0.75))),
    product(curve=("ROC", "PR", "PRGAIN"), multi_label=BOOLS, num_labels=(None, 3), label_weights=None),
    product(multi_label=(True,), num_labels=(4,)),
    product(num_thresholds=None, edge=("bucket_edges", "at_threshold")),
    product(from_logits=BOOLS, edge=(None, "nan", "probs_0_1")),
    product(multi_label=(True,), shape=None),
)
_AUC_REFUSED = {"num_thresholds": BAD_AUC_THRESHOLDS, "curve": ("AUC", "roc_curve"),
                "summation_method": ("trapezoidal", "MINORING")}
_CONFUSION_EDGES = ("at_threshold", "probs_0_1", "soft_labels", "nan")
_PR_BLOCKS = (product(top_k=None, class_id=None, thresholds=(None, 0.3, (0.25, 0.5, 0.75))),
              product(top_k=None, edge=(None, "topk_ties")))

TARGETS = (
    # Reduction
    metric("Mean", "values", {}, ("B", "Bx3", "Bx2x3"), ("nan", "inf"), LARGE),
    metric("Sum", "values", {}, ("B", "Bx3", "Bx2x3"), ("nan", "inf")),
    wrapper("mean_squared_error", "regression", {}, ("Bx3", "B")),
    wrapper("huber", "regression", {"delta": (1.0, 0.5, 2.0)}, ("Bx3",)),
    wrapper("binary_accuracy", "scored", {"threshold": (0.5, 0.3, 0.7)}, ("Bx3",), ("at_threshold",), reduces=()),
    wrapper("sparse_categorical_crossentropy", "labels", _WRAPPER_SCCE, ("Bx3", "Bx2x3"), forms=LABEL_FORMS,
            blocks=(product(ignore_class=None, sample_weight=("absent", "per_sample", "zeros")),)),
    wrapper("categorical_crossentropy", "onehot", {"from_logits": BOOLS, "label_smoothing": (0.0, 0.1, 0.5)}, ("Bx3",)),
    # Accuracy
    metric("Accuracy", "matches", {}, REAL_SHAPES),
    metric("BinaryAccuracy", "scored", {"threshold": THRESHOLD + (1.5, -0.5)}, SCORED_SHAPES,
           ("at_threshold", "probs_0_1", "nan"), (product(threshold=None, edge=(None, "at_threshold")),)),
    metric("CategoricalAccuracy", "onehot", {}, CLASS_SHAPES, ("topk_ties", "nan"), reduces=None),
    metric("SparseCategoricalAccuracy", "labels", {}, CLASS_SHAPES, ("topk_ties", "label_out_of_range", "nan"),
           forms=LABEL_FORMS, reduces=None),
    metric("TopKCategoricalAccuracy", "onehot", {"k": K}, TOPK_SHAPES, ("topk_ties", "nan"),
           (product(k=None, edge=(None, "topk_ties")),), reduces=None),
    metric("SparseTopKCategoricalAccuracy", "labels", {"k": K, "from_sorted_ids": BOOLS}, TOPK_SHAPES,
           ("topk_ties", "label_out_of_range", "nan"),
           (product(k=None, from_sorted_ids=None, edge=(None, "topk_ties")),
            product(from_sorted_ids=(True,), y_true=None)),
           forms=LABEL_FORMS, reduces=None,
           exclude=({"from_sorted_ids": True, "edge": "nan"}, {"from_sorted_ids": True, "edge": "topk_ties"})),
    # Confusion matrix
    *(metric(name, "scored", {"thresholds": THRESHOLDS}, SCORED_SHAPES, _CONFUSION_EDGES,
             (product(thresholds=None, edge=(None, "at_threshold")),), {"thresholds": BAD_THRESHOLDS},
             mixed=ELEMENT_MIXED)
      for name in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives")),
    *(metric(name, "scored", {"thresholds": THRESHOLDS, "top_k": TOP_K, "class_id": CLASS_ID}, SCORED_SHAPES,
             ("at_threshold", "topk_ties", "probs_0_1", "nan"), _PR_BLOCKS, {"thresholds": BAD_THRESHOLDS},
             mixed=CLASS_MIXED)
      for name in ("Precision", "Recall")),
    at_value("SensitivityAtSpecificity", "specificity"),
    at_value("SpecificityAtSensitivity", "sensitivity"),
    at_value("PrecisionAtRecall", "recall"),
    at_value("RecallAtPrecision", "precision"),
    metric("AUC", "scored", _AUC_OWN, SCORED_SHAPES, ("at_threshold", "bucket_edges", "probs_0_1", "soft_labels", "nan"),
           _AUC_BLOCKS + LARGE, _AUC_REFUSED, unpaired=("multi_label", "num_labels", "label_weights"), mixed=ELEMENT_MIXED),
    # IoU
    iou("IoU", {"num_classes": NUM_CLASSES, "target_class_ids": TARGET_IDS, "ignore_class": IGNORE,
                "sparse_y_true": BOOLS[::-1], "sparse_y_pred": BOOLS[::-1], "axis": IOU_AXES}),
    iou("MeanIoU", {"num_classes": NUM_CLASSES, "ignore_class": IGNORE, "sparse_y_true": BOOLS[::-1],
                    "sparse_y_pred": BOOLS[::-1], "axis": IOU_AXES}, blocks=LARGE),
    iou("OneHotIoU", {"num_classes": NUM_CLASSES, "target_class_ids": TARGET_IDS, "ignore_class": IGNORE,
                      "sparse_y_pred": BOOLS, "axis": IOU_AXES}, sparse_y_true=False),
    iou("OneHotMeanIoU", {"num_classes": NUM_CLASSES, "ignore_class": IGNORE, "sparse_y_pred": BOOLS,
                          "axis": IOU_AXES}, sparse_y_true=False),
    metric("BinaryIoU", "iou", {"target_class_ids": TARGET_IDS, "threshold": BINARY_IOU_THRESHOLD}, SCORED_SHAPES,
           ("at_threshold", "empty_class", "probs_0_1"), (product(threshold=None, edge=(None, "at_threshold")),),
           dtypes=IOU_DTYPES, binary=True, mixed=ELEMENT_MIXED),
    # Scores
    fscore("F1Score", {"average": AVERAGES, "threshold": F_THRESHOLD}),
    fscore("FBetaScore", {"average": AVERAGES, "beta": BETAS, "threshold": F_THRESHOLD}),
    metric("R2Score", "regression", {"class_aggregation": AGGREGATIONS, "num_regressors": REGRESSORS},
           ("Bx3", "Bx1"), ("constant_rows", "nan"),
           (product(class_aggregation=None, num_regressors=None), product(shape=("B", "Bx2x3"))),
           {"class_aggregation": ("mean",), "num_regressors": (-1,)}),
    # Regression
    regression("MeanSquaredError", "regression", ("large_errors",), blocks=LARGE),
    regression("MeanAbsoluteError", "regression", ("large_errors",)),
    regression("MeanAbsolutePercentageError", "regression", ("yt_zero",)),
    regression("MeanSquaredLogarithmicError", "nonneg", ("negatives",)),
    regression("RootMeanSquaredError", "regression", ("large_errors",), reduces=()),
    regression("LogCoshError", "regression", ("large_errors",)),
    regression("CosineSimilarity", "regression", ("zero_vector",), own={"axis": COSINE_AXES}, shapes=("Bx3", "Bx2x3"),
               blocks=(product(axis=None, edge=(None, "zero_vector")),)),
    # Hinge and probabilistic
    regression("Hinge", "hinge", ("labels_pm1", "labels_mixed")),
    regression("SquaredHinge", "hinge", ("labels_pm1", "labels_mixed")),
    regression("CategoricalHinge", "cat_hinge", ("labels_pm1",), shapes=CLASS_SHAPES),
    regression("KLDivergence", "dist", ("yt_zero_row",), shapes=CLASS_SHAPES),
    regression("Poisson", "rates", ("negative_preds", "zero_preds")),
    # Correlation
    *(regression(name, "regression", ("constant_rows",), own={"axis": CORRELATION_AXES}, shapes=("Bx4", "Bx3x4"),
                 blocks=(product(axis=None, edge=(None, "constant_rows")),))
      for name in ("PearsonCorrelation", "ConcordanceCorrelation")),
)

# Id segments of the metric arguments (catalogue.SEGMENTS), in this order after the loss arguments.
SEGMENTS = (
    ("threshold", "thr"), ("thresholds", "thr"), ("top_k", "top_k"), ("class_id", "class"), ("k", "k"),
    ("num_thresholds", "T"), ("curve", "curve"), ("summation_method", "sum"), ("num_labels", "labels"),
    ("label_weights", "lw"), ("num_classes", "nc"), ("target_class_ids", "tc"), ("average", "avg"),
    ("class_aggregation", "agg"), ("num_regressors", "regressors"),
    *((key, key) for key in ("specificity", "sensitivity", "recall", "precision")),
)
# Boolean arguments: id word when true, when false.
FLAGS = (
    ("from_sorted_ids", "sorted_ids", "scores"), ("multi_label", "multi_label", "single_label"),
    ("sparse_y_true", "yt_sparse", "yt_dense"), ("sparse_y_pred", "yp_sparse", "yp_dense"),
)

# --------------------------------------------------------------------------
# Doc examples: literal data from the Keras 3.15.1 docstrings
# --------------------------------------------------------------------------

_SRC = "keras.metrics.{} docstring"
_T2 = [[0, 1], [0, 0]]
_P2 = [[0.6, 0.4], [0.4, 0.6]]
_R2 = [[1, 1], [0, 0]]
_W10 = [1, 0]
_SENS_T = [0, 0, 0, 1, 1]
_SENS_P = [0, 0.3, 0.8, 0.3, 0.8]
_AUC_T = [0, 0, 1, 1]
_AUC_P = [0, 0.5, 0.3, 0.9]
_CAT_T = [[0, 0, 1], [0, 1, 0]]
_CAT_P = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]
_CAT_W = [0.7, 0.3]
_ONEHOT_T = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]], np.int32)
_ONEHOT_P = np.array([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]])
_ONEHOT_W = [0.1, 0.2, 0.3, 0.4]
_F_T = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
_F_P = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
_CORR_T = [[0, 1, 0.5], [1, 1, 0.2]]
_CORR_P = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]]


def _two(name, y_true, y_pred, weight, kwargs=None, note=""):
    """The usual docstring pattern: update, result, reset, weighted update, result."""
    return Doc("metric", name, kwargs or {}, ((y_true, y_pred, None), "reset", (y_true, y_pred, weight)),
               _SRC.format(name) + note)


def _one(name, y_true, y_pred, kwargs=None, note="", weight=None):
    """A single update."""
    return Doc("metric", name, kwargs or {}, ((y_true, y_pred, weight),), _SRC.format(name) + note)


DOC_EXAMPLES = (
    _two("Mean", [], [1, 3, 5, 7], [1, 1, 0, 0]),
    _one("Sum", [], [1, 3, 5, 7]),
    _one("Sum", [], [1, 3, 5, 7], weight=[1, 1, 0, 0], note=", sample_weight"),
    _two("Accuracy", [[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]),
    _two("BinaryAccuracy", [[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]),
    _two("CategoricalAccuracy", _CAT_T, [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], _CAT_W),
    _two("SparseCategoricalAccuracy", [[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], _CAT_W),
    _two("TopKCategoricalAccuracy", _CAT_T, _CAT_P, _CAT_W, {"k": 1}),
    _two("SparseTopKCategoricalAccuracy", [2, 1], _CAT_P, _CAT_W, {"k": 1}),
    _one("SparseTopKCategoricalAccuracy", np.array([2, 1], np.int32), np.array([[1, 0, 3], [1, 2, 3]], np.int32),
         {"k": 1, "from_sorted_ids": True}, ", from_sorted_ids"),
    _two("TruePositives", [0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]),
    _two("FalsePositives", [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]),
    _two("TrueNegatives", [0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0]),
    _two("FalseNegatives", [0, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0]),
    _two("Precision", [0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]),
    _one("Precision", [0, 0, 1, 1], [1, 1, 1, 1], {"top_k": 2}, ", top_k=2"),
    _one("Precision", [0, 0, 1, 1], [1, 1, 1, 1], {"top_k": 4}, ", top_k=4"),
    _two("Recall", [0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]),
    _two("SensitivityAtSpecificity", _SENS_T, _SENS_P, [1, 1, 2, 2, 1], {"specificity": 0.5}),
    _two("SpecificityAtSensitivity", _SENS_T, _SENS_P, [1, 1, 2, 2, 2], {"sensitivity": 0.5}),
    _two("PrecisionAtRecall", _SENS_T, _SENS_P, [2, 2, 2, 1, 1], {"recall": 0.5}),
    _two("RecallAtPrecision", _AUC_T, _AUC_P, [1, 0, 0, 1], {"precision": 0.8}),
    _two("AUC", _AUC_T, _AUC_P, [1, 0, 0, 1], {"num_thresholds": 3}),
    # The IoU family as written (integer default dtype: the fractional weights truncate to 0), and
    # with dtype="float32", which gives the docstrings' weighted results.
    *(example for dtype, note in ((OMIT, ""), ("float32", ", dtype=float32")) for example in (
        _two("IoU", [0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1],
             {"num_classes": 2, "target_class_ids": (0,), "dtype": dtype}, note),
        _two("MeanIoU", [0, 0, 1, 1], [0, 1, 0, 1], [0.3, 0.3, 0.3, 0.1], {"num_classes": 2, "dtype": dtype}, note),
        _two("BinaryIoU", [0, 1, 0, 1], [0.1, 0.2, 0.4, 0.7], [0.2, 0.3, 0.4, 0.1],
             {"target_class_ids": (0, 1), "threshold": 0.3, "dtype": dtype}, note),
        _one("OneHotIoU", _ONEHOT_T, _ONEHOT_P, {"num_classes": 3, "target_class_ids": (0, 2), "dtype": dtype}, note,
             _ONEHOT_W),
        _one("OneHotMeanIoU", _ONEHOT_T, _ONEHOT_P, {"num_classes": 3, "dtype": dtype}, note, _ONEHOT_W),
    )),
    _one("F1Score", _F_T, _F_P, {"threshold": 0.5}),
    _one("FBetaScore", _F_T, _F_P, {"beta": 2.0, "threshold": 0.5}),
    _one("R2Score", np.array([[1], [4], [3]], np.float32), np.array([[2], [4], [4]], np.float32)),
    _one("MeanSquaredError", _T2, _R2),
    _two("MeanAbsoluteError", _T2, _R2, _W10),
    _two("MeanAbsolutePercentageError", _T2, _R2, _W10),
    _two("MeanSquaredLogarithmicError", _T2, _R2, _W10),
    _two("RootMeanSquaredError", _T2, _R2, _W10),
    _two("LogCoshError", _T2, _R2, _W10),
    _two("CosineSimilarity", [[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], [0.3, 0.7], {"axis": 1}),
    _two("Hinge", _T2, _P2, _W10),
    _two("SquaredHinge", _T2, _P2, _W10),
    _two("CategoricalHinge", _T2, _P2, _W10),
    _two("KLDivergence", _T2, _P2, _W10),
    _two("Poisson", _T2, _R2, _W10),
    _one("PearsonCorrelation", _CORR_T, _CORR_P, {"axis": -1}),
    _one("ConcordanceCorrelation", _CORR_T, _CORR_P, {"axis": -1}),
)

"""The catalogue of every Keras loss outside the crossentropy family.

Each loss appears twice: its class (kind "loss", with reduction, sample weight
and the loss dtype) and its plain function (kind "function", dtype = input
dtype). ``pair`` builds both from one description; what differs between class
and function (Circle's reference arrays, GCE's required q) is spelled out.

These targets come after the crossentropy family and its docstring examples
in serial order (catalogue.GROUPS), so adding them left every earlier id as it
was. Targets here have no from_logits axis and list their edge tags
explicitly (inputs.EDGES documents each tag).
"""

from spec import ALL_PAIRS, BAD_REDUCTIONS, DTYPES, OMIT, REDUCTIONS, WEIGHTS, Block, Doc, Target, large

# --------------------------------------------------------------------------
# Axis values (first value = Keras default)
# --------------------------------------------------------------------------

DENSE_FORMS = ("dense", "dense_col", "dense_flat")
REFUSED_FORMS = ("dense_mismatch",)  # only in the y_true x shape product: every case of it is an error
SPARSE_FORMS = ("sparse", "sparse_col")
COSINE_AXES = (-1, 1, 0)
MAP_AXES = (None, -1, (1, 2), (1, 2, 3))
DELTAS = (1.0, 0.5, 2.0, 0.0)
TVERSKY_ALPHAS = (0.5, 0.3, 0.7, 1.0)
TVERSKY_BETAS = (0.5, 0.7, 0.3, 0.0)
CIRCLE_GAMMAS = (80.0, 32.0, 256.0)
CIRCLE_FN_GAMMAS = (80,) + CIRCLE_GAMMAS[1:]  # the function's default is the int 80
MARGINS = (0.4, 0.25, 0.0)
DIAGONAL = (True, False)
REFS = (None, "given")  # circle(): ref_labels / ref_embeddings left out, or passed
GCE_Q = (0.5, 0.01, 0.99, 0.25)
BAD_Q = (0.0, 1.0, -0.5, 1.5)  # outside (0, 1): the class refuses them
NAMES = (OMIT, "custom", "my_loss_2")  # the default name, or another (no effect on values; "" would get an auto-numbered name)

REAL_SHAPES = ("4x3", "1x3", "4x1", "6", "2x3x4", "2x2x3x4", "0x3", "4x5x1")  # 4x5x1: timestep (B,T,1)
CAT_SHAPES = ("4x3", "1x3", "5x2", "6", "2x3x4", "2x2x3x4", "0x3")
MAP_SHAPES = ("4x3", "1x3", "4x1", "6", "2x4x4x3", "2x3x4", "0x3")
CTC_SHAPES = ("4x8x5", "1x6x3", "2x5x4", "3x1x3", "0x6x4", "2x12x6")
EMBEDDING_SHAPES = ("6x4", "8x3", "1x4", "2x4", "0x4", "4x1")
GCE_SHAPES = ("4x3", "1x3", "5x2", "0x3", "2x3x4")

# Shapes of the reduction x sample_weight product, and of the y_true rank-alignment product.
REAL_WEIGHT_SHAPES = ("4x3", "4x5x1")
CAT_WEIGHT_SHAPES = ("4x3", "2x3x4")
MAP_WEIGHT_SHAPES = ("4x3", "2x4x4x3")
FORM_SHAPES = ("4x3", "4x1", "6", "2x3x4", "4x5x1")
CAT_FORM_SHAPES = ("4x3", "6", "2x3x4")

NAN_INF = ("nan", "inf")


# --------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------

def loss_blocks(weight_shapes, forms, form_shapes):
    """The blocks every loss class gets. A block naming an axis the target lacks ignores it."""
    return (
        ALL_PAIRS,
        Block("product", {"reduction": REDUCTIONS, "sample_weight": WEIGHTS, "shape": weight_shapes}),
        Block("product", {"dtype": DTYPES, "edge": None}),
        Block("product", {"shape": None, "dtype": ("float32", "float16")}),
        Block("product", {"y_true": forms, "shape": form_shapes}),
        Block("product", {"reduction": BAD_REDUCTIONS}),
        Block("product", {"dtype": (None,)}),  # dtype=None: floatx
    )


def function_blocks(forms, form_shapes):
    """The blocks every plain function gets."""
    return (
        ALL_PAIRS,
        Block("product", {"dtype": DTYPES, "edge": None}),
        Block("product", {"shape": None}),
        Block("product", {"y_true": forms, "shape": form_shapes}),
    )


def pair(cls, fn, family, own, shapes, edges, y_true=DENSE_FORMS, refused=REFUSED_FORMS,
         weight_shapes=REAL_WEIGHT_SHAPES, form_shapes=FORM_SHAPES, blocks=(), fn_own=None, fn_blocks=None,
         loss_extra=(), **target):
    """The class target and the function target of one loss.

    ``y_true`` are the y_true forms of the target's axis, ``refused`` forms
    are added only in the y_true x shape product (they always raise).
    ``own`` maps the loss's own arguments to their values (constructor order);
    ``fn_own`` overrides them for the function; ``blocks`` go to both,
    ``fn_blocks`` (default ``blocks``) to the function only, ``loss_extra``
    to the class only. ``target`` passes options/reduces through.
    """
    fn_own = own if fn_own is None else fn_own
    tail = {"y_true": y_true} if y_true else {}
    tail.update(shape=shapes, edge=(None,) + edges)
    loss_axes = {**own, "reduction": REDUCTIONS, "name": NAMES, "sample_weight": WEIGHTS, "dtype": DTYPES, **tail}
    fn_axes = {**fn_own, "dtype": DTYPES, **tail}
    fn_kwargs = tuple(k for k in fn_own if k != "ref")
    forms = (y_true or ()) + refused
    return (
        Target("loss", cls, family, tuple(own) + ("reduction", "name", "dtype"), loss_axes,
               loss_blocks(weight_shapes, forms, form_shapes) + blocks + loss_extra, **target),
        Target("function", fn, family, fn_kwargs, fn_axes,
               function_blocks(forms, form_shapes) + (blocks if fn_blocks is None else fn_blocks), **target),
    )


def product(**axes):
    """A product block over the named axes (None = the target's own values)."""
    return Block("product", axes)


_HUBER = (product(delta=None, edge=(None, "error_eq_delta", "large_errors")),)
_COSINE = (product(axis=None, shape=("4x3", "2x3x4", "2x2x3x4"), edge=(None, "zero_vector")),)
_MAP = (
    product(axis=None, reduction=REDUCTIONS, shape=("2x4x4x3", "4x3")),
    product(axis=None, sample_weight=WEIGHTS, shape=("2x4x4x3",)),
    product(axis=None, edge=None, shape=("2x4x4x3", "4x3")),
)
_TVERSKY = (product(alpha=None, beta=None), product(alpha=None, beta=None, axis=((1, 2, 3),), shape=("2x4x4x3",)))
_CIRCLE = (
    product(gamma=None, margin=None, remove_diagonal=None),
    product(remove_diagonal=None, edge=None, shape=("6x4", "2x4", "1x4")),
)
_CIRCLE_FN = _CIRCLE + (product(ref=None, remove_diagonal=None, edge=None), product(ref=None, shape=None))
_GCE = (product(q=None, y_true=None, shape=("4x3", "2x3x4")), product(q=None, edge=None))
_CTC = (product(shape=None, edge=None),)

# --------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------

TARGETS = (
    *pair("MeanSquaredError", "mean_squared_error", "real", {}, REAL_SHAPES, NAN_INF + ("large_errors",),
          loss_extra=large("512x100")),
    *pair("MeanAbsoluteError", "mean_absolute_error", "real", {}, REAL_SHAPES, NAN_INF + ("large_errors",)),
    *pair("MeanAbsolutePercentageError", "mean_absolute_percentage_error", "real", {}, REAL_SHAPES,
          ("yt_zero",) + NAN_INF),
    *pair("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", "positive", {}, REAL_SHAPES,
          ("negatives",) + NAN_INF),
    *pair("CosineSimilarity", "cosine_similarity", "real", {"axis": COSINE_AXES}, REAL_SHAPES,
          ("zero_vector",) + NAN_INF, blocks=_COSINE),
    *pair("Huber", "huber", "real", {"delta": DELTAS}, REAL_SHAPES,
          ("error_eq_delta", "large_errors") + NAN_INF, blocks=_HUBER),
    *pair("LogCosh", "log_cosh", "real", {}, REAL_SHAPES, ("large_errors",) + NAN_INF),
    *pair("Hinge", "hinge", "signs", {}, REAL_SHAPES, ("labels_pm1", "labels_mixed") + NAN_INF),
    *pair("SquaredHinge", "squared_hinge", "signs", {}, REAL_SHAPES, ("labels_pm1", "labels_mixed") + NAN_INF),
    *pair("CategoricalHinge", "categorical_hinge", "scores", {}, CAT_SHAPES,
          ("labels_pm1", "soft_labels", "logits_100") + NAN_INF,
          weight_shapes=CAT_WEIGHT_SHAPES, form_shapes=CAT_FORM_SHAPES),
    *pair("KLDivergence", "kl_divergence", "distribution", {}, CAT_SHAPES,
          ("yt_zero_row", "probs_0_1", "zero_row") + NAN_INF,
          weight_shapes=CAT_WEIGHT_SHAPES, form_shapes=CAT_FORM_SHAPES),
    *pair("Poisson", "poisson", "counts", {}, REAL_SHAPES, ("negative_preds", "zero_preds") + NAN_INF),
    *pair("CTC", "ctc", "ctc", {}, CTC_SHAPES, ("label_zero_inside", "infeasible"), y_true=None,
          weight_shapes=("4x8x5",), form_shapes=(), blocks=_CTC, reduces=(1, 2)),
    *pair("Dice", "dice", "mask", {"axis": MAP_AXES}, MAP_SHAPES, ("empty_mask",) + NAN_INF,
          weight_shapes=MAP_WEIGHT_SHAPES, blocks=_MAP, loss_extra=large("2x64x64x3")),
    *pair("Tversky", "tversky", "mask", {"alpha": TVERSKY_ALPHAS, "beta": TVERSKY_BETAS, "axis": MAP_AXES},
          MAP_SHAPES, ("empty_mask",) + NAN_INF, weight_shapes=MAP_WEIGHT_SHAPES, blocks=_MAP + _TVERSKY),
    *pair("Circle", "circle", "embedding",
          {"gamma": CIRCLE_GAMMAS, "margin": MARGINS, "remove_diagonal": DIAGONAL}, EMBEDDING_SHAPES,
          ("no_positives", "no_negatives", "nan"), y_true=None, weight_shapes=("6x4",), form_shapes=(),
          blocks=_CIRCLE, fn_blocks=_CIRCLE_FN,
          fn_own={"ref": REFS, "remove_diagonal": DIAGONAL, "gamma": CIRCLE_FN_GAMMAS, "margin": MARGINS}),
    *pair("CategoricalGeneralizedCrossEntropy", "categorical_generalized_cross_entropy", "sparse",
          {"q": GCE_Q}, GCE_SHAPES, ("probs_0_1", "zero_row", "label_out_of_range", "nan"), y_true=SPARSE_FORMS, refused=(),
          weight_shapes=("4x3",), form_shapes=("4x3",), blocks=_GCE, loss_extra=(product(q=BAD_Q),),
          fn_own={"q": GCE_Q + BAD_Q + (OMIT,)}),
)

# --------------------------------------------------------------------------
# Doc examples: literal data from the Keras 3.15.1 docstrings (the function
# docstrings with np.random inputs cannot be reproduced and are left out)
# --------------------------------------------------------------------------

_DICE_T = [[[[1.0], [1.0]], [[0.0], [0.0]]], [[[1.0], [1.0]], [[0.0], [0.0]]]]
_DICE_P = [[[[0.0], [1.0]], [[0.0], [1.0]]], [[[0.4], [0.0]], [[0.0], [0.9]]]]
_CLS = "keras.losses.{} docstring"


def _doc(kind, name, kwargs, y_true, y_pred, note=""):
    """One single-call docstring example."""
    return Doc(kind, name, kwargs, ((y_true, y_pred, None),), _CLS.format(name) + note)


DOC_EXAMPLES = (
    _doc("loss", "MeanSquaredError", {}, [1.0, 0.0, 1.0], [0.9, 0.1, 0.8]),
    _doc("loss", "MeanAbsoluteError", {}, [1.0, 0.3, 1.0], [1.9, 0.3, 1.8]),
    _doc("loss", "MeanAbsolutePercentageError", {}, [100.0, 200.0, 300.0], [90.0, 210.0, 310.0]),
    _doc("loss", "Dice", {"axis": (1, 2, 3), "reduction": None}, _DICE_T, _DICE_P, ", axis=(1, 2, 3)"),
    _doc("loss", "Dice", {}, _DICE_T, _DICE_P, ", defaults"),
    _doc("loss", "CategoricalGeneralizedCrossEntropy", {}, [0, 1, 0, 1],
         [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]),
    _doc("function", "cosine_similarity", {"axis": -1}, [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]],
         [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0]]),
    _doc("function", "huber", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]),
    _doc("function", "log_cosh", {}, [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]),
    _doc("function", "dice", {"axis": (1, 2, 3)}, _DICE_T, _DICE_P, ", axis=(1, 2, 3)"),
    _doc("function", "dice", {}, _DICE_T, _DICE_P, ", defaults"),
)

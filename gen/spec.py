"""The vocabulary of the catalogue: targets, blocks, docstring examples and shared axes.

catalogue.py (the crossentropy family and case building) and catalogue_losses.py
(every other loss) both describe their targets with these types.
"""

from dataclasses import dataclass, field

# --------------------------------------------------------------------------
# Axis values shared by every family (first value = Keras default)
# --------------------------------------------------------------------------

BOOLS = (False, True)
REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none")
BAD_REDUCTIONS = ("auto", "mean_over_batch")
WEIGHTS = ("absent", "scalar", "per_sample", "per_sample_col", "per_element", "zeros", "negative")
DTYPES = ("float32", "float64", "bfloat16", "float16")
# Metric streams: the weight form of every update ("mixed" cycles through forms), the input arrays' dtype.
STREAM_WEIGHTS = ("mixed",) + WEIGHTS
INPUT_DTYPES = ("float32", "float64")
# An axis value that means "do not pass this keyword argument at all".
OMIT = "omitted"


@dataclass(frozen=True)
class Block:
    """How to combine axes: mode 'pairs' or 'product' over ``axes``.

    ``axes`` maps axis name to values, or to None for the target's own list.
    An empty ``axes`` means every axis of the target.
    """
    mode: str
    axes: dict = field(default_factory=dict)


ALL_PAIRS = Block("pairs")


@dataclass(frozen=True)
class Target:
    """A Keras class or function and the axes its cases vary.

    ``options`` are fixed input-builder options (e.g. CategoricalHinge gets
    unbounded scores: ``{"from_logits": True}``); ``reduces`` names the y_pred
    axes the per-sample value reduces when that is not the ``axis`` argument
    (CTC reduces time and classes: ``(1, 2)``).
    """
    kind: str            # loss | metric | function
    name: str            # Keras class or function name
    family: str          # input builder family (inputs.FAMILIES / inputs.SPECIAL)
    kwargs: tuple        # axes that are constructor / function keyword arguments
    axes: dict           # axis -> values, first = default
    blocks: tuple
    options: dict = field(default_factory=dict)
    reduces: tuple = None


@dataclass(frozen=True)
class Doc:
    """One docstring example: an object built with ``kwargs`` and its steps.

    A step is (y_true, y_pred, sample_weight or None), or the string "reset".
    """
    kind: str
    name: str
    kwargs: dict
    steps: tuple
    source: str


def large(shape, from_logits=None, **extra):
    """A block with one large case (summation order); from_logits only for targets that have it."""
    axes = {"shape": (shape,)}
    if from_logits is not None:
        axes["from_logits"] = (from_logits,)
    axes.update({k: (v,) for k, v in extra.items()})
    return (Block("product", axes),)

"""Combinatorial helpers: all-pairs (pairwise) and full products of parameter axes.

An axis set is a dict ``name -> tuple of values``. A combination is a dict
``name -> value``. A validity predicate receives a *partial* combination (only
some axes assigned) and must return False only when the assigned values can
never appear together; unknown keys must be treated as acceptable.

Both functions are deterministic: same axes, same predicate, same output.
"""

from itertools import combinations, product


def product_of(axes, valid=lambda combo: True):
    """Every combination of the axes' values that the predicate accepts."""
    names = list(axes)
    out = []
    for values in product(*(axes[n] for n in names)):
        combo = dict(zip(names, values))
        if valid(combo):
            out.append(combo)
    return out


def _pairs_of(names, axes, valid):
    """Every valid (axis, value-index) pair of pairs, as a set of index tuples."""
    pairs = set()
    for a, b in combinations(range(len(names)), 2):
        for i, va in enumerate(axes[names[a]]):
            for j, vb in enumerate(axes[names[b]]):
                if valid({names[a]: va, names[b]: vb}):
                    pairs.add(((a, i), (b, j)))
    return pairs


def _gain(assigned, axis, index, uncovered):
    """How many uncovered pairs setting ``axis`` to ``index`` would cover."""
    gain = 0
    for other, oi in assigned.items():
        key = ((other, oi), (axis, index)) if other < axis else ((axis, index), (other, oi))
        gain += key in uncovered
    return gain


def all_pairs(axes, valid=lambda combo: True):
    """A small set of combinations covering every valid pair of axis values.

    Greedy: seed each new combination with the smallest uncovered pair, then fill
    the remaining axes one by one with the value that covers the most uncovered
    pairs (ties go to the earlier value, so the axes' first values, their
    defaults, are preferred). Pairs that no valid full combination can hold are
    dropped instead of looping forever.
    """
    names = list(axes)
    if len(names) < 2:
        return product_of(axes, valid)
    uncovered = _pairs_of(names, axes, valid)
    out = []
    while uncovered:
        (a, i), (b, j) = min(uncovered)
        assigned = {a: i, b: j}
        for axis in range(len(names)):
            if axis in assigned:
                continue
            best, best_gain = None, -1
            for index in range(len(axes[names[axis]])):
                trial = {names[k]: axes[names[k]][v] for k, v in assigned.items()}
                trial[names[axis]] = axes[names[axis]][index]
                if not valid(trial):
                    continue
                gain = _gain(assigned, axis, index, uncovered)
                if gain > best_gain:
                    best, best_gain = index, gain
            if best is None:
                break
            assigned[axis] = best
        uncovered.discard(((a, i), (b, j)))
        if len(assigned) < len(names):
            continue
        for (x, xi), (y, yi) in combinations(sorted(assigned.items()), 2):
            uncovered.discard(((x, xi), (y, yi)))
        out.append({names[k]: axes[names[k]][v] for k, v in sorted(assigned.items())})
    return out

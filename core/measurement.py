"""Measurement: from survey answers to the standardized factor scores the models use.

Issue scope so far: the documented mapping of the two safety items to the safety factor score
(section 4 of the paper), built only from published numbers (Table 1a loadings, Table 1b item
means and SDs).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from . import published
from .errors import InputError

SAFETY_ITEMS = ("item01", "item02")  # fear on return (1-5), safe in origin country (1-7)


@dataclass(frozen=True)
class FactorScoreMap:
    """Linear map from item answers to a standardized one-factor score.

    score = sum_j w_j * (x_j - mean_j) / sd_j / SD, with w_j the Table 1a loadings, mean_j and sd_j
    from Table 1b, and SD the standard deviation of the weighted sum implied by the one-factor
    principal-component solution (inter-item r = sum of squared loadings - 1 for two items).
    """

    factor: str
    items: tuple[str, ...]
    weights: tuple[float, ...]
    means: tuple[float, ...]
    sds: tuple[float, ...]
    ranges: tuple[tuple[int, int], ...]
    implied_r: float
    composite_sd: float

    def score(self, *answers: float) -> float:
        if len(answers) != len(self.items):
            raise InputError(f"The {self.factor} score needs {len(self.items)} answers, got {len(answers)}.")
        total = 0.0
        for item, x, w, m, s, (lo, hi) in zip(self.items, answers, self.weights, self.means, self.sds, self.ranges):
            if not (isinstance(x, (int, float)) and math.isfinite(x)) or not lo <= x <= hi:
                raise InputError(f"The answer to {item} must be a number from {lo} to {hi}; got {x!r}.")
            total += w * (x - m) / s
        return total / self.composite_sd


def safety_map() -> FactorScoreMap:
    """The safety map from Table 1a/1b (two items, loadings 0.86 and 0.86)."""
    load = published.table("loadings").set_index("item")
    weights = tuple(float(load.loc[i, "loading"]) for i in SAFETY_ITEMS)
    rows = [published.descriptive(i, "Table 1b") for i in SAFETY_ITEMS]
    # Principal components on two items: eigenvalue = 1 + r = sum of squared loadings.
    implied_r = sum(w * w for w in weights) - 1.0
    var = sum(w * w for w in weights) + 2 * weights[0] * weights[1] * implied_r
    return FactorScoreMap(
        factor="safety", items=SAFETY_ITEMS, weights=weights,
        means=tuple(float(r["mean"]) for r in rows), sds=tuple(float(r["sd"]) for r in rows),
        ranges=tuple((int(r["min"]), int(r["max"])) for r in rows),
        implied_r=implied_r, composite_sd=math.sqrt(var),
    )


def safety_from_items(fear: float, safe: float) -> float:
    """Safety factor score (SD units, higher = safer) from item01 (fear, 1-5) and item02 (safe, 1-7)."""
    return safety_map().score(fear, safe)

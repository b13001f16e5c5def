"""Three-way verdicts for a relation between printed numbers, from the rounding of each number (issue 8).

A printed number stands for an interval: 1.68 for [1.675, 1.685). A relation (Exp(B) = exp(B), an
eigenvalue = the sum of squared loadings, a worked example = the logistic of Table 3 and Table 2) holds
or not depending on where in their intervals the true values lay. Each check is judged three ways:

- ``expected``: the printed value lies inside the central 95% of what the relation implies when every
  printed input carries an independent rounding error, uniform over its interval (simulated);
- ``worst_case``: it is reachable only with the rounding errors lined up (inside the worst-case range,
  found at the corners of the box of intervals, outside the central 95%);
- ``inconsistent``: not reachable with any rounding.

Relations are monotone in each input over these small intervals, so the worst case lies at a corner.
The simulation is seeded: the same verdicts on every run and machine.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

VERDICTS = ("expected", "worst_case", "inconsistent")
DRAWS = 20000
CENTRAL = (0.025, 0.975)


@dataclass(frozen=True)
class Printed:
    """A printed number and the half-width of its rounding interval (0 for an exact count)."""

    value: float
    half: float = 0.0

    @staticmethod
    def of(text_value: float, decimals: int) -> "Printed":
        return Printed(float(text_value), 0.5 * 10.0 ** (-decimals))


@dataclass(frozen=True)
class Judgement:
    verdict: str
    implied: float          # the relation at the printed inputs
    central_low: float      # central 95% of the implied value under independent rounding errors
    central_high: float
    worst_low: float        # worst-case range (corners)
    worst_high: float
    target_low: float       # the printed target's rounding interval
    target_high: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _corners(fn: Callable, values: np.ndarray, halves: np.ndarray) -> tuple[float, float]:
    """Min and max of ``fn`` over the box, at the corners picked by the sign of each partial effect."""
    k = len(values)
    signs = np.zeros(k)
    for j in range(k):
        if halves[j] == 0:
            continue
        up, down = values.copy(), values.copy()
        up[j] += halves[j]
        down[j] -= halves[j]
        signs[j] = np.sign(float(fn(*up)) - float(fn(*down)))
    hi = values + signs * halves
    lo = values - signs * halves
    a, b = float(fn(*lo)), float(fn(*hi))
    return min(a, b), max(a, b)


def _simulate(fn: Callable, values: np.ndarray, halves: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    draws = values + rng.uniform(-1.0, 1.0, (DRAWS, len(values))) * halves
    return np.asarray(fn(*draws.T), dtype=float)


def _spread(fn: Callable, inputs: Sequence[Printed], seed: int) -> tuple[float, float, float, float, float]:
    """(implied at the printed inputs, central 95% low/high, worst-case low/high) of a relation."""
    values = np.array([p.value for p in inputs], dtype=float)
    halves = np.array([p.half for p in inputs], dtype=float)
    c_lo, c_hi = np.quantile(_simulate(fn, values, halves, seed), CENTRAL)
    w_lo, w_hi = _corners(fn, values, halves)
    return float(fn(*values)), float(c_lo), float(c_hi), w_lo, w_hi


def judge(fn: Callable, inputs: Sequence[Printed], target: Printed, seed: int = 0) -> Judgement:
    """Does ``fn(inputs)`` reproduce the printed ``target``? ``fn`` takes one array per input."""
    implied, c_lo, c_hi, w_lo, w_hi = _spread(fn, inputs, seed)
    t_lo, t_hi = target.value - target.half, target.value + target.half
    if t_hi < w_lo - 1e-12 or t_lo > w_hi + 1e-12:
        verdict = "inconsistent"
    elif t_hi >= c_lo and t_lo <= c_hi:
        verdict = "expected"
    else:
        verdict = "worst_case"
    return Judgement(verdict, implied, c_lo, c_hi, w_lo, w_hi, t_lo, t_hi)


def judge_at_least(fn: Callable, inputs: Sequence[Printed], bound: Printed, seed: int = 0) -> Judgement:
    """Is ``fn(inputs) >= bound`` (an inequality, e.g. a printed minimum against the lowest possible
    score)? Expected when the bound is met inside the central 95%, worst case when only at a corner."""
    implied, c_lo, c_hi, w_lo, w_hi = _spread(fn, inputs, seed)
    b_lo, b_hi = bound.value - bound.half, bound.value + bound.half
    if w_hi < b_lo - 1e-12:
        verdict = "inconsistent"
    elif c_hi >= b_lo:
        verdict = "expected"
    else:
        verdict = "worst_case"
    return Judgement(verdict, implied, c_lo, c_hi, w_lo, w_hi, b_lo, b_hi)


def exact(implied: float, printed: float) -> Judgement:
    """Counts and other exact numbers: equal or inconsistent."""
    verdict = "expected" if abs(implied - printed) < 1e-9 else "inconsistent"
    return Judgement(verdict, float(implied), float(implied), float(implied), float(implied), float(implied),
                     float(printed), float(printed))


def within(low: float, high: float, printed: float) -> Judgement:
    """An exact number that must lie in [low, high] (e.g. a factor's N between the bounds its items allow)."""
    verdict = "expected" if low - 1e-9 <= printed <= high + 1e-9 else "inconsistent"
    return Judgement(verdict, float("nan"), float(low), float(high), float(low), float(high), float(printed),
                     float(printed))

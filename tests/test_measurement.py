"""The safety-item mapping (Tables 1a/1b) against the paper's '+1 SD' statement in section 4."""
import math

import pytest

from core import measurement
from core.errors import InputError


def test_map_is_built_from_published_numbers():
    m = measurement.safety_map()
    assert m.weights == (0.86, 0.86)
    assert m.means == (1.4, 1.5) and m.sds == (0.8, 1.3)
    assert m.implied_r == pytest.approx(2 * 0.86 ** 2 - 1)
    assert m.composite_sd == pytest.approx(math.sqrt(2 * 0.86 ** 2 * (1 + m.implied_r)))


def test_step_from_very_afraid_to_afraid_is_about_one_sd():
    # By hand: 0.86 * (1/0.8 + 1/1.3) / sqrt(2 * 0.7396 * 1.4792) = 1.7362 / 1.4792 = 1.1738
    step = measurement.safety_from_items(2, 2) - measurement.safety_from_items(1, 1)
    assert step == pytest.approx(1.1738, abs=1e-3)
    assert 0.75 <= step <= 1.25  # the paper: "about one standard deviation"


def test_orientation_and_monotonicity():
    scores = [measurement.safety_from_items(f, 1) for f in range(1, 6)]
    assert scores == sorted(scores)
    assert measurement.safety_from_items(1, 1) < 0 < measurement.safety_from_items(5, 7)


@pytest.mark.parametrize("fear, safe", [(0, 1), (6, 1), (1, 8), (float("nan"), 1)])
def test_out_of_range_answers(fear, safe):
    with pytest.raises(InputError, match="must be a number from"):
        measurement.safety_from_items(fear, safe)

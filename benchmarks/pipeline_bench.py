"""Pipeline time on the replica, cold and cached, and replica generation time. Prints ratios.

- cold: pipeline.run on the shipped replica (measurement with factor_analyzer, imputation, both models);
- cached: the same call through the app's st.cache_resource wrapper after the first call
  (what a page rerun pays; the pipeline is never recomputed on a slider move);
- generation: replica.generate with the shipped seed (run with --generate; about a minute and a half).
"""
from __future__ import annotations

import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from core import pipeline, replica  # noqa: E402


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(generate: bool = False) -> dict:
    data = replica.load()
    pipeline.run(data)  # import and first-call costs out of the way
    cold = _median_time(lambda: pipeline.run(data), 7)
    from ui.studydata import _replica_result, study_pipeline  # the app's cached entry point

    first = _median_time(lambda: (_replica_result.clear(), study_pipeline()), 3)
    cached = _median_time(study_pipeline, 50)
    out = {"pipeline_cold_s": cold, "pipeline_first_call_s": first, "pipeline_cached_s": cached,
           "ratio_cold_to_cached": cold / cached}
    print(f"pipeline on the replica, cold: {1000 * cold:.0f} ms (median of 7)")
    print(f"through the app cache: first call {1000 * first:.0f} ms, cached {1000 * cached:.3f} ms; "
          f"cold / cached = {cold / cached:.0f}x")
    if generate:
        start = time.perf_counter()
        replica.generate(replica.shipped_seed())
        out["generation_s"] = time.perf_counter() - start
        print(f"replica generation (seed {replica.shipped_seed()}): {out['generation_s']:.1f} s "
              f"(goal < 120 s: ratio to goal {out['generation_s'] / 120:.2f})")
    return out


if __name__ == "__main__":
    main(generate="--generate" in sys.argv)

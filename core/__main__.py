"""Command line: ``python -m core predict|audit``. Errors print one line and exit non-zero."""
from __future__ import annotations

import argparse
import json
import sys

from . import audit, published, scenario
from .errors import StudyError


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise StudyError(f"--set expects NAME=VALUE (for example --set health=4); got '{pair}'.")
        values[name.strip()] = value.strip()
    return values


def _predict(args) -> dict:
    values = _parse_sets(args.set or [])
    return scenario.predict(args.outcome, args.model, values).to_dict()


def _audit(args) -> dict:
    return audit.audit_json()


def _print_audit_text(result: dict) -> None:
    for ex in result["worked_examples"]:
        mark = "ok " if ex["within_rounding"] else "OFF"
        print(f"{mark} {ex['example_id']:<26} published {ex['published_pct']:>4.0f}%  "
              f"computed {ex['computed_pct']:5.1f}%  band {ex['band_low_pct']:.1f}-{ex['band_high_pct']:.1f}%")
    for c in result["consistency_checks"]:
        if not c["agrees"]:
            print(f"finding: {c['source']}: {c['subject']}: printed {c['printed']}, implied {c['implied']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="predicted probability under a published model")
    p.add_argument("--outcome", choices=published.OUTCOMES, default="intention")
    p.add_argument("--model", default="table3", help="table3 (default), A or B (Table 4)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="set one input; repeatable")
    a = sub.add_parser("audit", help="worked-examples audit and consistency checks")
    a.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        if args.command == "predict":
            print(json.dumps(_predict(args), indent=2))
        else:
            result = _audit(args)
            if args.json:
                print(json.dumps(result, indent=2, ensure_ascii=False))
            else:
                _print_audit_text(result)
    except StudyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m core predict|audit|fit|fidelity|replica``. Errors print one line, exit 2."""
from __future__ import annotations

import argparse
import json
import sys

import warnings
from pathlib import Path

from . import audit, published, scenario
from .errors import InputError, StudyError


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


def _load_data(spec: str, mapping: str | None = None):
    """'replica' (the shipped synthetic data) or the path of a survey file in any format the app reads
    (SPSS, Stata, Excel, CSV/TSV/TXT), with an optional column-mapping JSON file."""
    from . import columnmap, replica, userdata

    if spec == "replica":
        return replica.load(), replica.SYNTHETIC_LABEL
    path = Path(spec)
    if not path.is_file():
        raise InputError(f"No data file at '{spec}'. Give 'replica' or the path of a survey file.")
    cols, rev = None, ()
    if mapping:
        mpath = Path(mapping)
        if not mpath.is_file():
            raise InputError(f"No mapping file at '{mapping}'.")
        cols, rev = columnmap.from_json(mpath.read_bytes())
    survey = userdata.load_survey(path.read_bytes(), path.name, cols, rev)
    return survey.frame, f"user data: {path.name}"


def _fit(args) -> dict:
    """Pipeline + both models of a specification. Per model: n, events, epv, converged, separation, status
    and warnings (core.fitstatus); a failed ML fit's estimates are null, with the Firth fit beside them."""
    from dataclasses import replace

    from . import fitstatus, pipeline, sensitivity

    data, label = _load_data(args.data, args.mapping)
    if args.firth and args.robust:
        raise InputError("--robust applies to maximum likelihood; leave it out with --firth.")
    options = pipeline.PipelineOptions(extraction=args.extraction, missing="listwise" if args.listwise else "impute",
                                       cutpoint=args.cutpoint)
    spec = sensitivity.Specification(model=args.model, extraction=args.extraction, missing=options.missing,
                                     cutpoint=1.0 if args.cutpoint is None else args.cutpoint,
                                     drop=tuple(args.drop or ()), dtv_squared=args.dtv_squared, firth=args.firth,
                                     robust=args.robust)
    bench = sensitivity.Workbench(data)
    coefs = bench.fit(spec)
    meas = bench.measurement_for(spec)
    plain = spec == sensitivity.Specification(extraction=spec.extraction, missing=spec.missing, cutpoint=spec.cutpoint)
    r2 = {}
    if plain:
        r2 = pipeline.run(data, options).fit_statistics().set_index("outcome")[
            ["nagelkerke_r2", "mcfadden_r2", "tjur_r2"]].to_dict(orient="index")
    models = []
    firth_rows = []
    for outcome, grp in coefs.groupby("outcome", sort=False):
        first = grp.iloc[0]
        status = str(first["status"])
        entry = {"outcome": outcome, "n": int(first["n"]), "events": int(first["events"]),
                 "epv": float(first["epv"]), "converged": status == "converged",
                 "separation": fitstatus.SEPARATION[status], "status": status,
                 "warnings": [w for w in str(first["warnings"]).split(" | ") if w]}
        if plain and status == "converged":
            entry.update({k: float(v) for k, v in r2.get(outcome, {}).items()})
        models.append(entry)
        if status != "converged" and not spec.firth:
            firth_rows.append(outcome)
    out = {
        "data": label,
        "options": {"model": spec.model, "extraction": spec.extraction, "missing": spec.missing,
                    "cutpoint": spec.cutpoint, "drop": list(spec.drop), "dtv_squared": spec.dtv_squared,
                    "firth": spec.firth, "robust": spec.robust, "label": spec.label()},
        "loadings": meas.loadings.to_dict(orient="records"),
        "eigenvalues": meas.summary.to_dict(orient="records"),
        "models": models,
        "coefficients": _records(coefs[["outcome", "term", "B", "SE", "z", "p", "exp_B", "stars"]]),
    }
    if firth_rows:
        firth = bench.fit(replace(spec, firth=True, robust=False))
        out["firth_coefficients"] = _records(firth.loc[firth["outcome"].isin(firth_rows),
                                                       ["outcome", "term", "B", "SE", "z", "p", "exp_B", "stars"]])
    return out


def _records(frame) -> list[dict]:
    """Rows as dicts with NaN as null (JSON has no NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _export(args) -> dict:
    """Write a figure, a slide deck or a brief of a scenario (published coefficients)."""
    from . import codebook, export, scenario

    values = {}
    for name, value in _parse_sets(args.set or []).items():
        if not codebook.exists(name):
            raise InputError(f"Unknown input '{name}'.")
        values[name] = scenario.validate_value(name, value)
    if args.model not in ("table3", "A", "B"):
        raise InputError("--model is table3, A or B.")
    if args.group not in ("average", "low", "mid", "high"):
        raise InputError("--group is average, low, mid or high.")
    variable = args.variable or "safety"
    if not codebook.exists(variable):
        raise InputError(f"Unknown input '{variable}' for --variable.")
    sc = export.ExportScenario(args.model, values, args.group, variable)
    try:
        name, data = export.export(args.what, sc, args.lang, args.format)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    out = Path(args.out) if args.out else Path(name)
    if args.out and (args.out.endswith(("/", "\\")) or out.is_dir()):  # a folder: the descriptive name inside
        out.mkdir(parents=True, exist_ok=True)
        out = out / name
    out.write_bytes(data)
    return {"written": str(out), "bytes": len(data), "what": args.what, "format": out.suffix.lstrip("."),
            "lang": args.lang, "model": args.model, "values": values, "group": args.group}


def _fidelity(args) -> dict:
    from . import fidelity

    data, label = _load_data(args.data, getattr(args, "mapping", None))
    table = fidelity.report(data)
    return {"data": label, "summary": fidelity.summary(table), "rows": table.to_dict(orient="records")}


def _replica(args) -> dict:
    import time

    from . import replica

    start = time.perf_counter()
    frame = replica.generate(args.seed)
    seconds = time.perf_counter() - start
    out = Path(args.out)
    replica.save(frame, args.seed, seconds, out)
    return {"written": str(out), "rows": len(frame), "seed": args.seed, "seconds": round(seconds, 1),
            "label": replica.SYNTHETIC_LABEL}


def _print_audit_text(result: dict) -> None:
    for ex in result["worked_examples"]:
        mark = "ok " if ex["within_rounding"] else "OFF"
        print(f"{mark} {ex['example_id']:<26} published {ex['published_pct']:>4.0f}%  "
              f"computed {ex['computed_pct']:5.1f}%  band {ex['band_low_pct']:.1f}-{ex['band_high_pct']:.1f}%")
    for c in result["consistency_checks"]:
        if not c["agrees"]:
            print(f"finding: {c['source']}: {c['subject']}: printed {c['printed']}, implied {c['implied']}")


def _json_default(value):
    import numpy as np

    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("predict", help="predicted probability under a published model")
    p.add_argument("--outcome", choices=published.OUTCOMES, default="intention")
    p.add_argument("--model", default="table3", help="table3 (default), A or B (Table 4)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="set one input; repeatable")
    a = sub.add_parser("audit", help="worked-examples audit and consistency checks")
    a.add_argument("--json", action="store_true", help="print JSON")
    f = sub.add_parser("fit", help="run measurement and both Table 3 models on data")
    f.add_argument("--data", default="replica", help="'replica' (synthetic) or a survey file (SPSS, Stata, Excel, CSV)")
    f.add_argument("--mapping", default=None, help="column mapping JSON (downloaded from the app)")
    f.add_argument("--extraction", default="principal", choices=("principal", "minres", "ml"))
    f.add_argument("--listwise", action="store_true", help="listwise deletion instead of regression imputation")
    f.add_argument("--cutpoint", type=float, default=None, help="dichotomize above this scale value (default 1)")
    f.add_argument("--model", default="table3", choices=("table3", "A", "B"), help="Table 3 or Table 4 model A/B")
    f.add_argument("--drop", action="append", metavar="VAR", help="leave a predictor out; repeatable")
    f.add_argument("--dtv-squared", action="store_true", help="add the quadratic DT&V term (footnote 6)")
    f.add_argument("--firth", action="store_true", help="Firth-penalized logistic regression (firthmodels)")
    f.add_argument("--robust", action="store_true", help="robust (HC0) standard errors")
    f.add_argument("--json", action="store_true", help="print JSON (the default output)")
    d = sub.add_parser("fidelity", help="published vs replica for every calibrated number")
    d.add_argument("--data", default="replica")
    d.add_argument("--json", action="store_true", help="print JSON (the default output)")
    e = sub.add_parser("export", help="a figure (svg/png), slide deck (pptx) or brief (pdf) of a scenario")
    e.add_argument("--what", choices=("figure", "deck", "brief"), required=True)
    e.add_argument("--lang", choices=("en", "nl"), default="en")
    e.add_argument("--format", default=None, help="svg or png (figure), pptx (deck), pdf (brief)")
    e.add_argument("--model", default="table3", help="table3 (default), A or B (Table 4)")
    e.add_argument("--group", default="average", help="Table 4 safety group: average, low, mid, high")
    e.add_argument("--set", action="append", metavar="NAME=VALUE", help="set one input; repeatable")
    e.add_argument("--variable", default=None, help="the input the chart runs over (default: safety)")
    e.add_argument("--out", default=None, help="file or folder (default: a descriptive name here)")
    r = sub.add_parser("replica", help="regenerate the synthetic replica")
    r.add_argument("--seed", type=int, default=None, help="default: the shipped file's seed")
    r.add_argument("--out", default=None, help="default: data/replica/replica.csv")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message=".*force_all_finite.*")
    warnings.filterwarnings("ignore")  # estimation problems are reported in the JSON ("warnings"), not as noise
    try:
        if args.command == "predict":
            print(json.dumps(_predict(args), indent=2))
        elif args.command == "export":
            print(json.dumps(_export(args), indent=2, ensure_ascii=False, default=_json_default))
        elif args.command in ("fit", "fidelity", "replica"):
            if args.command == "replica":
                from . import replica

                args.seed = replica.shipped_seed() if args.seed is None else args.seed
                args.out = args.out or str(replica.REPLICA_CSV)
            handler = {"fit": _fit, "fidelity": _fidelity, "replica": _replica}[args.command]
            print(json.dumps(handler(args), indent=2, ensure_ascii=False, default=_json_default))
        else:
            result = _audit(args)
            if args.json:
                print(json.dumps(result, indent=2, ensure_ascii=False))
            else:
                _print_audit_text(result)
    except StudyError as exc:
        print("error: " + " ".join(str(exc).split()), file=sys.stderr)  # one line
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

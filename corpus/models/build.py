"""`python -m corpus.models.build OUT_DIR [--case NAME ...] [--forms
saved_model,checkpoint,frozen]`.

Writes OUT_DIR/<case>/{saved_model/, checkpoint/, frozen.pb, case.json}. Exit 0 on success,
2 with a one-line message on a bad argument or a failed case.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.models.build", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "out_dir", type=Path, help="directory to write the cases into (created if missing)"
    )
    parser.add_argument(
        "--case", action="append", dest="cases", metavar="NAME", help="build only NAME (repeatable)"
    )
    parser.add_argument(
        "--forms", default="saved_model,checkpoint,frozen", help="comma-separated forms to write"
    )
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    import tensorflow as tf

    from corpus.models import CASES, FORMS  # imports TensorFlow: after argument errors

    tf.get_logger().setLevel("ERROR")  # the v1 APIs we exercise on purpose all warn "deprecated"

    if args.list:
        for case in CASES.values():
            print(f"{case.name:22} {','.join(case.forms):32} {case.description}")
        return 0
    forms = [form.strip() for form in args.forms.split(",") if form.strip()]
    bad_forms = [form for form in forms if form not in FORMS]
    unknown = [name for name in args.cases or [] if name not in CASES]
    if bad_forms or unknown or not forms:
        what = (
            f"unknown form(s) {bad_forms or forms}; choose from {', '.join(FORMS)}"
            if bad_forms or not forms
            else (f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
        )
        print(f"error: {what}", file=sys.stderr)
        return 2
    if args.out_dir.exists() and not args.out_dir.is_dir():
        print(f"error: {args.out_dir} exists and is not a directory", file=sys.stderr)
        return 2
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.cases or list(CASES):
        started = time.perf_counter()
        try:
            written = CASES[name].build(args.out_dir, forms)
        except Exception as error:  # noqa: BLE001 - report which case broke, then fail the run
            message = " ".join(str(error).split())[:500]
            print(f"error: case {name} failed: {type(error).__name__}: {message}", file=sys.stderr)
            return 2
        print(f"{name:22} {','.join(written['forms']):32} {time.perf_counter() - started:5.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

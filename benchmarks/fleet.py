"""`python -m benchmarks.fleet`: fleet throughput at -j 2 vs -j 1, and per-model overhead.

Builds a fleet of corpus SavedModels (each case repeated `--copies` times), then measures, each in
a fresh subprocess and a fresh OUT_ROOT: `tf-migrate fleet -j 1`, `tf-migrate fleet -j 2`, and a
plain `tf-migrate convert` of every model one after another (what a shell loop would do). Prints
models/s, the -j 2 / -j 1 ratio and the fleet's seconds per model over plain convert. Not a test:
numbers on a shared 2-core machine are noisy; compare the ratios (docs/fleet.md records a run).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._measure import ROOT, child_env

CASES = ("linear_ref", "resource_vars", "defun_library", "int_string_io", "partitioned")


def build_fleet(work: Path, copies: int) -> tuple[Path, list[Path]]:
    corpus = work / "corpus"
    args = [sys.executable, "-m", "corpus.models.build", str(corpus), "--forms", "saved_model"]
    for case in CASES:
        args += ["--case", case]
    subprocess.run(args, check=True, cwd=ROOT, env=child_env(), capture_output=True)
    fleet = work / "fleet"
    models = []
    for copy in range(copies):
        for case in CASES:
            target = fleet / f"copy{copy}" / case
            shutil.copytree(corpus / case / "saved_model", target)
            models.append(target)
    return fleet, models


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"error: {' '.join(args[:4])} failed: {result.stdout[-2000:]}")
    return time.perf_counter() - started


def fleet_seconds(fleet: Path, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "migrate", "fleet", str(fleet), "--out", str(out)]
    return timed([*command, "-j", str(jobs)])


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fleet", description=__doc__)
    parser.add_argument("--copies", type=int, default=2, help="copies of each corpus case")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as temp:
        work = Path(temp)
        fleet, models = build_fleet(work, args.copies)
        count = len(models)
        one = fleet_seconds(fleet, work / "out1", 1)
        two = fleet_seconds(fleet, work / "out2", 2)
        plain = sum(
            timed(
                [sys.executable, "-m", "migrate", "convert", str(m), str(work / "plain" / str(i))]
            )
            for i, m in enumerate(models)
        )
    figures = {
        "models": count,
        "fleet_j1_s": round(one, 1),
        "fleet_j2_s": round(two, 1),
        "plain_convert_s": round(plain, 1),
        "j1_models_per_s": round(count / one, 3),
        "j2_models_per_s": round(count / two, 3),
        "j2_over_j1": round(one / two, 2),
        "fleet_j1_over_plain_per_model_s": round((one - plain) / count, 2),
    }
    print("| measure | value |\n|---|---|")
    for key, value in figures.items():
        print(f"| {key} | {value} |")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

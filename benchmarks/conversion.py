"""Conversion cost: `tf-migrate convert` against TensorFlow's own load + save, and `verify`.

    python -m benchmarks.conversion [--sizes 1MB,100MB,1GB] [--repeat R] [--profile]

For each size, a TF1 SavedModel with ref variables and the same model with resource
variables are built (`benchmarks._models`, separate processes). Then, each in a fresh
subprocess, median of R:

- `tf-migrate convert REF OUT --no-verify` vs the baseline `tf.saved_model.load` +
  `tf.saved_model.save` of the resource-variable model (TensorFlow cannot re-save the ref
  model usefully; see docs/converter.md): wall and CPU ratios;
- peak RSS of each, minus the idle footprint of a process that imported TensorFlow and ran
  one op, as a multiple of the model's variable bytes;
- `tf-migrate verify REF OUT` vs running both models once on the same input.

`--profile` also runs `convert` once under cProfile per size and prints where time goes.
"""

from __future__ import annotations

import argparse
import json
import pstats
import re
import shutil
import tempfile
from pathlib import Path

from benchmarks._measure import Run, machine, mb, median, python, repeat, run, table

UNITS = {"KB": 2**10, "MB": 2**20, "GB": 2**30}
TARGETS = {"wall": 1.3, "rss": 1.5}


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]B)\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}; use e.g. 1MB, 100MB, 1GB")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def measure_size(size: int, work: Path, times: int, idle: int, profile: bool) -> dict[str, object]:
    ref, res = work / "ref", work / "res"
    built = run(
        python(
            "-m",
            "benchmarks._models",
            "build",
            str(_fresh(ref)),
            "--bytes",
            str(size),
            "--kind",
            "ref",
        )
    )
    info = json.loads(built.stdout)
    run(
        python(
            "-m",
            "benchmarks._models",
            "build",
            str(_fresh(res)),
            "--bytes",
            str(size),
            "--kind",
            "resource",
        )
    )
    out, base_out = work / "out", work / "base"

    def convert() -> Run:
        r = run(python("-m", "migrate", "convert", str(ref), str(_fresh(out)), "--no-verify"))
        assert r.returncode == 0, f"convert failed with exit {r.returncode}"
        return r

    def baseline() -> Run:
        return run(python("-m", "benchmarks._models", "baseline", str(res), str(_fresh(base_out))))

    conv = [convert() for _ in range(times)]
    base = [baseline() for _ in range(times)]
    ver = repeat(python("-m", "migrate", "verify", str(ref), str(out)), times)
    both = repeat(python("-m", "benchmarks._models", "run-both", str(ref), str(out)), times)
    result: dict[str, object] = {"size": size, **info, "idle_rss": idle}
    for name, runs in (("convert", conv), ("baseline", base), ("verify", ver), ("run_both", both)):
        result[f"{name}_wall"] = median([r.wall for r in runs])
        result[f"{name}_cpu"] = median([r.cpu for r in runs])
        result[f"{name}_rss"] = median([r.peak_rss for r in runs])
    if profile:
        result["profile"] = _profile(ref, work)
    return result


def _profile(ref: Path, work: Path) -> str:
    """Top cumulative entries of one `convert` under cProfile, project and TF frames."""
    stats_file = work / "convert.prof"
    run(python("-m", "cProfile", "-o", str(stats_file), "-m", "migrate", "convert", str(ref),
               str(_fresh(work / "prof_out")), "--no-verify"))  # fmt: skip
    stats = pstats.Stats(str(stats_file))
    rows = []
    # type: ignore[attr-defined]
    for (filename, line, func), (_, _, _, cum, _) in stats.stats.items():
        if "/migrate/" in filename or "saved_model" in filename or "wrap_function" in func:
            rows.append((cum, f"{Path(filename).parent.name}/{Path(filename).name}:{line}({func})"))
    rows.sort(reverse=True)
    return "\n".join(f"{cum:8.2f} s  {name}" for cum, name in rows[:25])


def report(results: list[dict[str, object]], header: str) -> str:
    rows, checks = [], []
    for r in results:
        var = float(r["variable_bytes"])  # type: ignore[arg-type]
        idle = float(r["idle_rss"])  # type: ignore[arg-type]
        # type: ignore[arg-type]
        c_wall, b_wall = float(r["convert_wall"]), float(r["baseline_wall"])
        c_cpu, b_cpu = float(r["convert_cpu"]), float(r["baseline_cpu"])  # type: ignore[arg-type]
        c_rss = (float(r["convert_rss"]) - idle) / var  # type: ignore[arg-type]
        b_rss = (float(r["baseline_rss"]) - idle) / var  # type: ignore[arg-type]
        # type: ignore[arg-type]
        v_wall, rb_wall = float(r["verify_wall"]), float(r["run_both_wall"])
        rows.append(
            [
                mb(var),
                r["ops"],
                f"{c_wall:.1f} / {b_wall:.1f}",
                f"{c_wall / b_wall:.2f}x",
                # type: ignore[arg-type]
                f"{c_cpu / b_cpu:.2f}x",
                mb(float(r["convert_rss"])),
                f"{c_rss:.2f}x",
                # fmt: skip
                f"{b_rss:.2f}x",
                f"{v_wall:.1f} / {rb_wall:.1f}",
                f"{v_wall / rb_wall:.2f}x",
            ]
        )
        checks.append([mb(var), f"{c_wall / b_wall:.2f}x (<= {TARGETS['wall']}x)",
                       f"{c_rss:.2f}x (<= {TARGETS['rss']}x)"])  # fmt: skip
    headers = ["variables", "ops", "convert / baseline wall s", "wall ratio", "CPU ratio",
               "convert peak RSS", "convert RSS above idle / var bytes", "baseline (same)",
               "verify / run-both wall s", "verify ratio"]  # fmt: skip
    out = [
        header,
        "",
        table(headers, rows),
        "",
        table(["variables", "convert vs baseline wall", "peak RSS above idle"], checks),
    ]
    for r in results:
        if r.get("profile"):
            out += [
                "",
                f"cProfile of convert, {mb(float(r['variable_bytes']))} (cumulative):",
                str(r["profile"]),
            ]  # type: ignore[arg-type]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1MB,100MB", help="comma-separated, e.g. 1MB,100MB,1GB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile one convert per size")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--workdir", type=Path, help="where models go (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    idle_runs = repeat(python("-m", "benchmarks._models", "idle"), args.repeat)
    idle = int(median([r.peak_rss for r in idle_runs]))
    results = []
    with tempfile.TemporaryDirectory(prefix="tfm-conv-", dir=args.workdir) as tmp:
        for size in sizes:
            work = Path(tmp) / str(size)
            work.mkdir()
            results.append(measure_size(size, work, args.repeat, idle, args.profile))
            shutil.rmtree(work, ignore_errors=True)
    header = (f"machine: {machine()}\nidle TensorFlow process: {mb(idle)} peak RSS; "
              f"median of {args.repeat}; sizes {args.sizes}")  # fmt: skip
    print(report(results, header))
    if args.json:
        args.json.write_text(
            json.dumps({"machine": machine(), "results": results}, indent=2) + "\n"
        )


if __name__ == "__main__":
    main()

"""Rewrite throughput: `tf-migrate rewrite --check` against tf_upgrade_v2 and the LibCST floor.

    python -m benchmarks.rewrite_throughput [--tree PATH | --files N] [-j N] [--repeat R]

By default the tree is real code: `../shared/tf1_code/files` (TF1 files from public
repositories), copied to a temporary directory first. `--tree` benchmarks any other tree (also
copied); `--files N` generates a seeded tree instead (`benchmarks.gen_tree`: TF1 export code,
TF model code, unrelated Python, non-Python files). Measured in fresh subprocesses, medians of
R runs, every baseline in the same run:

- `tf-migrate rewrite --check -j N` (and `-j 1`) over the tree: files/s, lines/s, peak RSS;
- `tf_upgrade_v2 --intree COPY --inplace` on a fresh copy of the same tree (it can only use
  one core, so it is compared with `-j 1` as well as with `-j N`);
- the floor: LibCST parse + code generation of the parseable TF-relevant files (those a
  codemod's trigger words select) vs the engine on the same texts, both timed in-process, and
  the ten files where the engine spends most, with their share of its time;
- files that cannot mention TensorFlow: the runner's per-file cost vs reading the bytes;
- start-up: a one-file rewrite against `import libcst` plus one parse of that file, and
  `rewrite --help`; TensorFlow must never be imported (`python -X importtime` of a rewrite and
  `sys.modules` after the in-process engine loop): the benchmark fails if it is.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from benchmarks import gen_tree
from benchmarks._measure import Run, child_env, machine, mb, median, python, repeat, run, table

TF_UPGRADE = ("-m", "tensorflow.tools.compatibility.tf_upgrade_v2_main")
ONE_FILE = """import tensorflow as tf

w = tf.Variable(1.0, name="w")
saver = tf.train.Saver(var_list=[w])
with tf.Session() as sess:
    saver.save(sess, "/tmp/model.ckpt")
"""
TARGETS = {"vs_tf_upgrade": 5.0, "vs_floor": 1.3, "startup_gap": 0.15, "rss": 150 * 2**20}
REAL_TREE = Path(__file__).resolve().parents[2] / "shared" / "tf1_code" / "files"
PARSE_ONE = "import libcst, sys; libcst.parse_module(open(sys.argv[1], encoding='utf-8').read())"
# What the project's chosen frameworks cost before any of its own code runs: LibCST's codemod
# package (every codemod is a `VisitorBasedCodemodCommand`; it imports `libcst.matchers`) and
# a Typer app (Typer >= 0.2x loads pydantic through `typer._adapters`), plus one parse.
FRAMEWORK = (
    "import sys, libcst.codemod, typer, typer._adapters; "
    "libcst.parse_module(open(sys.argv[1], encoding='utf-8').read())"
)


@dataclass(frozen=True)
class Tree:
    root: Path
    py: list[Path]
    relevant: list[Path]  # mention tensorflow and a codemod trigger, and parse: rewritten
    tf_other: list[Path]  # mention tensorflow, no trigger: only checked with ast.parse
    no_tf: list[Path]  # never mention tensorflow: read and skipped
    lines: int
    relevant_lines: int


def classify(root: Path) -> Tree:
    """Split the tree's Python files the way the engine's pre-filters will."""
    from codemods.batch.runner import discover  # noqa: PLC0415
    from codemods.commands.registry import CODEMODS  # noqa: PLC0415

    triggers = {t for c in CODEMODS.values() for t in c.TRIGGERS}
    py = [p for p in discover([str(root)]) if p.suffix == ".py"]
    relevant, tf_other, no_tf = [], [], []
    lines = relevant_lines = 0
    for path in py:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += text.count("\n")
        if "tensorflow" not in text:
            no_tf.append(path)
        elif any(t in text for t in triggers) and _parses(text):
            relevant.append(path)
            relevant_lines += text.count("\n")
        else:
            tf_other.append(path)
    return Tree(root, py, relevant, tf_other, no_tf, lines, relevant_lines)


def _parses(text: str) -> bool:
    """The floor can only time files that parse (a broken file is reported, not rewritten)."""
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return "\ufffd" not in text  # undecodable bytes: the runner reports the file instead


def _cli(*args: str) -> list[str]:
    return python("-m", "migrate", *args)


def _inproc(
    modes: Sequence[str], paths: list[Path], work: Path, times: int
) -> dict[str, tuple[float, list[float]]]:
    """Per mode: median total seconds of R fresh processes, and each file's median seconds.

    The modes' processes alternate (floor, engine, floor, ...) so that a burst of load from
    other jobs falls on both sides of a ratio, not on one.
    """
    listfile = work / f"inproc-{len(paths)}.txt"
    listfile.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for _ in range(times):
        for mode in modes:
            r = run(python("-m", "benchmarks._inproc", mode, str(listfile)))
            assert r.returncode == 0, f"benchmarks._inproc {mode} failed (exit {r.returncode})"
            results[mode].append(json.loads(r.stdout))
    out: dict[str, tuple[float, list[float]]] = {}
    for mode, found in results.items():
        columns = zip(*(x["per_file"] for x in found), strict=True)
        per_file = [median(list(column)) for column in columns]
        out[mode] = (median([x["seconds"] for x in found]), per_file)
    return out


def _tf_upgrade(tree: Path, work: Path, times: int, tag: str = "") -> list[Run]:
    """A fresh copy per repetition (copying is not timed): --inplace rewrites it."""
    runs = []
    for i in range(times):
        copy = work / f"tf_upgrade_{tag}{i}"
        shutil.copytree(tree, copy)
        report = work / f"tf_upgrade_{tag}{i}.txt"
        runs.append(
            run(
                python(*TF_UPGRADE, "--intree", str(copy), "--inplace", "--reportfile", str(report))
            )
        )
        shutil.rmtree(copy, ignore_errors=True)
    return runs


def imports_tensorflow(sample: Path) -> bool:
    """`python -X importtime` lists every module imported; TensorFlow must not be one."""
    import subprocess  # noqa: PLC0415

    proc = subprocess.run(
        _cli("rewrite", "--check", str(sample)), env=child_env(PYTHONPROFILEIMPORTTIME="1"),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return any(
        line.split("|")[-1].strip().startswith("tensorflow")
        for line in proc.stderr.splitlines()
        if "|" in line
    )


def measure(
    tree: Tree, jobs: int, times: int, baseline_times: int, work: Path, quick: bool = False
) -> dict[str, object]:
    """Every figure of the benchmark, as a flat dict (also written with --json).

    `quick` (smoke tests) skips tf_upgrade_v2, whose TensorFlow import alone takes seconds.
    """
    res: dict[str, object] = {"machine": machine(), "jobs": jobs, "repeat": times}
    res.update(files=len(tree.py), lines=tree.lines, relevant=len(tree.relevant),
               relevant_lines=tree.relevant_lines, tf_other=len(tree.tf_other),
               no_tf=len(tree.no_tf))  # fmt: skip
    root = str(tree.root)
    # Interleave repetitions (j1, jN, tf_upgrade_v2, j1, ...) so that load from other jobs on
    # a shared machine falls on every contender alike instead of on one phase.
    cli: dict[int, list[Run]] = {j: [] for j in sorted({1, jobs})}
    base: list[Run] = []
    for rep in range(max(times, 0 if quick else baseline_times)):
        for j in cli if rep < times else ():
            r = run(_cli("rewrite", "--check", "-j", str(j), root))
            assert 0 <= r.returncode <= 3, f"rewrite failed: exit {r.returncode}"
            cli[j].append(r)
        if not quick and rep < baseline_times:
            base += _tf_upgrade(tree.root, work, 1, tag=str(rep))
    res["tf_upgrade_wall"] = median([r.wall for r in base])
    res["tf_upgrade_cpu"] = median([r.cpu for r in base])
    res["tf_upgrade_rss"] = median([r.peak_rss for r in base])
    for j, runs in cli.items():
        res[f"rewrite_j{j}_wall"] = median([r.wall for r in runs])
        res[f"rewrite_j{j}_cpu"] = median([r.cpu for r in runs])
        res[f"rewrite_j{j}_rss"] = median([r.peak_rss for r in runs])
        res[f"rewrite_j{j}_max_process_rss"] = median([r.max_rss for r in runs])
    loops = _inproc(("floor", "engine"), tree.relevant, work, times)
    res["floor_relevant_s"], floor_per_file = loops["floor"]
    res["engine_relevant_s"], per_file = loops["engine"]
    # What any rewrite that parses and prints each TF-relevant file once with LibCST costs at
    # the least, on one core: no such tool can beat tf_upgrade_v2 by more than base / this.
    res["floor_total_s"] = sum(floor_per_file)
    total = sum(per_file) or 1.0
    ranked = sorted(zip(per_file, tree.relevant, strict=True), key=lambda x: -x[0])[:10]
    res["slowest"] = [
        [path.name, seconds, seconds / total, path.read_text("utf-8", "replace").count("\n")]
        for seconds, path in ranked
    ]
    no_tf = _inproc(("read", "runner"), tree.no_tf, work, times) if tree.no_tf else {}
    res["read_no_tf_s"] = no_tf["read"][0] if no_tf else 0
    res["runner_no_tf_s"] = no_tf["runner"][0] if no_tf else 0
    sample = work / "one_file.py"  # start-up, not throughput: a small file with one Saver
    sample.write_text(ONE_FILE, encoding="utf-8")
    startup_times = times if quick else max(times, 5)
    walls = {
        "startup_python_s": python("-c", "pass"),
        "startup_libcst_s": python("-c", "import libcst"),
        "startup_parse_s": python("-c", PARSE_ONE, str(sample)),
        "startup_codemod_s": python("-c", "import libcst.codemod"),
        "startup_framework_s": python("-c", FRAMEWORK, str(sample)),
        "startup_help_s": _cli("rewrite", "--help"),
    }
    for key, cmd in walls.items():
        res[key] = median([r.wall for r in repeat(cmd, startup_times)])
    one = repeat(_cli("rewrite", "--check", str(sample)), startup_times)
    res["startup_one_file_s"] = median([r.wall for r in one])
    res["one_file_rss"] = median([r.peak_rss for r in one])
    res["imports_tensorflow"] = imports_tensorflow(sample)
    assert not res["imports_tensorflow"], "tf-migrate rewrite imported TensorFlow"
    return res


def report(res: dict[str, object]) -> str:
    """The tables and ratios, with each target and whether it was met."""
    r = dict(res)

    def num(key: str) -> float:
        return float(cast(float, r[key]))

    files, lines, jobs = int(num("files")), int(num("lines")), int(num("jobs"))
    base = num("tf_upgrade_wall")
    rows = [
        ["tf_upgrade_v2 --intree (1 core)", f"{base:.2f}", f"{files / base:,.1f}",
         f"{lines / base:,.0f}", mb(num("tf_upgrade_rss")), "1.00"],
    ]  # fmt: skip
    for j in sorted({1, jobs}):
        wall = num(f"rewrite_j{j}_wall")
        rows.append(
            [f"tf-migrate rewrite --check -j {j}", f"{wall:.2f}", f"{files / wall:,.1f}",
             f"{lines / wall:,.0f}", mb(num(f"rewrite_j{j}_rss")), f"{base / wall:.1f}x"]
        )  # fmt: skip
    header = ["run", "wall s", "files/s", "lines/s", "peak RSS (tree)", "speed vs tf_upgrade_v2"]
    out = [
        f"machine: {r['machine']}",
        f"tree: {r.get('tree')}: {files} Python files, {lines:,} lines; {r['relevant']} "
        f"TF-relevant and parseable ({r['relevant_lines']:,} lines), {r['tf_other']} other TF, "
        f"{r['no_tf']} without TF; median of {r['repeat']}",
        "",
        table(header, rows),
        "",
    ]
    floor, engine = num("floor_relevant_s"), num("engine_relevant_s")
    read, runner = num("read_no_tf_s"), num("runner_no_tf_s")
    n_rel, n_no = max(int(num("relevant")), 1), int(num("no_tf"))
    out.append(table(["in-process, same files", "baseline", "tf-migrate", "ratio"], [
        [f"TF-relevant files ({n_rel}): LibCST parse+codegen vs engine",
         f"{floor / n_rel * 1e3:.1f} ms/file", f"{engine / n_rel * 1e3:.1f} ms/file",
         f"{engine / floor:.2f}x"],
        [f"files without TF ({n_no}): read bytes vs runner",
         f"{read / max(n_no, 1) * 1e6:.0f} us/file", f"{runner / max(n_no, 1) * 1e6:.0f} us/file",
         f"{runner / read:.1f}x" if read else "-"],
    ]))  # fmt: skip
    slowest = cast(list[list[object]], r.get("slowest", []))
    out += ["", "slowest files in the engine (in-process, median):"]
    out.append(table(["file", "lines", "ms", "share of engine time"], [
        [str(name)[:60], f"{cast(int, n):,}", f"{cast(float, sec) * 1e3:.0f}",
         f"{cast(float, share):.1%}"] for name, sec, share, n in slowest
    ]))  # fmt: skip
    out.append("")
    gap = num("startup_one_file_s") - num("startup_parse_s")
    out.append(table(["start-up", "wall s"], [
        ["python -c pass", f"{r['startup_python_s']:.3f}"],
        ["python -c 'import libcst'", f"{r['startup_libcst_s']:.3f}"],
        ["import libcst + parse ONE_FILE (the floor)", f"{r['startup_parse_s']:.3f}"],
        ["python -c 'import libcst.codemod'", f"{r['startup_codemod_s']:.3f}"],
        ["import libcst.codemod + typer + parse ONE_FILE", f"{num('startup_framework_s'):.3f}"],
        ["tf-migrate rewrite --help", f"{r['startup_help_s']:.3f}"],
        ["tf-migrate rewrite --check ONE_FILE", f"{r['startup_one_file_s']:.3f}"],
    ]))  # fmt: skip
    wall_j, wall_1 = num(f"rewrite_j{jobs}_wall"), num("rewrite_j1_wall")
    rss_1, rss = num("rewrite_j1_rss"), num(f"rewrite_j{jobs}_rss")
    top = num(f"rewrite_j{jobs}_max_process_rss")
    # One core each: CPU seconds are what wall seconds would be on an idle machine, and
    # other jobs' load moves them far less (the floor is CPU time too).
    base_cpu, cpu_1 = num("tf_upgrade_cpu"), num("rewrite_j1_cpu")
    ceiling = base_cpu / max(num("floor_total_s"), 1e-9)
    own_gap = num("startup_one_file_s") - num("startup_framework_s")
    checks = [
        ("files/s vs tf_upgrade_v2, -j 1 (same cores)", f"{base / wall_1:.1f}x", ">= 5x",
         base / wall_1 >= TARGETS["vs_tf_upgrade"]),
        ("  the same, CPU seconds (-j 1 vs tf_upgrade_v2)", f"{base_cpu / cpu_1:.1f}x", ">= 5x",
         base_cpu / cpu_1 >= TARGETS["vs_tf_upgrade"]),
        ("  ceiling: tf_upgrade_v2 / LibCST floor alone, CPU", f"{ceiling:.1f}x", "-", None),
        (f"files/s vs tf_upgrade_v2, -j {jobs}", f"{base / wall_j:.1f}x", ">= 5x",
         base / wall_j >= TARGETS["vs_tf_upgrade"]),
        ("engine vs LibCST floor (TF-relevant)", f"{engine / floor:.2f}x", "<= 1.3x",
         engine / floor <= TARGETS["vs_floor"]),
        ("file without TF vs a file read", f"{runner / read:.1f}x" if read else "-", "~1x", None),
        ("one-file rewrite minus (import libcst + parse)", f"{gap:.2f} s", "<= 0.15 s",
         gap <= TARGETS["startup_gap"]),
        ("  of it beyond libcst.codemod + typer + parse", f"{own_gap:.2f} s", "-", None),
        ("TensorFlow imported by rewrite", str(r["imports_tensorflow"]), "False",
         not r["imports_tensorflow"]),
        ("peak RSS, -j 1", mb(rss_1), "< 150 MB", rss_1 < TARGETS["rss"]),
        (f"peak RSS, -j {jobs} (all processes)", mb(rss), "-", None),
        ("peak RSS, largest process", mb(top), "< 150 MB", top < TARGETS["rss"]),
    ]  # fmt: skip
    out.append("")
    met = [[a, b, c, "-" if d is None else ("yes" if d else "no")] for a, b, c, d in checks]
    out.append(table(["target (issue 9) and issue 16", "measured", "target", "met"], met))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, help="benchmark a generated tree of N files")
    parser.add_argument("--tree", type=Path, help=f"benchmark this tree (default: {REAL_TREE})")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement")
    parser.add_argument("--baseline-repeat", type=int, help="repetitions of tf_upgrade_v2 (slow)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--quick", action="store_true", help="skip tf_upgrade_v2 (smoke runs)")
    args = parser.parse_args(argv)
    source = args.tree if args.tree is not None or args.files else REAL_TREE
    if source is not None and not source.is_dir():
        if args.tree is not None:
            sys.exit(f"{source}: no such directory; pass --tree DIR or --files N")
        source = None  # no real tree here: fall back to a generated one
    files = args.files or 2000
    with tempfile.TemporaryDirectory(prefix="tfm-bench-") as tmp:
        work = Path(tmp)
        root = work / "tree"  # a copy: nothing ever writes into the benchmarked tree
        if source is None:
            gen_tree.generate(root, files, args.seed)
        else:
            shutil.copytree(source, root, symlinks=True)
        tree = classify(root.resolve())
        if not tree.py:
            sys.exit(f"no Python files under {source or root}")
        res = measure(
            tree, args.jobs, args.repeat, args.baseline_repeat or args.repeat, work, args.quick
        )
    res["tree"] = str(source) if source else f"generated --files {files} --seed {args.seed}"
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

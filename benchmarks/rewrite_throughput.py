"""Rewrite throughput: `tf-migrate rewrite --check` against tf_upgrade_v2 and the LibCST floor.

    python -m benchmarks.rewrite_throughput [--files N] [--tree PATH] [-j N] [--repeat R]

Without `--tree` a seeded tree is generated (`benchmarks.gen_tree`: TF1 export code, TF model
code, unrelated Python, non-Python files). Measured in fresh subprocesses, medians of R runs:

- `tf-migrate rewrite --check -j N` (and `-j 1`) over the tree: files/s, lines/s, peak RSS;
- `tf_upgrade_v2 --intree COPY --inplace` on a fresh copy of the same tree (it can only use
  one core, so it is compared with `-j 1` as well as with `-j N`);
- the floor: LibCST parse + code generation of the TF-relevant files (those a codemod's
  trigger words select) vs the engine on the same texts, both timed in-process;
- files that cannot mention TensorFlow: the runner's per-file cost vs reading the bytes;
- start-up: `rewrite --help`, a one-file rewrite, `python -c pass` and `import libcst.codemod`
  (the parser's own import cost, which a one-file rewrite cannot avoid), and a check that
  TensorFlow is never imported (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from benchmarks import gen_tree
from benchmarks._measure import Run, child_env, machine, mb, median, python, repeat, run, table

TF_UPGRADE = ("-m", "tensorflow.tools.compatibility.tf_upgrade_v2_main")
ONE_FILE = """import tensorflow as tf

w = tf.Variable(1.0, name="w")
saver = tf.train.Saver(var_list=[w])
with tf.Session() as sess:
    saver.save(sess, "/tmp/model.ckpt")
"""
TARGETS = {"vs_tf_upgrade": 5.0, "vs_floor": 1.3, "startup": 0.4, "rss": 150 * 2**20}


@dataclass(frozen=True)
class Tree:
    root: Path
    py: list[Path]
    relevant: list[Path]  # mention tensorflow and a codemod trigger: parsed and rewritten
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
        elif any(t in text for t in triggers):
            relevant.append(path)
            relevant_lines += text.count("\n")
        else:
            tf_other.append(path)
    return Tree(root, py, relevant, tf_other, no_tf, lines, relevant_lines)


def _cli(*args: str) -> list[str]:
    return python("-m", "migrate", *args)


def _inproc(mode: str, paths: list[Path], work: Path, times: int) -> float:
    listfile = work / f"{mode}-{len(paths)}.txt"
    listfile.write_text("\n".join(str(p) for p in paths), encoding="utf-8")
    runs = repeat(python("-m", "benchmarks._inproc", mode, str(listfile)), times)
    return median([json.loads(r.stdout)["seconds"] for r in runs])


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
            assert r.returncode in (0, 1), f"rewrite failed: exit {r.returncode}"
            cli[j].append(r)
        if not quick and rep < baseline_times:
            base += _tf_upgrade(tree.root, work, 1, tag=str(rep))
    res["tf_upgrade_wall"] = median([r.wall for r in base])
    res["tf_upgrade_rss"] = median([r.peak_rss for r in base])
    for j, runs in cli.items():
        res[f"rewrite_j{j}_wall"] = median([r.wall for r in runs])
        res[f"rewrite_j{j}_rss"] = median([r.peak_rss for r in runs])
        res[f"rewrite_j{j}_max_process_rss"] = median([r.max_rss for r in runs])
    res["floor_relevant_s"] = _inproc("floor", tree.relevant, work, times)
    res["engine_relevant_s"] = _inproc("engine", tree.relevant, work, times)
    res["read_no_tf_s"] = _inproc("read", tree.no_tf, work, times)
    res["runner_no_tf_s"] = _inproc("runner", tree.no_tf, work, times)
    sample = work / "one_file.py"  # start-up, not throughput: a small file with one Saver
    sample.write_text(ONE_FILE, encoding="utf-8")
    startup_times = times if quick else max(times, 5)
    res["startup_python_s"] = median([r.wall for r in repeat(python("-c", "pass"), startup_times)])
    res["startup_libcst_s"] = median(
        [r.wall for r in repeat(python("-c", "import libcst.codemod"), startup_times)]
    )
    res["startup_help_s"] = median(
        [r.wall for r in repeat(_cli("rewrite", "--help"), startup_times)]
    )
    one = repeat(_cli("rewrite", "--check", str(sample)), startup_times)
    res["startup_one_file_s"] = median([r.wall for r in one])
    res["one_file_rss"] = median([r.peak_rss for r in one])
    res["imports_tensorflow"] = imports_tensorflow(sample)
    return res


def report(res: dict[str, object]) -> str:
    """The tables and ratios, with each target and whether it was met."""
    r = {k: v for k, v in res.items()}

    def num(key: str) -> float:
        return float(cast(float, r[key]))

    files, lines, jobs = int(num("files")), int(num("lines")), int(num("jobs"))
    base = num("tf_upgrade_wall")
    rows = [
        ["tf_upgrade_v2 --intree (1 core)", f"{base:.2f}", f"{files / base:,.0f}",
         f"{lines / base:,.0f}", mb(num("tf_upgrade_rss")), "1.00"],
    ]  # fmt: skip
    for j in sorted({1, jobs}):
        wall = num(f"rewrite_j{j}_wall")
        rows.append(
            [f"tf-migrate rewrite --check -j {j}", f"{wall:.2f}", f"{files / wall:,.0f}",
             f"{lines / wall:,.0f}", mb(num(f"rewrite_j{j}_rss")), f"{base / wall:.1f}x"]
        )  # fmt: skip
    header = ["run", "wall s", "files/s", "lines/s", "peak RSS (tree)", "speed vs tf_upgrade_v2"]
    out = [
        f"machine: {r['machine']}",
        f"tree: {files} Python files, {lines:,} lines; {r['relevant']} TF-relevant "
        f"({r['relevant_lines']:,} lines), {r['tf_other']} other TF, {r['no_tf']} without TF; "
        f"median of {r['repeat']}",
        "",
        table(header, rows),
        "",
    ]
    floor, engine = num("floor_relevant_s"), num("engine_relevant_s")
    read, runner = num("read_no_tf_s"), num("runner_no_tf_s")
    n_rel, n_no = max(int(num("relevant")), 1), max(int(num("no_tf")), 1)
    out.append(table(["in-process, same files", "baseline", "tf-migrate", "ratio"], [
        [f"TF-relevant files ({n_rel}): LibCST parse+codegen vs engine",
         f"{floor / n_rel * 1e3:.1f} ms/file", f"{engine / n_rel * 1e3:.1f} ms/file",
         f"{engine / floor:.2f}x"],
        [f"files without TF ({n_no}): read bytes vs runner",
         f"{read / n_no * 1e6:.0f} us/file", f"{runner / n_no * 1e6:.0f} us/file",
         f"{runner / read:.1f}x"],
    ]))  # fmt: skip
    out.append("")
    out.append(table(["start-up", "wall s"], [
        ["python -c pass", f"{r['startup_python_s']:.3f}"],
        ["python -c 'import libcst.codemod' (parser floor)", f"{r['startup_libcst_s']:.3f}"],
        ["tf-migrate rewrite --help", f"{r['startup_help_s']:.3f}"],
        ["tf-migrate rewrite --check ONE_FILE", f"{r['startup_one_file_s']:.3f}"],
    ]))  # fmt: skip
    wall_j, wall_1 = num(f"rewrite_j{jobs}_wall"), num("rewrite_j1_wall")
    rss, top = num(f"rewrite_j{jobs}_rss"), num(f"rewrite_j{jobs}_max_process_rss")
    help_s, one_s = num("startup_help_s"), num("startup_one_file_s")
    checks = [
        ("files/s vs tf_upgrade_v2, -j 1 (same cores)", f"{base / wall_1:.1f}x", ">= 5x",
         base / wall_1 >= 5),
        (f"files/s vs tf_upgrade_v2, -j {jobs}", f"{base / wall_j:.1f}x", ">= 5x",
         base / wall_j >= 5),
        ("engine vs LibCST floor (TF-relevant)", f"{engine / floor:.2f}x", "<= 1.3x",
         engine / floor <= 1.3),
        ("file without TF vs a file read", f"{runner / read:.1f}x", "~1x", None),
        ("start-up, rewrite --help", f"{help_s:.2f} s", "< 0.4 s", help_s < 0.4),
        ("start-up, one-file rewrite", f"{one_s:.2f} s", "< 0.4 s", one_s < 0.4),
        ("TensorFlow imported by rewrite", str(r["imports_tensorflow"]), "False",
         not r["imports_tensorflow"]),
        (f"peak RSS, -j {jobs} (all processes)", mb(rss), "< 150 MB", rss < TARGETS["rss"]),
        ("peak RSS, largest process", mb(top), "< 150 MB", top < TARGETS["rss"]),
    ]  # fmt: skip
    out.append("")
    met = [[a, b, c, "-" if d is None else ("yes" if d else "no")] for a, b, c, d in checks]
    out.append(table(["target (issue 9)", "measured", "target", "met"], met))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000, help="files in the generated tree")
    parser.add_argument("--tree", type=Path, help="benchmark this tree instead of a generated one")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="repetitions per measurement")
    parser.add_argument("--baseline-repeat", type=int, help="repetitions of tf_upgrade_v2 (slow)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--quick", action="store_true", help="skip tf_upgrade_v2 (smoke runs)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tfm-bench-") as tmp:
        work = Path(tmp)
        root = args.tree
        if root is None:
            root = work / "tree"
            gen_tree.generate(root, args.files, args.seed)
        tree = classify(root.resolve())
        if not tree.py:
            sys.exit(f"no Python files under {root}")
        res = measure(
            tree, args.jobs, args.repeat, args.baseline_repeat or args.repeat, work, args.quick
        )
    res["tree"] = (
        str(args.tree) if args.tree else f"generated --files {args.files} --seed {args.seed}"
    )
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

"""Differential testing of code rewrites: run the TF1 program and its rewrite, compare exports.

A runnable corpus case is `corpus/code/<codemod>/<case>/before.py`: a self-contained TF1
program with
seeded synthetic data that trains a few steps and exports a SavedModel to `argv[1]`. `argv[2]`
is a scratch directory shared by both runs (a program whose training is not deterministic
writes its initial checkpoint there on the first run and restores it on the second). Each
program runs in a fresh interpreter; the exports are then compared with the parity gate,
once per TF1 tag-set. Reusable for any codemod: pass the rewrite function.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_USE_LEGACY_KERAS": "1",  # tf.compat.v1.layers needs tf-keras
    "CUDA_VISIBLE_DEVICES": "",
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class ProgramRun:
    script: Path
    export_dir: Path
    returncode: int
    stdout: str
    stderr: str

    def check(self) -> None:
        assert self.returncode == 0, f"{self.script} failed:\n{self.stderr[-4000:]}"
        assert _saved_model_file(self.export_dir).is_file(), f"{self.script} exported nothing"


@dataclass
class Differential:
    """Both runs of one case, and the rewritten source that was run."""

    case: str
    rewritten: str
    before: ProgramRun
    after: ProgramRun
    notes: list[str] = field(default_factory=list)


def run_program(script: Path, export_dir: Path, scratch: Path, timeout: float = 300) -> ProgramRun:
    """Run one program in a fresh interpreter (cwd = scratch, so stray files stay there)."""
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(script), str(export_dir), str(scratch)],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=scratch, check=False,
    )  # fmt: skip
    return ProgramRun(script, export_dir, proc.returncode, proc.stdout, proc.stderr)


def run_case(case: Path, work: Path, rewrite: Callable[[str], str]) -> Differential:
    """before.py, then its rewrite, each exporting into `work`; the original runs first."""
    work.mkdir(parents=True, exist_ok=True)
    scratch = work / "scratch"
    scratch.mkdir(exist_ok=True)
    rewritten = rewrite((case / "before.py").read_text())
    script = work / "rewritten.py"
    script.write_text(rewritten)
    before = run_program(case / "before.py", work / "tf1_export", scratch)
    after = run_program(script, work / "tf2_export", scratch)
    return Differential(case.name, rewritten, before, after)


def run_cases(
    cases: Sequence[Path], work: Path, rewrite: Callable[[str], str], jobs: int = 2
) -> dict[str, Differential]:
    """All cases, `jobs` at a time (each case's two runs are sequential)."""
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {c.name: pool.submit(run_case, c, work / c.name, rewrite) for c in cases}
        return {name: future.result() for name, future in futures.items()}


def tag_sets(export_dir: Path) -> list[frozenset[str]]:
    """The MetaGraphs' tag-sets in a SavedModel (TF1 exports may have several)."""
    from google.protobuf import text_format  # noqa: PLC0415
    from tensorflow.core.protobuf import saved_model_pb2  # noqa: PLC0415 - TF only when comparing

    proto = saved_model_pb2.SavedModel()
    path = _saved_model_file(export_dir)
    if path.suffix == ".pbtxt":
        text_format.Parse(path.read_text(), proto)
    else:
        proto.ParseFromString(path.read_bytes())
    return [frozenset(m.meta_info_def.tags) for m in proto.meta_graphs]


def _saved_model_file(export_dir: Path) -> Path:
    """saved_model.pb, or saved_model.pbtxt where TF1 wrote text (`builder.save(as_text=True)`)."""
    binary, text = export_dir / "saved_model.pb", export_dir / "saved_model.pbtxt"
    return text if text.is_file() and not binary.is_file() else binary


def compare_exports(
    reference: Path, candidate: Path, allow_ops: frozenset[str] = frozenset()
) -> list[str]:
    """Parity-gate problems (empty = pass), checking every tag-set of the reference."""
    from migrate.converter.verification import verify_paths
    from migrate.parity.gate import ParityOptions  # noqa: PLC0415

    problems: list[str] = []
    for tags in tag_sets(reference):
        report = verify_paths(
            reference, candidate, ParityOptions(), reference_tags=tags, allow_ops=allow_ops
        )
        failed = [f"{c.signature}/{c.output}" for c in report.comparisons if not c.passed]
        missing = [f"only in TF1: {k}" for k in report.only_in_reference]
        problems += [f"{sorted(tags)}: {p}" for p in [*report.errors, *failed, *missing]]
        if report.compared_nothing:
            problems.append(f"{sorted(tags)}: nothing compared")
    return problems


def verify_cli(reference: Path, candidate: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`tf-migrate verify A B` in a fresh process: the gate users run in CI."""
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "migrate", "verify", str(reference), str(candidate), *extra],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip

"""A fleet of 21 models built from corpus/models plus two made here, and one full run of it.

fleet/team/<case>        14 corpus SavedModels that convert and verify
fleet/serving/linear     a TF Serving base with versions 1 and 2
fleet/broken/corrupt     saved_model.pb cut short                      -> failed, error
fleet/broken/hostile     corpus hostile_writefile                      -> refused, scan
fleet/broken/noisy       unseeded random op                            -> failed, parity
extra/manifest.jsonl     two_tag_sets (tags serve), linear_ref's checkpoint (a signature
                         definition) and spin (timeout 8 s)            -> spin: failed, timeout
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_python

GOOD = (
    "cond_while counter defun_library gpu_pinned int_string_io linear_ref local_variable "
    "no_inputs partitioned resource_vars sparse_input sparse_output training_placeholder "
    "vocab_table"
).split()
EXPECTED = {
    **{f"team/{name}": ("converted", None) for name in GOOD},
    "serving/linear": ("converted", None),
    "two_tag_sets": ("converted", None),
    "linear_checkpoint": ("converted", None),
    "broken/corrupt": ("failed", "error"),
    "broken/hostile": ("refused", "scan"),
    "broken/noisy": ("failed", "parity"),
    "spin": ("failed", "timeout"),
}


@dataclass(frozen=True)
class Fleet:
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Run:
    out: Path
    exit_code: int
    summary: dict[str, Any]
    junit: str


def fleet_cli(fleet: Fleet, out: Path, *extra: str) -> subprocess.Popen[str]:
    """Start `tf-migrate fleet` on `fleet` (the reports go beside OUT_ROOT)."""
    args = [sys.executable, "-m", "migrate", "fleet", *fleet.sources, "--out", str(out), "-j", "2"]
    args += ["--json", f"{out}.json", "--junit", f"{out}.xml", "--html", f"{out}.html", *extra]
    return subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def run_fleet(fleet: Fleet, out: Path, *extra: str) -> Run:
    process = fleet_cli(fleet, out, *extra)
    output, _ = process.communicate(timeout=1800)
    assert process.returncode in (0, 1, 2), output[-3000:]
    summary_path = Path(f"{out}.json")
    assert summary_path.exists(), output[-3000:]
    summary = json.loads(summary_path.read_text())
    return Run(out, process.returncode, summary, Path(f"{out}.xml").read_text())


def verdicts(summary: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {r["relative"]: (r["verdict"], r["cause"]) for r in summary["results"]}


@pytest.fixture(scope="session")
def fleet(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = tmp_path_factory.mktemp("fleet")
    made = tmp_path_factory.mktemp("made")
    made_models = run_python(
        "import sys, tests.fleet.make_models as m; m.main(sys.argv[1])", str(made)
    )
    assert made_models.returncode == 0, made_models.stderr[-2000:]
    models, extra = root / "fleet", root / "extra"
    for name in GOOD:
        shutil.copytree(corpus_dir / name / "saved_model", models / "team" / name)
    for version in ("1", "2"):
        shutil.copytree(
            corpus_dir / "linear_ref" / "saved_model", models / "serving" / "linear" / version
        )
    corrupt = models / "broken" / "corrupt"
    shutil.copytree(corpus_dir / "linear_ref" / "saved_model", corrupt)
    proto = (corrupt / "saved_model.pb").read_bytes()
    (corrupt / "saved_model.pb").write_bytes(proto[: len(proto) // 2])
    shutil.copytree(corpus_dir / "hostile_writefile" / "saved_model", models / "broken" / "hostile")
    shutil.copytree(made / "noisy", models / "broken" / "noisy")
    shutil.copytree(corpus_dir / "two_tag_sets" / "saved_model", extra / "two_tag_sets")
    shutil.copytree(corpus_dir / "linear_ref" / "checkpoint", extra / "linear_checkpoint")
    shutil.copytree(made / "spin", extra / "spin")
    entries = [
        {"path": "two_tag_sets", "options": {"tags": "serve"}},
        {"path": "linear_checkpoint", "options": {"signature": ["serving_default:x->y"]}},
        {"path": "spin", "options": {"timeout": 8}},
    ]
    manifest = extra / "manifest.jsonl"
    manifest.write_text("".join(json.dumps(entry) + "\n" for entry in entries))
    return Fleet((str(models), str(manifest)))


@pytest.fixture(scope="session")
def first_run(fleet: Fleet, tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_fleet(fleet, tmp_path_factory.mktemp("first") / "out")

"""The live-session export (codemods/live_export_template.py) on runnable TF1 programs.

Each `corpus/live_export/<case>/before.py` trains and exports with TF1 APIs; its `after.py` is the
same program with the export call swapped for the generated helper and, after the imports, the
marker where the codemod inserts the helper block (`MARKER`; the block is stored once, in the
template, not 28 times). The test expands the marker, which gives exactly the program the export
codemods emit. Both run in fresh processes; `tf-migrate
verify` compares the exports for every TF1 tag-set, and the TF2 export must load, expose its
trainable variables and re-save in a fresh process, with the programs' scratch files (vocabulary
files, checkpoints) gone.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codemods.live_export_template import BUILDER, SIMPLE_SAVE, live_export_source
from tests.codemods.differential import ENV, ROOT, ProgramRun, run_program, tag_sets, verify_cli

CORPUS = ROOT / "corpus" / "live_export"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "before.py").is_file())
TF1_EXPORT_NAMES = {"simple_save", "SavedModelBuilder", "Builder"}
MARKER = "# tf-migrate: the live export block (codemods/live_export_template.py) goes here\n"
LOAD_AND_RESAVE = """
import sys
import tensorflow as tf
model = tf.saved_model.load(sys.argv[1])
assert model.signatures, "no signatures"
print(len(model.trainable_variables), len(model.variables))
tf.saved_model.save(model, sys.argv[2], signatures=dict(model.signatures))
tf.saved_model.load(sys.argv[2])
"""


def _run_pair(case: Path, work: Path) -> tuple[ProgramRun, ProgramRun]:
    """before.py then after.py, sharing a scratch directory that is deleted afterwards."""
    scratch = work / "scratch"
    scratch.mkdir(parents=True)
    script = work / "after.py"
    script.write_text(_emitted(case))
    before = run_program(case / "before.py", work / "tf1_export", scratch)
    after = run_program(script, work / "tf2_export", scratch)
    shutil.rmtree(scratch)  # the exports must not need the programs' files (vocabularies)
    return before, after


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ProgramRun, ProgramRun]]:
    work = tmp_path_factory.mktemp("live_export")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.name: pool.submit(_run_pair, c, work / c.name) for c in CASES}
        return {name: future.result() for name, future in futures.items()}


def _emitted(case: Path) -> str:
    """after.py with the marker expanded: the program the export codemod writes."""
    return (case / "after.py").read_text().replace(MARKER, live_export_source(), 1)


def _called_names(code: str) -> set[str]:
    """Names of the functions called in code (`f(...)`, `x.f(...)`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def test_corpus_size_and_rewrites_are_mechanical() -> None:
    """At least 20 programs; after.py = before.py with the block inserted and callees swapped."""
    assert len(CASES) >= 20
    for case in CASES:
        after = (case / "after.py").read_text()
        assert after.count(MARKER) == 1, case.name
        assert _emitted(case).count(live_export_source()) == 1
        user_code = after.replace("\n\n" + MARKER + "\n", "", 1)
        called = _called_names(user_code)
        assert not called & TF1_EXPORT_NAMES, case.name
        assert called & {SIMPLE_SAVE, BUILDER}, case.name
        if "add_meta_graph_and_variables" in called:  # only on the TF2 builder
            assert BUILDER in called, case.name
        before_lines = (case / "before.py").read_text().splitlines()
        after_lines = user_code.splitlines()
        assert len(after_lines) == len(before_lines), case.name
        changed = [a for b, a in zip(before_lines, after_lines, strict=True) if a != b]
        assert changed and all(SIMPLE_SAVE in a or BUILDER in a for a in changed), case.name


def test_block_is_plain_tensorflow() -> None:
    """The generated code imports TensorFlow only: migrated programs never import tf-migrate."""
    imported = set()
    for node in ast.walk(ast.parse(live_export_source())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported == {"tensorflow"}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_live_export_matches_tf1(
    case: Path, runs: dict[str, tuple[ProgramRun, ProgramRun]], tmp_path: Path
) -> None:
    before, after = runs[case.name]
    before.check()
    after.check()
    for tags in tag_sets(before.export_dir):
        result = verify_cli(before.export_dir, after.export_dir, "--tags", ",".join(sorted(tags)))
        assert result.returncode == 0, f"{sorted(tags)}:\n{result.stdout[-3000:]}{result.stderr}"
    assert tag_sets(after.export_dir) == [frozenset({"serve"})]  # one TF2 MetaGraph
    env = {**ENV, "PATH": "/usr/bin:/bin"}
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_AND_RESAVE, str(after.export_dir), str(tmp_path / "resaved")],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    trainable, variables = map(int, loaded.stdout.split()[-2:])
    assert trainable > 0 or variables == 0

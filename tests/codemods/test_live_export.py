"""The export codemods on runnable TF1 programs whose exports the re-traced module cannot prove.

Each `corpus/live_export/<case>/before.py` trains and exports with TF1 APIs; `after.py` is what
the export codemods write for it (through `engine.rewrite_code`), with the live export block
stored once, in the template, and a one-line marker in its place. Most cases take the live
export (`simple_save_tf2` / `SavedModelBuilderTF2`); a few are proven and re-traced; the
`fallback_*` ones meet what TF2 cannot express and must warn and write the TF1 export instead.
Both programs run in fresh processes (2 at a time); `tf-migrate verify` compares the exports
for every TF1 tag-set, and a TF2 export must load, expose its trainable variables and re-save
in a fresh process, with the programs' scratch files (vocabulary files, checkpoints) gone.

Only the export codemods run here: the stored outputs do not move when the Saver/loading
codemods change (their own corpus covers them).

Regenerate after.py after an intended change: `python -m tests.codemods.test_live_export`.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from codemods.commands._export.live_template import (
    BUILDER,
    SIMPLE_SAVE,
    live_export_source,
)
from codemods.commands._export.live_template import LIVE_MARKER as MARKER
from codemods.commands.builder_to_module import BuilderToModule
from codemods.commands.registry import CODEMODS
from codemods.commands.simple_save_to_module import SimpleSaveToModule
from codemods.engine.rewrite import rewrite_code
from tests.codemods.conftest import corpus_cases
from tests.codemods.differential import ENV, ROOT, ProgramRun, run_program, tag_sets, verify_cli

CORPUS = ROOT / "corpus" / "live_export"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "before.py").is_file())
EXPORT_CODEMODS = (SimpleSaveToModule, BuilderToModule)
TF1_EXPORT_NAMES = {"simple_save", "SavedModelBuilder", "Builder"}
FALLBACK_WARNING = "tf-migrate live export:"
LOAD_AND_RESAVE = """
import sys
import tensorflow as tf
model = tf.saved_model.load(sys.argv[1])
assert model.signatures, "no signatures"
variables = getattr(model, "variables", None) or list(getattr(model, "tf1_variables", {}).values())
trainable = getattr(model, "trainable_variables", None) or [v for v in variables if v.trainable]
print(len(trainable), len(variables))
tf.saved_model.save(model, sys.argv[2], signatures=dict(model.signatures))
tf.saved_model.load(sys.argv[2])
"""


def rewrite(code: str) -> str:
    return rewrite_code(code, EXPORT_CODEMODS).code


def stored(case: Path) -> str:
    """after.py with the marker expanded: the program the export codemods write."""
    return (case / "after.py").read_text().replace(MARKER, live_export_source(), 1)


def _run_pair(case: Path, work: Path) -> tuple[ProgramRun, ProgramRun]:
    """before.py then its rewrite, sharing a scratch directory that is deleted afterwards."""
    scratch = work / "scratch"
    scratch.mkdir(parents=True)
    script = work / "after.py"
    script.write_text(rewrite((case / "before.py").read_text()))
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


def _called_names(code: str) -> set[str]:
    """Names of the functions called in code (`f(...)`, `x.f(...)`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_codemod_output_is_stored_and_idempotent(case: Path) -> None:
    """The codemods write after.py; a second run changes nothing; no TF1 export call is left."""
    output = rewrite((case / "before.py").read_text())
    assert output == stored(case)
    assert rewrite(output) == output
    block = live_export_source()
    assert output.count(block) <= 1
    called = _called_names(output.replace(block, ""))
    assert not called & TF1_EXPORT_NAMES
    if block in output:
        assert called & {SIMPLE_SAVE, BUILDER}
    if case.name.startswith("fallback_"):
        assert block in output


def test_corpus_covers_live_retraced_and_fallback() -> None:
    live = [c for c in CASES if MARKER in (c / "after.py").read_text()]
    assert len(CASES) >= 32 and len(live) >= 27
    assert len(live) < len(CASES)  # some sites are proven and re-traced
    assert sum(c.name.startswith("fallback_") for c in CASES) >= 2


def test_differential_corpus_has_forty_programs() -> None:
    """Issue 14: at least 40 runnable TF1 export programs, each run before and after `rewrite`
    (these, and the static shapes `tests/codemods/test_export_differential.py` runs)."""
    static = [c for c in corpus_cases("export_runnable_*") if (c / "before.py").is_file()]
    assert len(CASES) + len(static) >= 40


def test_block_is_plain_tensorflow() -> None:
    """The generated code imports TensorFlow (and the stdlib's warnings) only: migrated
    programs never import tf-migrate."""
    imported = set()
    for node in ast.walk(ast.parse(live_export_source())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
    assert imported == {"tensorflow", "warnings"}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rewritten_program_exports_what_tf1_exported(
    case: Path, runs: dict[str, tuple[ProgramRun, ProgramRun]], tmp_path: Path
) -> None:
    before, after = runs[case.name]
    before.check()
    after.check()
    for tags in tag_sets(before.export_dir):
        result = verify_cli(before.export_dir, after.export_dir, "--tags", ",".join(sorted(tags)))
        assert result.returncode == 0, f"{sorted(tags)}:\n{result.stdout[-3000:]}{result.stderr}"
    if case.name.startswith("fallback_"):  # TF2 cannot express it: the TF1 export, and a warning
        assert FALLBACK_WARNING in after.stderr
        assert tag_sets(after.export_dir) == tag_sets(before.export_dir)
        return
    assert FALLBACK_WARNING not in after.stderr
    assert tag_sets(after.export_dir) == [frozenset({"serve"})]  # one TF2 MetaGraph
    env = {**ENV, "PATH": "/usr/bin:/bin"}
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_AND_RESAVE, str(after.export_dir), str(tmp_path / "resaved")],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    trainable, variables = map(int, loaded.stdout.split()[-2:])
    assert trainable > 0 or variables == 0


def rewrite_all(code: str) -> str:
    """What `tf-migrate rewrite` writes: every default codemod, not only the export ones."""
    return rewrite_code(code, tuple(CODEMODS.values())).code


# Cases whose Saver (or other) code the default codemods rewrite too: the program a user gets.
ALSO_REWRITTEN = [c for c in CASES if rewrite_all((c / "before.py").read_text()) != stored(c)]


def test_some_cases_exercise_the_other_codemods() -> None:
    assert ALSO_REWRITTEN  # e.g. two_graphs: two Savers bound to one name, each converted


@pytest.mark.slow
@pytest.mark.parametrize("case", ALSO_REWRITTEN, ids=[c.name for c in ALSO_REWRITTEN])
def test_default_codemods_keep_the_program_working(case: Path, tmp_path: Path) -> None:
    """All default codemods together: the rewritten program runs and exports the same model."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    script = tmp_path / "after.py"
    script.write_text(rewrite_all((case / "before.py").read_text()))
    before = run_program(case / "before.py", tmp_path / "tf1_export", scratch)
    after = run_program(script, tmp_path / "tf2_export", scratch)
    before.check()
    after.check()
    for tags in tag_sets(before.export_dir):
        result = verify_cli(before.export_dir, after.export_dir, "--tags", ",".join(sorted(tags)))
        assert result.returncode == 0, f"{sorted(tags)}:\n{result.stdout[-3000:]}{result.stderr}"


def regenerate() -> None:
    """Store the codemods' current output as each case's after.py (the block as the marker)."""
    for case in CASES:
        output = rewrite((case / "before.py").read_text())
        (case / "after.py").write_text(output.replace(live_export_source(), MARKER, 1))


if __name__ == "__main__":
    regenerate()

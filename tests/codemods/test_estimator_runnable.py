"""The rewritten Estimator programs run on TF 2.21 and export what the TF 2.15 Estimator exported.

Each `corpus/code/estimator_export_to_module/estimator_*/after.py` (what
`estimator_export_to_module` writes) runs in a fresh interpreter as
`python after.py MODEL_DIR EXPORT_BASE`, restores the committed TF 2.15 checkpoint from
`tf215_model_dir/`, and writes a TF2 SavedModel under EXPORT_BASE; the parity gate then
compares it with the committed Estimator export `tf215_export/1600000000` (same signature keys,
inputs, outputs and values on seeded tf.Examples). `tf.estimator` cannot run here at all.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from codemods.commands.registry import CODEMODS
from codemods.engine.rewrite import rewrite_code
from tests.codemods.conftest import corpus_case, corpus_cases
from tests.codemods.differential import ENV, ROOT, compare_exports, verify_cli

RUNNABLE = sorted(p for p in corpus_cases("estimator_*") if p.name != "estimator_canned_todo")
REFERENCE = "tf215_export/1600000000"


@dataclass(frozen=True)
class Run:
    case: Path
    export_dir: Path | None
    returncode: int
    stdout: str
    stderr: str


def _run(case: Path, base: Path) -> Run:
    env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, str(case / "after.py"), str(case / "tf215_model_dir"), str(base)],
        capture_output=True, text=True, timeout=300, env=env, cwd=base.parent, check=False,
    )  # fmt: skip
    exports = sorted(base.iterdir()) if base.is_dir() else []
    return Run(
        case, exports[0] if len(exports) == 1 else None, proc.returncode, proc.stdout, proc.stderr
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    work = tmp_path_factory.mktemp("estimator")
    for case in RUNNABLE:
        (work / case.name).mkdir()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.name: pool.submit(_run, c, work / c.name / "export") for c in RUNNABLE}
        return {name: future.result() for name, future in futures.items()}


def _manifest(case: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((case / "manifest.json").read_text())
    return manifest


def test_enough_runnable_cases() -> None:
    """The issues ask for runnable custom-model_fn cases; eight are committed (one more is
    canned)."""
    assert len(RUNNABLE) >= 8


@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_after_is_the_codemods_output_and_drops_tf_estimator(case: Path) -> None:
    """after.py is exactly what the registered codemods write, and no tf.estimator call is left."""
    rewritten = rewrite_code((case / "before.py").read_text(), tuple(CODEMODS.values()))
    assert rewritten.code == (case / "after.py").read_text()
    assert "estimator_export_to_module" in rewritten.applied and not rewritten.findings
    code_lines = [line for line in rewritten.code.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in code_lines if "tf.estimator" in line or ".export_saved" in line]


@pytest.mark.slow
@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_rewritten_program_restores_the_checkpoint_and_passes_verify(
    case: Path, runs: dict[str, Run]
) -> None:
    """after.py runs on TF 2.21, prints its export dir and checkpoint; verify vs TF 2.15 passes."""
    run = runs[case.name]
    assert run.returncode == 0, run.stderr[-4000:]
    assert run.export_dir is not None and (run.export_dir / "saved_model.pb").is_file()
    printed = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(printed["export_dir"]) == run.export_dir
    assert Path(printed["checkpoint"]).name == _manifest(case)["checkpoint"]
    assert compare_exports(case / REFERENCE, run.export_dir) == []


@pytest.mark.slow
@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_export_is_tf2_with_the_estimators_method_names(case: Path, runs: dict[str, Run]) -> None:
    """One MetaGraph with an object graph; per signature, TF Serving's method name as Estimator
    wrote it."""
    from tensorflow.core.protobuf import saved_model_pb2  # noqa: PLC0415

    export_dir = runs[case.name].export_dir
    assert export_dir is not None
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((export_dir / "saved_model.pb").read_bytes())
    assert len(proto.meta_graphs) == 1 and len(proto.meta_graphs[0].object_graph_def.nodes) > 1
    signatures = {
        k: v for k, v in proto.meta_graphs[0].signature_def.items() if not k.startswith("__")
    }
    expected = _manifest(case)["signatures"]
    assert {k: v.method_name for k, v in signatures.items()} == {
        k: v["method_name"] for k, v in expected.items()
    }
    for key, signature in expected.items():
        assert set(signatures[key].inputs) == set(signature["inputs"])
        assert set(signatures[key].outputs) == set(signature["outputs"])


@pytest.mark.slow
def test_variables_keep_the_estimators_names_and_values(runs: dict[str, Run]) -> None:
    """The TF2 export's variables are the checkpoint's, under Estimator's TF1 names (global_step
    too)."""
    import numpy as np  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    case = corpus_case("estimator_multi_head")
    export_dir = runs[case.name].export_dir
    assert export_dir is not None
    loaded = tf.saved_model.load(str(export_dir))
    reader = tf.train.load_checkpoint(str(case / "tf215_model_dir" / _manifest(case)["checkpoint"]))
    names = set(_manifest(case)["variables"])
    assert names == set(loaded.tf1_variables)
    for name in names:
        np.testing.assert_allclose(
            loaded.tf1_variables[name].numpy(), reader.get_tensor(name), rtol=1e-6
        )


@pytest.mark.slow
def test_verify_cli_exits_0(runs: dict[str, Run]) -> None:
    """`tf-migrate verify <TF 2.15 Estimator export> <rewritten export>` is the CI gate users
    run."""
    case = corpus_case("estimator_sparse_varlen")
    export_dir = runs[case.name].export_dir
    assert export_dir is not None
    proc = verify_cli(case / REFERENCE, export_dir)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

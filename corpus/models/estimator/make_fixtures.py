"""Write the committed Estimator fixtures. Runs ONLY under TensorFlow 2.15 + tensorflow-estimator
2.15.

`tf.estimator` is gone from TF >= 2.16, so the project (TF 2.21) cannot create Estimator exports
itself; this script is run once, by hand, in a separate virtualenv, and its small outputs are
committed (see README.md beside it for the exact command):

- converter fixtures (issue 3): `corpus/models/estimator/<fixture>/export/<timestamp>/` plus
  `manifest.json`, built from `fixture_models.py`;
- codemod fixtures (issue 7): each `corpus/code/estimator_*/before.py` is run as a program
  (`before.py MODEL_DIR EXPORT_BASE`) in a fresh interpreter, and its export and final checkpoint
  are copied to `tf215_export/<timestamp>/` and `tf215_model_dir/`, plus `manifest.json`.

Everything is seeded, single-threaded and trained on fixed synthetic data; Estimator's wall-clock
timestamps are replaced by fixed ones so that re-running the script rewrites the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
import zlib
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CODE_CORPUS = ROOT / "corpus" / "code"
FIRST_TIMESTAMP = 1600000000  # fixed export "timestamps": 2020-09-13, then +600 s per export
TIMESTAMP_STEP = 600


def check_tensorflow() -> Any:
    """Refuse to run anywhere but TF 2.15 with tensorflow-estimator: the fixtures say who wrote
    them.
    """
    import tensorflow as tf  # noqa: PLC0415

    if not tf.__version__.startswith("2.15.") or not hasattr(tf.compat.v1, "estimator"):
        sys.exit(
            f"make_fixtures.py needs TensorFlow 2.15 + tensorflow-estimator 2.15 (found TF "
            f"{tf.__version__}); "
            "see corpus/models/estimator/README.md for the virtualenv command."
        )
    return tf


def run_config(tf: Any) -> Any:
    """Seeded, single-threaded, one checkpoint kept: reproducible weights and few files."""
    session = tf.compat.v1.ConfigProto(
        intra_op_parallelism_threads=1, inter_op_parallelism_threads=1
    )
    return tf.compat.v1.estimator.RunConfig(
        tf_random_seed=1234, keep_checkpoint_max=1, save_summary_steps=1000, session_config=session
    )


def pin_uuids(seed: int) -> None:
    """Lookup tables get `shared_name="hash_table_<uuid4>"`; seeded uuids make saved_model.pb
    reproducible.
    """
    rng = random.Random(seed)
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


def pin_timestamp(export_path: Path, index: int) -> Path:
    """Rename Estimator's wall-clock version dir to a fixed one (still a numeric timestamp)."""
    fixed = export_path.parent / str(FIRST_TIMESTAMP + index * TIMESTAMP_STEP)
    export_path.rename(fixed)
    return fixed


def write_converter_fixture(tf: Any, fixture: Any, out_root: Path) -> dict[str, Any]:
    """Train, export once per `steps_per_export` entry.

    Then copy the export base and write manifest.json.
    """
    from fixture_models import train_input_fn  # noqa: PLC0415

    pin_uuids(zlib.crc32(fixture.name.encode()))
    with tempfile.TemporaryDirectory() as tmp:
        model_dir, export_base = Path(tmp) / "model_dir", Path(tmp) / "export"
        estimator = fixture.make_estimator(str(model_dir), run_config(tf))
        for index, steps in enumerate(fixture.steps_per_export):
            estimator.train(train_input_fn, max_steps=steps)
            if fixture.all_modes:
                from fixture_models import supervised_receiver  # noqa: PLC0415

                modes = tf.compat.v1.estimator.ModeKeys
                receivers = {
                    modes.PREDICT: fixture.receiver_fn(),
                    modes.TRAIN: supervised_receiver(),
                    modes.EVAL: supervised_receiver(),
                }
                written = Path(
                    estimator.experimental_export_all_saved_models(
                        str(export_base), receivers
                    ).decode()
                )
            else:
                written = Path(
                    estimator.export_saved_model(str(export_base), fixture.receiver_fn()).decode()
                )
            pin_timestamp(written, index)
        target = out_root / fixture.name
        _replace_dir(export_base, target / "export")
    manifest = describe_export_base(tf, target / "export")
    manifest.update(fixture=fixture.name, description=fixture.description, written_by=versions(tf))
    _check_methods(manifest, fixture.expected_methods, fixture.name)
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def write_code_case(tf: Any, case_dir: Path) -> dict[str, Any]:
    """Run `before.py MODEL_DIR EXPORT_BASE` as its author would, then keep its small outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        model_dir, export_base = Path(tmp) / "model_dir", Path(tmp) / "export"
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
        proc = subprocess.run(
            [sys.executable, "before.py", str(model_dir), str(export_base)],
            cwd=case_dir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            sys.exit(f"{case_dir / 'before.py'} failed:\n{proc.stderr[-4000:]}")
        printed = json.loads(proc.stdout.strip().splitlines()[-1])
        pin_timestamp(Path(printed["export_dir"]), 0)
        _replace_dir(export_base, case_dir / "tf215_export")
        latest = keep_latest_checkpoint(tf, model_dir, case_dir / "tf215_model_dir")
    manifest = describe_export_base(tf, case_dir / "tf215_export")
    manifest.update(
        case=case_dir.name,
        command=f"python before.py MODEL_DIR EXPORT_BASE  (in {case_dir.relative_to(ROOT)})",
        model_dir="tf215_model_dir",
        checkpoint=latest,
        written_by=versions(tf),
    )
    (case_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def keep_latest_checkpoint(tf: Any, model_dir: Path, kept: Path) -> str:
    """Copy only the newest checkpoint (index + data) and a state file naming just it.

    The training graph (.meta, graph.pbtxt) and event files are 10-100x larger and not needed to
    restore the variables, which is all a rewritten export program does with model_dir.
    """
    latest = Path(tf.train.latest_checkpoint(str(model_dir))).name
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir(parents=True)
    for path in sorted(model_dir.glob(f"{latest}.*")):
        if path.suffix == ".index" or ".data-" in path.name:
            shutil.copy2(path, kept / path.name)
    (kept / "checkpoint").write_text(
        f'model_checkpoint_path: "{latest}"\nall_model_checkpoint_paths: "{latest}"\n'
    )
    return latest


def describe_export_base(tf: Any, export_base: Path) -> dict[str, Any]:
    """What tests compare the converted model with: versions, signatures, variables, global_step."""
    from tensorflow.core.protobuf import saved_model_pb2  # noqa: PLC0415

    versions_ = sorted(
        (p for p in export_base.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)
    )
    newest = versions_[-1]
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((newest / "saved_model.pb").read_bytes())
    metas = {",".join(sorted(m.meta_info_def.tags)): m for m in proto.meta_graphs}
    meta = metas["serve"]  # the graph TF Serving loads; an all-modes export also has train and eval
    trainable = _collection_variables(meta, "trainable_variables")
    kinds = {
        node.name: "ref" if node.op == "VariableV2" else "resource"
        for node in meta.graph_def.node
        if node.op in ("VariableV2", "VarHandleOp")
    }
    step_values = {
        p.name: int(tf.train.load_variable(str(p / "variables" / "variables"), "global_step"))
        for p in versions_
        if "global_step" in kinds
    }
    return {
        "export_base": export_base.name,
        "versions": [p.name for p in versions_],
        "newest": newest.name,
        "tags": sorted(meta.meta_info_def.tags),
        "tag_sets": {
            tags: {key: sig.method_name for key, sig in sorted(m.signature_def.items())}
            for tags, m in sorted(metas.items())
        },
        "signatures": {
            key: _describe_signature(sig) for key, sig in sorted(meta.signature_def.items())
        },
        "variables": {
            name: {"kind": kind, "trainable": name in trainable}
            for name, kind in sorted(kinds.items())
        },
        "global_step": {
            "present": "global_step" in kinds,
            "trainable": "global_step" in trainable,
            "values": step_values,
        },
    }


def _describe_signature(signature: Any) -> dict[str, Any]:
    def tensors(items: Any) -> dict[str, str]:
        return {
            key: info.name or f"sparse:{info.coo_sparse.values_tensor_name}"
            for key, info in sorted(items.items())
        }

    return {
        "method_name": signature.method_name,
        "inputs": tensors(signature.inputs),
        "outputs": tensors(signature.outputs),
    }


def _collection_variables(meta: Any, key: str) -> set[str]:
    from tensorflow.core.framework import variable_pb2  # noqa: PLC0415

    names = set()
    for raw in meta.collection_def[key].bytes_list.value if key in meta.collection_def else []:
        variable = variable_pb2.VariableDef()
        variable.ParseFromString(raw)
        names.add(variable.variable_name.split(":")[0])
    return names


def _check_methods(manifest: dict[str, Any], expected: dict[str, str], name: str) -> None:
    found = {key: sig["method_name"] for key, sig in manifest["signatures"].items()}
    if found != expected:
        sys.exit(f"{name}: the export's signatures {found} are not the expected {expected}")


def _replace_dir(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)


def versions(tf: Any) -> dict[str, str]:
    from importlib.metadata import version  # noqa: PLC0415

    return {"tensorflow": tf.__version__, "tensorflow_estimator": version("tensorflow-estimator")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only", action="append", default=[], help="fixture or case name (repeatable)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="where converter fixtures go (default: beside this file)",
    )
    parser.add_argument(
        "--skip-code", action="store_true", help="do not run the corpus/code/estimator_* programs"
    )
    args = parser.parse_args(argv)
    tf = check_tensorflow()
    # TF1 semantics: what Estimator users' exports were written with
    tf.compat.v1.disable_v2_behavior()
    tf.get_logger().setLevel("ERROR")
    sys.path.insert(0, str(HERE))
    from fixture_models import FIXTURES  # noqa: PLC0415

    for fixture in FIXTURES:
        if not args.only or fixture.name in args.only:
            manifest = write_converter_fixture(tf, fixture, args.out)
            print(
                f"{fixture.name}: versions {manifest['versions']}, signatures "
                f"{sorted(manifest['signatures'])}"
            )
    if args.skip_code:
        return
    for case_dir in sorted(CODE_CORPUS.glob("*/estimator_*")):
        if (case_dir / "before.py").is_file() and (not args.only or case_dir.name in args.only):
            manifest = write_code_case(tf, case_dir)
            print(
                f"{case_dir.name}: signatures {sorted(manifest['signatures'])}, checkpoint "
                f"{manifest['checkpoint']}"
            )


if __name__ == "__main__":
    main()

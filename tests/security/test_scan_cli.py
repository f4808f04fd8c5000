"""`tf-migrate scan`: exit 0 clean, 1 findings, 2 bad input; JSON for tooling."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from migrate.cli import app

runner = CliRunner()


def _scan(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["scan", *args])
    return result.exit_code, result.output


def test_writefile_in_a_function_body_exits_1_and_names_the_fix(corpus_dir: Path) -> None:
    code, out = _scan(str(corpus_dir / "hostile_writefile" / "saved_model"))
    assert code == 1 and "UNSAFE" in out and "WriteFile" in out and "--allow-op WriteFile" in out
    code, out = _scan(
        str(corpus_dir / "hostile_writefile" / "saved_model"), "--allow-op", "WriteFile"
    )
    assert code == 0 and "allowed: WriteFile" in out


def test_escaping_asset_path_exits_1_and_cannot_be_allowed_away(corpus_dir: Path) -> None:
    code, out = _scan(
        str(corpus_dir / "hostile_asset_path" / "saved_model"), "--allow-op", "WriteFile,ReadFile"
    )
    assert code == 1 and "../../etc/passwd" in out and "refused" in out


def test_json_report_over_the_whole_corpus_tree(corpus_dir: Path) -> None:
    code, out = _scan(str(corpus_dir), "--json")
    report = json.loads(out)
    assert code == 1 and report["exit_code"] == 1 and not report["clean"]
    unsafe = {
        Path(m["path"]).relative_to(corpus_dir).parts[0] for m in report["models"] if not m["clean"]
    }
    assert unsafe == {"hostile_writefile", "hostile_asset_path"}
    writes = [f for m in report["models"] for g in m["graphs"] for f in g["findings"]]
    assert {(f["op"], f["node"]) for f in writes} == {("WriteFile", "exfiltrate")}
    assert all(f["function"].startswith("log_values") for f in writes)
    assert len({m["kind"] for m in report["models"]}) == 3


def test_real_models_are_clean(shared_models: Path) -> None:
    code, out = _scan(str(shared_models))
    assert code == 0, out
    assert "6 model(s) scanned: 0 unsafe, 0 unreadable" in " ".join(out.split())


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    code, out = _scan(str(tmp_path / "missing"))
    assert code == 2 and "does not exist" in out
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "saved_model.pb").write_bytes(b"\x0a\xff\xff\xff garbage")
    code, out = _scan(str(tmp_path / "m"))
    assert code == 2 and "not a valid SavedModel" in out and "Traceback" not in out
    (tmp_path / "empty").mkdir()
    code, out = _scan(str(tmp_path / "empty"))
    assert code == 2 and "holds no TF1 model" in out


def test_an_unreadable_model_in_a_tree_is_an_error_beside_the_findings(
    corpus_dir: Path, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(corpus_dir / "hostile_writefile" / "saved_model", tmp_path / "tree" / "bad")
    (tmp_path / "tree" / "broken.pb").write_bytes(b"\x08")
    code, out = _scan(str(tmp_path / "tree"), "--json")
    report = json.loads(out)
    assert code == 3 and len(report["errors"]) == 1 and "broken.pb" in report["errors"][0]["path"]

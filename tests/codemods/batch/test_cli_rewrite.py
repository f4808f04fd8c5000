"""`tf-migrate rewrite` end to end on tmp_path trees, through typer's CliRunner."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import cast

import jsonschema  # type: ignore[import-untyped]
import nbformat
from typer.testing import CliRunner

from codemods.batch.report import REPORT_SCHEMA
from migrate.cli import app

runner = CliRunner()

TF1 = (
    "import tensorflow as tf\nsaver = tf.train.Saver([w])\nwith tf.Session() as s:\n    "
    'saver.save(s, "/c/m", global_step=1)\n'
)
TF2 = (
    "import tensorflow as tf\nsaver = tf.train.Checkpoint(w=w)\nwith tf.Session() as s:\n    "
    'tf.train.CheckpointManager(saver, "/c", max_to_keep=5, checkpoint_name="m")'
    ".save(checkpoint_number=1)\n"
)
LATIN1 = "# -*- coding: latin-1 -*-\n# caf\u00e9\n"


def _notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [
        nbformat.v4.new_code_cell("%matplotlib inline\nimport tensorflow as tf"),  # type: ignore[no-untyped-call]
        nbformat.v4.new_markdown_cell("Saver docs: tf.train.Saver()"),  # type: ignore[no-untyped-call]
        nbformat.v4.new_code_cell("saver = tf.train.Saver([w])\n!ls /tmp\nfiles = !ls"),  # type: ignore[no-untyped-call]
        nbformat.v4.new_code_cell("%%bash\necho tf.train.Saver"),  # type: ignore[no-untyped-call]
        nbformat.v4.new_code_cell("saver.restore(sess, path)\ntf.train.Saver?"),  # type: ignore[no-untyped-call]
    ]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="kept output\n")]  # type: ignore[no-untyped-call]
    nb.metadata["custom"] = {"kept": True}
    return cast(nbformat.NotebookNode, nb)


def _tree(root: Path) -> dict[str, Path]:
    files = {
        "bad": root / "bad.py",
        "latin": root / "pkg" / "latin.py",
        "crlf": root / "pkg" / "crlf.py",
        "nb": root / "nb.ipynb",
    }
    files["latin"].parent.mkdir(parents=True)
    files["bad"].write_bytes(b'import tensorflow as tf\nprint "py2"\nsaver = tf.train.Saver()\n')
    files["latin"].write_bytes((LATIN1 + TF1).encode("latin-1"))
    files["crlf"].write_bytes(TF1.replace("\n", "\r\n").encode())
    nbformat.write(_notebook(), files["nb"])  # type: ignore[no-untyped-call]
    return files


def test_tree_with_bad_latin1_crlf_and_notebook(tmp_path: Path) -> None:
    """Bad file untouched and reported (bit 2); the others rewritten with encoding kept."""
    files = _tree(tmp_path)
    bad_before = files["bad"].read_bytes()
    report = tmp_path / "report.json"
    result = runner.invoke(app, ["rewrite", "-i", str(tmp_path), "--report", str(report)])
    assert result.exit_code & 2 and not result.exit_code & 1, result.output
    assert files["bad"].read_bytes() == bad_before
    assert files["latin"].read_bytes() == (LATIN1 + TF2).encode("latin-1")
    assert files["crlf"].read_bytes() == TF2.replace("\n", "\r\n").encode()
    data = json.loads(report.read_text())
    jsonschema.validate(data, REPORT_SCHEMA)
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert by_name["bad.py"]["status"] == "failed" and by_name["bad.py"]["error_line"] == 2
    assert by_name["nb.ipynb"]["codemods"] == ["saver_to_checkpoint"]
    # per-API sites: one save each in latin/crlf, one restore in the notebook; bad.py unparsed
    assert data["apis"] == {"saver": {"found": 3, "converted": 3}}
    assert by_name["nb.ipynb"]["apis"] == {"saver": {"found": 1, "converted": 1}}
    assert "saver" in result.output and "3 / 3" in result.output
    nb = nbformat.read(files["nb"], as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert sources[0] == "%matplotlib inline\nimport tensorflow as tf"
    assert sources[1] == "Saver docs: tf.train.Saver()"
    assert sources[2] == "saver = tf.train.Checkpoint(w=w)\n!ls /tmp\nfiles = !ls"
    assert sources[3] == "%%bash\necho tf.train.Saver"
    assert sources[4] == "saver.read(path).run_restore_ops(sess)\ntf.train.Saver?"
    assert nb.cells[2].outputs[0]["text"] == "kept output\n"
    assert nb.metadata["custom"] == {"kept": True}


def test_check_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    """--check on unmigrated code: exit 1, no file touched; on migrated code: exit 0."""
    (tmp_path / "a.py").write_text(TF1)
    result = runner.invoke(app, ["rewrite", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert (tmp_path / "a.py").read_text() == TF1
    (tmp_path / "a.py").write_text(TF2)
    assert runner.invoke(app, ["rewrite", "--check", str(tmp_path)]).exit_code == 0


def test_default_prints_diff_and_writes_nothing(tmp_path: Path) -> None:
    """Without --in-place the diff goes to stdout and the file stays as it was."""
    (tmp_path / "a.py").write_text(TF1)
    result = runner.invoke(app, ["rewrite", str(tmp_path / "a.py")])
    assert result.exit_code == 0
    assert "+saver = tf.train.Checkpoint(w=w)" in result.stdout
    assert (tmp_path / "a.py").read_text() == TF1


def test_mode_symlink_exclude_and_generated(tmp_path: Path) -> None:
    """Writes keep the mode, go through symlinks; excluded and generated files are skipped."""
    real = tmp_path / "real.py"
    real.write_text(TF1)
    real.chmod(0o754)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    (tmp_path / "skipme").mkdir()
    (tmp_path / "skipme" / "x.py").write_text(TF1)
    (tmp_path / "gen_pb2.py").write_text(TF1)
    (tmp_path / "gen.py").write_text("# @" + "generated\n" + TF1)
    args = ["rewrite", "-i", str(link), str(tmp_path / "skipme"), str(tmp_path / "gen_pb2.py")]
    args += [str(tmp_path / "gen.py"), "--exclude", "skipme"]
    assert runner.invoke(app, args).exit_code == 0
    assert link.is_symlink() and real.read_text() == TF2
    assert stat.S_IMODE(real.stat().st_mode) == 0o754
    for untouched in ("skipme/x.py", "gen_pb2.py"):
        assert (tmp_path / untouched).read_text() == TF1
    assert (tmp_path / "gen.py").read_text().endswith(TF1)


def test_todo_sites_set_bit_1_and_report_line_col(tmp_path: Path) -> None:
    """An unconvertible Saver is reported with line:col and code, exit bit 1."""
    (tmp_path / "t.py").write_text("import tensorflow as tf\n\nsaver = tf.train.Saver(get())\n")
    report = tmp_path / "r.json"
    result = runner.invoke(app, ["rewrite", str(tmp_path / "t.py"), "--report", str(report)])
    assert result.exit_code == 1
    warning = json.loads(report.read_text())["files"][0]["warnings"][0]
    assert (warning["line"], warning["col"], warning["code"]) == (3, 9, "SAVER_VARLIST")


def test_select_ignore_and_unknown_codemod(tmp_path: Path) -> None:
    """--ignore of the only relevant codemod changes nothing; an unknown name is exit 2."""
    (tmp_path / "a.py").write_text(TF1)
    result = runner.invoke(
        app, ["rewrite", "--check", "--ignore", "saver_to_checkpoint", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert runner.invoke(app, ["rewrite", "--select", "nope", str(tmp_path)]).exit_code == 2


def test_stdin_in_place_echoes_unchanged_input() -> None:
    """`-` with --in-place prints the source, even when nothing changed (never empties it)."""
    code = "import tensorflow as tf\nx = 1\n"
    result = runner.invoke(app, ["rewrite", "-i", "-"], input=code)
    assert result.exit_code == 0 and result.stdout == code


def test_parallel_jobs_match_serial(tmp_path: Path) -> None:
    """-j 2 gives the same files as a serial run."""
    for i in range(4):
        (tmp_path / f"m{i}.py").write_text(TF1)
    assert runner.invoke(app, ["rewrite", "-i", "-j", "2", str(tmp_path)]).exit_code == 0
    assert all((tmp_path / f"m{i}.py").read_text() == TF2 for i in range(4))


def test_rewrite_never_imports_tensorflow(tmp_path: Path) -> None:
    """A rewrite run (CLI included) leaves `tensorflow` out of sys.modules."""
    (tmp_path / "a.py").write_text(TF1)
    script = (
        "import sys\nfrom typer.testing import CliRunner\nfrom migrate.cli import app\n"
        f"r = CliRunner().invoke(app, ['rewrite', '-i', {str(tmp_path)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'tensorflow'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert (tmp_path / "a.py").read_text() == TF2

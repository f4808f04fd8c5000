"""export_savedmodel_rename: the opt-in rename for code that stays on Estimator (TF <= 2.15)."""

from __future__ import annotations

import pytest

from codemods.commands.export_savedmodel_rename import ExportSavedmodelRename
from codemods.commands.registry import CODEMODS, select_codemods
from codemods.engine.rewrite import rewrite_code


def _rewrite(code: str) -> tuple[str, list[str]]:
    outcome = rewrite_code(code, (ExportSavedmodelRename,))
    assert rewrite_code(outcome.code, (ExportSavedmodelRename,)).code == outcome.code
    return outcome.code, [f.code for f in outcome.findings]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("import tensorflow as tf\nest.export_savedmodel(base, fn)\n",
         "import tensorflow as tf\nest.export_saved_model(base, fn)\n"),
        ("import tensorflow as tf\nd = est.export_savedmodel(base, fn, strip_default_attrs=True)\n",
         "import tensorflow as tf\nd = est.export_saved_model(base, fn)\n"),
        ("import tensorflow as tf\nest.export_saved_model(base, fn)\n",
         "import tensorflow as tf\nest.export_saved_model(base, fn)\n"),
    ],
    ids=["rename", "strip-true-dropped", "already-new"],
)  # fmt: skip
def test_rename(before: str, after: str) -> None:
    """The deprecated spelling is renamed; strip_default_attrs=True is what export_saved_model
    does anyway."""
    assert _rewrite(before) == (after, [])


@pytest.mark.parametrize(
    "call",
    [
        "est.export_savedmodel(b, f, strip_default_attrs=False)",
        "est.export_savedmodel(b, f, None, False, None, True)",
    ],
)
def test_other_strip_default_attrs_gets_a_todo(call: str) -> None:
    """export_saved_model always strips default attrs: anything but a literal True keyword
    stays, with a TODO."""
    code, findings = _rewrite(f"import tensorflow as tf\n{call}\n")
    assert findings == ["RENAME_STRIP_DEFAULT_ATTRS"] and call in code


def test_opt_in_only() -> None:
    """Not run by default (nor in CODEMODS, which the corpus uses); --select names it."""
    assert ExportSavedmodelRename not in CODEMODS.values()
    assert ExportSavedmodelRename not in select_codemods()
    assert select_codemods(["export_savedmodel_rename"]) == (ExportSavedmodelRename,)

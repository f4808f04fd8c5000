"""The codemods layers import only downwards, and never `migrate` or TensorFlow.

engine <- analysis <- commands, and batch uses engine + commands (the one upward edge:
the engine's base command carries `analysis.names.AliasTable`); `migrate` may import
`codemods`, never the reverse. Each module is imported in a fresh interpreter so that what it
pulls in is visible in `sys.modules`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.codemods.conftest import ROOT

# layer -> the codemods layers its modules must not import
FORBIDDEN = {
    "engine": ("analysis.scopes", "analysis.sites", "analysis.cst_utils", "commands", "batch"),
    "analysis": ("commands", "batch"),
    "commands": ("batch",),
}
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in (ROOT / "codemods").rglob("*.py")
    if p.name != "__init__.py"
)


def _imported(module: str) -> list[str]:
    script = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded: list[str] = json.loads(proc.stdout)
    return loaded


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_only_lower_layers(module: str) -> None:
    loaded = _imported(module)
    assert not [m for m in loaded if m.split(".")[0] in ("migrate", "tensorflow")]
    layer = module.split(".")[1]
    for banned in FORBIDDEN.get(layer, ()):
        assert not [m for m in loaded if m.startswith(f"codemods.{banned}")], banned


def test_public_api_is_lazy_and_complete() -> None:
    """`import codemods` costs nothing (migrate.fsutil imports codemods.batch.atomic)."""
    assert "libcst" not in _imported("codemods.batch.atomic")
    import codemods

    assert all(getattr(codemods, name) is not None for name in codemods.__all__)

"""Resolve TensorFlow names from a module's own imports, cheaply.

LibCST's `QualifiedNameProvider` runs full scope analysis, about 8x the cost of a parse. The
TensorFlow APIs we rewrite are reached through a handful of import forms, so a table of
"local name -> imported dotted path" built from the module's import statements resolves them
at a fraction of the cost. Canonicalising then folds `tf.compat.v1.*` and the internal
`tensorflow.python.*` module paths onto one public spelling, so codemods match one name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import libcst as cst

from codemods.engine.traverse import visit

TF = "tensorflow"

# Namespace prefixes that expose the same symbols as the public `tensorflow.` namespace.
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow._api.v2.compat.v1.", "tensorflow."),
    ("tensorflow._api.v2.", "tensorflow."),
)

# Internal modules -> the public namespace that re-exports their symbols.
_MODULES: Mapping[str, str] = {
    "tensorflow.python.training.saver": "tensorflow.train",
    "tensorflow.python.training.checkpoint_management": "tensorflow.train",
    "tensorflow.python.training.training": "tensorflow.train",
    "tensorflow.python.saved_model.loader": "tensorflow.saved_model.loader",
    "tensorflow.python.saved_model.loader_impl": "tensorflow.saved_model.loader",
    "tensorflow.python.saved_model.tag_constants": "tensorflow.saved_model.tag_constants",
    "tensorflow.python.saved_model.signature_constants": (
        "tensorflow.saved_model.signature_constants"
    ),
    "tensorflow.python.tools.inspect_checkpoint": "tensorflow.python.tools.inspect_checkpoint",
}


def canonical(dotted: str) -> str:
    """Fold compat namespaces and internal module paths onto one public name."""
    for prefix, public in _PREFIXES:
        if dotted.startswith(prefix):
            dotted = public + dotted[len(prefix) :]
            break
    module, _, symbol = dotted.rpartition(".")
    if module in _MODULES:
        return f"{_MODULES[module]}.{symbol}"
    if dotted in _MODULES:
        return _MODULES[dotted]
    return dotted


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else (calls, subscripts)."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def with_bound_names(node: cst.With, outer: frozenset[str]) -> frozenset[str]:
    """Names a `with` block binds (`as sess`) or enters (`g.as_default()`), added to the
    enclosing ones."""
    names = set(outer)
    for item in node.items:
        if monitored_session(item.item):
            continue  # MonitoredSession.__enter__ does not make it the default (TF 2.21)
        if item.asname is not None and isinstance(item.asname.name, cst.Name):
            names.add(item.asname.name.value)
        call = item.item
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "as_default"
        ):
            names.add(dotted_name(call.func.value) or "")
    return frozenset(names)


def monitored_session(node: cst.BaseExpression) -> bool:
    """`tf.train.MonitoredTrainingSession(...)` and its kin: not a default session."""
    if not isinstance(node, cst.Call):
        return False
    name = dotted_name(node.func) or ""
    return name.rpartition(".")[2].endswith("MonitoredSession") or name.endswith(
        "MonitoredTrainingSession"
    )


def _module_path(node: cst.BaseExpression) -> str:
    name = dotted_name(node)
    assert name is not None  # import paths are always Name/Attribute chains
    return name


@dataclass
class AliasTable:
    """Local names bound by `import` statements, mapped to the dotted path they denote."""

    bindings: dict[str, str] = field(default_factory=dict)
    # local name -> (module, obj, asname) as RemoveImportsVisitor wants them
    statements: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)

    @classmethod
    def from_module(cls, module: cst.Module) -> AliasTable:
        """The table of `module`; codemods planning over the same tree share one (read-only)."""
        if _LAST_TABLE and _LAST_TABLE[0][0] is module:
            return _LAST_TABLE[0][1]
        collector = _ImportCollector()
        visit(module, collector)
        table = cls(collector.bindings, collector.statements)
        _LAST_TABLE[:] = [(module, table)]
        return table

    def qualify(self, node: cst.BaseExpression) -> str | None:
        """The canonical qualified name of `node`, or None if it is not an imported TF name."""
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        target = self.bindings.get(head)
        if target is None or not (target == TF or target.startswith(TF + ".")):
            return None
        return canonical(f"{target}.{rest}" if rest else target)

    def v1_handle(self) -> str | None:
        """A local name bound to `tensorflow.compat.v1`, if the module has one."""
        names = sorted(n for n, t in self.bindings.items() if t == TF + ".compat.v1")
        return names[0] if names else None

    def tf2_handle(self) -> str | None:
        """A local name bound to the TF2 `tensorflow` package itself, preferring `tf`."""
        names = sorted(n for n, t in self.bindings.items() if t == TF)
        if "tf" in names:
            return "tf"
        return names[0] if names else None


_LAST_TABLE: list[tuple[cst.Module, AliasTable]] = []


class _ImportCollector(cst.CSTVisitor):
    """Collect bindings from every import statement, at any depth."""

    def __init__(self) -> None:
        super().__init__()
        self.bindings: dict[str, str] = {}
        self.statements: dict[str, tuple[str, str | None, str | None]] = {}

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            path = _module_path(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bindings[alias.asname.name.value] = path
                self.statements[alias.asname.name.value] = (path, None, alias.asname.name.value)
            else:  # `import a.b.c` binds `a` to the package `a`
                head = path.split(".")[0]
                self.bindings[head] = head
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = _module_path(node.module)
        for alias in node.names:
            symbol = _module_path(alias.name)
            local, asname = symbol, None
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = asname = alias.asname.name.value
            self.bindings[local] = f"{module}.{symbol}"
            self.statements[local] = (module, symbol, asname)
        return False

    # Expressions never contain imports; skipping them keeps the walk cheap.
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return any(isinstance(s, (cst.Import, cst.ImportFrom)) for s in node.body)

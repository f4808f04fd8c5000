"""Count TF1 save/export/load call sites in source text, per API, for the batch report.

`rewrite --report` and the end-of-run summary say, per TF1 API, how many call sites the input
had and how many the output no longer has (a site with a TODO still calls the TF1 API, so it
does not count as converted). The count runs on every file of a batch, so it uses the stdlib
`ast` (several times faster than a LibCST parse) and the module's own imports, never
TensorFlow and never LibCST's scope analysis. Names are tracked per module, not per scope:
it is a measurement, not a rewrite. An Estimator export is classed by what the file shows: a
custom `model_fn` (`Estimator`/`TPUEstimator`), canned (a library-built model_fn), or unknown
(a parameter, another module's factory, or branches that disagree); the receiver is looked up in
its own function first, then module-wide, and through same-file factory functions' returns.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

from codemods.analysis.names import canonical
from codemods.engine import python_ast

_T = TypeVar("_T", bound=ast.AST)

# API keys, in report order, with what each counts.
APIS: dict[str, str] = {
    "saver": "tf.train.Saver .save()/.restore() calls",
    "simple_save": "tf.saved_model.simple_save calls",
    "saved_model_builder": "SavedModelBuilder / saved_model.Builder constructions",
    "estimator_export_custom": "Estimator export on a custom-model_fn Estimator",
    "estimator_export_canned": "Estimator export on a library-built (canned) Estimator",
    "estimator_export_unknown": "Estimator export whose Estimator this file does not show",
    "loader_load": "tf.saved_model.loader.load (TF1 SavedModel loader) calls",
    "import_meta_graph": "tf.train.import_meta_graph calls",
}
# Cheap pre-filter: text without any of these has no site.
_TRIGGERS = re.compile(
    r"Saver|simple_save|Builder|export_savedmodel|export_saved_model|loader|saved_model\.load"
    r"|import_meta_graph"
)
_SAVER = "tensorflow.train.Saver"
_BUILDERS = frozenset(
    {
        "tensorflow.saved_model.builder.SavedModelBuilder",
        "tensorflow.saved_model.Builder",
        "tensorflow.python.saved_model.builder.SavedModelBuilder",
        "tensorflow.python.saved_model.builder_impl.SavedModelBuilder",
    }
)
_SIMPLE_SAVE = "tensorflow.saved_model.simple_save"
_META_GRAPH = "tensorflow.train.import_meta_graph"
_LOADER = "tensorflow.saved_model.loader.load"
_WRAP_FUNCTION = "tensorflow.wrap_function"
_EXPORTS = frozenset({"export_savedmodel", "export_saved_model"})
_ESTIMATOR_MODULES = (
    "tensorflow.estimator.",
    "tensorflow.contrib.",
    "tensorflow_estimator.",
    "tensorflow.python.estimator.",
    "tensorflow.keras.estimator.",
    "tensorflow.python.keras.estimator.",
    "adanet.",
)
_CUSTOM = frozenset({"Estimator", "TPUEstimator"})  # given the file's own model_fn
# Library functions returning an Estimator whose model_fn the library writes (canned), or
# wrapping the Estimator passed first (same kind as it).
_CANNED_FUNCTIONS = frozenset({"model_to_estimator"})
_WRAPPERS = frozenset({"add_metrics", "forward_features", "clip_gradients_by_norm"})
_MAGIC = re.compile(r"^\s*(?:[%!?]|[\w.,\s]+=\s*[%!]|[\w.]+\?{1,2}\s*$)")


def count_sites(text: str, notebook: bool = False) -> Counter[str]:
    """TF1 call sites per API key in one file's text (empty if it does not parse)."""
    if not _TRIGGERS.search(text):
        return Counter()
    tree = _parse(_notebook_code(text) if notebook else text)
    if tree is None:
        return Counter()
    return _Counter(tree).count()


def converted(before: Counter[str], after: Counter[str]) -> tuple[tuple[str, int, int], ...]:
    """Per API present in `before`: (api, sites found, sites no longer there in `after`)."""
    return tuple(
        (api, before[api], max(0, before[api] - after[api])) for api in APIS if before[api]
    )


def _parse(code: str) -> ast.Module | None:
    try:
        return python_ast.parse(code)
    except (SyntaxError, ValueError, RecursionError):
        return None


def _notebook_code(text: str) -> str:
    """The code cells joined, IPython-only lines blanked (they are not Python)."""
    try:
        cells = json.loads(text).get("cells", [])
    except (ValueError, AttributeError):
        return ""
    parts: list[str] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if source.lstrip().startswith("%%"):
            continue
        lines = ["" if _MAGIC.search(line) else line for line in source.splitlines()]
        code = "\n".join(lines) + "\n"
        if _parse(code) is not None:  # one broken cell must not hide the others
            parts.append(code)
    return "".join(parts)


class _Counter:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.aliases: dict[str, str] = {}
        self.calls: list[ast.Call] = []
        self.assigns: list[ast.Assign] = []
        # Module-level functions by name (same-file Estimator factories); each call's nearest
        # enclosing function, and each method's class (`self.export_saved_model` methods).
        self.functions = {
            n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        self.enclosing: dict[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.owners: dict[ast.AST, ast.ClassDef] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.enclosing.update((c, node) for c in _own(node, ast.Call))
            elif isinstance(node, ast.ClassDef):
                self.owners.update((c, node) for c in node.body)
        self._wrapped_ids: set[int] | None = None
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                self.calls.append(node)
            elif isinstance(node, ast.Assign):
                self.assigns.append(node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.partition(".")[0]
                    self.aliases[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def resolve(self, node: ast.expr) -> str | None:
        """The imported dotted path `node` names (compat namespaces kept), or None."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def count(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        savers = self._bound(lambda name: canonical(name) == _SAVER)
        estimators = self._estimators()
        for call in self.calls:
            full = self.resolve(call.func)
            name = canonical(full) if full else None
            if name == _SIMPLE_SAVE:
                counts["simple_save"] += 1
            elif name in _BUILDERS:
                counts["saved_model_builder"] += 1
            elif name == _META_GRAPH:
                if id(call) not in self._wrapped():
                    counts["import_meta_graph"] += 1
            elif name == _LOADER or (full and _v1_load(full)):
                counts["loader_load"] += 1
            elif isinstance(call.func, ast.Attribute):
                method, receiver = call.func.attr, call.func.value
                if method in ("save", "restore") and self._is_saver(call, receiver, savers):
                    counts["saver"] += 1
                elif method in _EXPORTS:
                    kind = self._kind(call, receiver, estimators)
                    if kind is not None:
                        counts[f"estimator_export_{kind}"] += 1
        return counts

    def _wrapped(self) -> set[int]:
        """Calls inside a lambda given to `wrap_function`: the TF2 recipe for a MetaGraph
        (`wrap_function(lambda: import_meta_graph(...), [])`), not a TF1 site."""
        if self._wrapped_ids is None:
            self._wrapped_ids = set()
            for call in self.calls:
                full = self.resolve(call.func) or ""
                if canonical(full) == _WRAP_FUNCTION and call.args:
                    lam = call.args[0]
                    if isinstance(lam, ast.Lambda):
                        self._wrapped_ids.update(id(n) for n in ast.walk(lam.body))
        return self._wrapped_ids

    def _bound(self, wanted: Callable[[str], bool]) -> set[str]:
        """Dotted targets (`saver`, `self.saver`) assigned a call whose callee is `wanted`."""
        names: set[str] = set()
        for assign in self.assigns:
            value = assign.value
            if isinstance(value, ast.Call):
                full = self.resolve(value.func)
                if full and wanted(full):
                    names.update(t for t in map(_dotted, assign.targets) if t)
        return names

    def _is_saver(self, call: ast.Call, receiver: ast.expr, savers: set[str]) -> bool:
        """The receiver was assigned a `tf.train.Saver` somewhere in the module, unless the
        assignment nearest above the call in its own function is `import_meta_graph(...)`:
        that Saver belongs to the MetaGraph site, which `import_meta_graph` counts."""
        if isinstance(receiver, ast.Call):
            full = self.resolve(receiver.func)
            return full is not None and canonical(full) == _SAVER
        dotted = _dotted(receiver)
        if dotted not in savers:
            return False
        function = self.enclosing.get(call)
        if function is None:
            return True
        above = [
            a
            for a in _own(function, ast.Assign)
            if a.lineno < call.lineno and dotted in map(_dotted, a.targets)
        ]
        if not above:
            return True
        value = max(above, key=lambda a: a.lineno).value
        full = self.resolve(value.func) if isinstance(value, ast.Call) else None
        return not (full and canonical(full) == _META_GRAPH)

    def _estimators(self) -> dict[str, str]:
        """Module-wide: dotted target -> kind when every assignment to it agrees."""
        return _agree(
            (t, self._value_kind(a.value, {}))
            for a in self.assigns
            for t in filter(None, map(_dotted, a.targets))
        )

    def _estimator_kind(self, call: ast.Call, seen: frozenset[str] = frozenset()) -> str | None:
        """custom | canned | unknown for a call building an Estimator, None if it is not one."""
        full = self.resolve(call.func)
        name = canonical(full) if full else ""
        symbol = name.rpartition(".")[2]
        if name.startswith(_ESTIMATOR_MODULES):
            if symbol in _CANNED_FUNCTIONS:
                return "canned"
            if symbol in _WRAPPERS and call.args:
                return self._value_kind(call.args[0], {}, seen) or "unknown"
            if symbol[:1].isupper():
                return "custom" if symbol in _CUSTOM else "canned"
            return None
        function = self.functions.get(_dotted(call.func) or "")
        if function is None or function.name in seen:
            return None
        # A factory in this file: the kind every `return` gives (through its local names).
        local = self._locals(function)
        kinds = {
            self._value_kind(r.value, local, seen | {function.name}) if r.value else None
            for r in _own(function, ast.Return)
        }
        return kinds.pop() if len(kinds) == 1 else ("unknown" if kinds - {None} else None)

    def _value_kind(
        self, value: ast.expr, local: dict[str, str], seen: frozenset[str] = frozenset()
    ) -> str | None:
        if isinstance(value, ast.Call):
            return self._estimator_kind(value, seen)
        return local.get(_dotted(value) or "")

    def _locals(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, str]:
        """Names assigned in `function` itself -> kind; a parameter, or a name assigned both
        an Estimator and something else, is unknown."""
        pairs = [
            (t, self._value_kind(a.value, {}) or "unknown")
            for a in _own(function, ast.Assign)
            for t in filter(None, map(_dotted, a.targets))
        ]
        args = function.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        pairs += [(p.arg, "unknown") for p in params if p is not None]
        return _agree(pairs)

    def _kind(self, call: ast.Call, receiver: ast.expr, estimators: dict[str, str]) -> str | None:
        """The Estimator kind of an export call's receiver; None: not an Estimator export (a
        class's own `self.export_saved_model` method)."""
        if isinstance(receiver, ast.Call):
            return self._estimator_kind(receiver) or "unknown"
        function = self.enclosing.get(call)
        dotted = _dotted(receiver) or ""
        if dotted == "self" and function is not None:
            owner = self.owners.get(function)
            if owner is not None and _defines(owner, call.func):
                return None
        if function is not None and "." not in dotted:
            local = self._locals(function)
            if dotted in local:
                return local[dotted]
        return estimators.get(dotted, "unknown")


def _own(function: ast.AST, kind: type[_T]) -> list[_T]:
    """Nodes of `kind` in `function`'s own body (nested functions and classes excluded)."""
    found: list[_T] = []
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _agree(pairs: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """name -> kind; a name given two different kinds (or an Estimator and a non-Estimator)
    is unknown, a name never given an Estimator is left out."""
    kinds: dict[str, set[str | None]] = {}
    for name, kind in pairs:
        kinds.setdefault(name, set()).add(kind)
    out: dict[str, str] = {}
    for name, found in kinds.items():
        known = {k for k in found if k is not None}
        if known:
            out[name] = known.pop() if found == known and len(known) == 1 else "unknown"
    return out


def _defines(owner: ast.ClassDef, func: ast.expr) -> bool:
    method = func.attr if isinstance(func, ast.Attribute) else ""
    return any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == method
        for n in owner.body
    )


def _v1_load(full: str) -> bool:
    """`tf.compat.v1.saved_model.load` is the TF1 loader; `tf.saved_model.load` is TF2's."""
    return full.endswith(".saved_model.load") and ".compat.v1." in f".{full}."


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def totals(files: Iterable[tuple[tuple[str, int, int], ...]]) -> dict[str, tuple[int, int]]:
    """Sum per-file `converted` results: api -> (sites found, sites converted), `APIS` order."""
    found: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for sites in files:
        for api, n, c in sites:
            found[api] += n
            done[api] += c
    return {api: (found[api], done[api]) for api in APIS if found[api]}

"""What an Estimator program still runs once its export is converted.

Training is not migrated: `train_and_evaluate(estimator, ...)` is commented out like `train`,
and so is the setup only it read (`TrainSpec`, `numpy_input_fn`, `RunConfig`, ... assigned to a
name read nowhere else). Any other `tf.estimator` name the program would still run crashes on
TF >= 2.16, where the module is gone: `leftovers` finds them, and the site keeps its TODO.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import libcst as cst

from codemods.analysis.cst_utils import assigned_name
from codemods.commands._estimator.plan import HEADS, MODES, SPEC
from codemods.engine.node_index import find_all
from codemods.engine.traverse import visit
from codemods.engine.unused_imports import NameReads

Qualify = Callable[[cst.BaseExpression], str | None]
TRAIN_AND_EVALUATE = "tensorflow.estimator.train_and_evaluate"
_ESTIMATOR = "tensorflow.estimator"
_CALLABLE = frozenset({SPEC, *HEADS})  # calls rewritten wherever they are


def train_and_evaluate(
    module: cst.Module, name: str, qualify: Qualify
) -> tuple[list[cst.SimpleStatementLine], set[int]]:
    """`tf.estimator.train_and_evaluate(name, ...)` statements, and the ids of those `name`s."""
    statements, names = [], set()
    for statement in find_all(module, cst.SimpleStatementLine):
        small = statement.body[0] if len(statement.body) == 1 else None
        call = small.value if isinstance(small, cst.Expr) else None
        if not isinstance(call, cst.Call) or qualify(call.func) != TRAIN_AND_EVALUATE:
            continue
        first = [a for a in call.args if a.keyword is None][:1]
        arg = (
            first[0]
            if first
            else next((a for a in call.args if a.keyword and a.keyword.value == "estimator"), None)
        )
        if arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == name:
            statements.append(statement)
            names.add(id(arg.value))
    return statements, names


def dead_setup(
    module: cst.Module, commented: Iterable[cst.CSTNode], qualify: Qualify
) -> list[cst.SimpleStatementLine]:
    """`x = <uses tf.estimator>` statements whose `x` (assigned once) is read only by
    statements commented out: training setup, commented out too (to a fixpoint)."""
    reads = _Reads()
    visit(module, reads)
    done = {id(s) for s in commented}
    dead: list[cst.SimpleStatementLine] = []
    changed = True
    while changed:
        changed = False
        for statement in find_all(module, cst.SimpleStatementLine):
            target = assigned_name(statement)
            if (
                id(statement) in done
                or target is None
                or reads.assigned.get(target) != 1
                or not leftovers([statement], set(), qualify)
                or not reads.reads.get(target)  # unread: another module may import it
                or any(id(s) not in done for s in reads.reads[target])
            ):
                continue
            done.add(id(statement))
            dead.append(statement)
            changed = True
    return dead


def dead_functions(module: cst.Module, skip: set[int], keep: set[str]) -> list[cst.FunctionDef]:
    """Functions (other than `keep`) never read outside `skip`: `input_fn`s only `train` read."""
    reads = _Reads()
    visit(module, reads)
    return [
        f
        for f in find_all(module, cst.FunctionDef)
        if f.name.value not in keep
        and all(s is not None and id(s) in skip for s in reads.reads.get(f.name.value, []))
    ]


def still_runs(
    module: cst.Module, skip: set[int], keep: set[str], extra: cst.CSTNode, qualify: Qualify
) -> str | None:
    """The first tf.estimator name the rewritten program would still run: in `module` outside
    `skip` and functions only skipped code reads (but `keep`), or in `extra` (new code)."""
    skip = skip | {id(f) for f in dead_functions(module, skip, keep)}
    left = leftovers([module, extra], skip, qualify)
    return left[0] if left else None


def leftovers(nodes: Iterable[cst.CSTNode], skip: set[int], qualify: Qualify) -> list[str]:
    """`tf.estimator` names run by `nodes` outside `skip` that the codemod does not rewrite."""
    finder = _Leftovers(skip, qualify)
    for node in nodes:
        visit(node, finder)
    return finder.found


class _Leftovers(cst.CSTVisitor):
    def __init__(self, skip: set[int], qualify: Qualify) -> None:
        super().__init__()
        self.skip, self.qualify = skip, qualify
        self.found: list[str] = []
        self._funcs: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) not in self.skip and super().on_visit(node)

    def visit_Call(self, node: cst.Call) -> None:
        self._funcs.add(id(node.func))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = cst.Module([]).code_for_node(node.module) if node.module else ""
        if module.startswith(("tensorflow.estimator", "tensorflow_estimator")):
            self.found.append(module)
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return self._check(node)

    def visit_Name(self, node: cst.Name) -> bool:
        return self._check(node)

    def _check(self, node: cst.Attribute | cst.Name) -> bool:
        name = self.qualify(node) or ""
        if name != _ESTIMATOR and not name.startswith(_ESTIMATOR + "."):
            return True
        mode = name.removeprefix(_ESTIMATOR + ".ModeKeys.")
        if not (mode in MODES or (name in _CALLABLE and id(node) in self._funcs)):
            self.found.append(name)
        return False


class _Reads(NameReads):
    """Per name: the statements reading it (None: a compound statement's header), and how
    many times it is assigned."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: dict[str, list[cst.SimpleStatementLine | None]] = {}
        self.assigned: dict[str, int] = {}
        self._statement: list[cst.SimpleStatementLine] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self._statement.pop()

    def visit_Param(self, node: cst.Param) -> None:
        self.skip.add(id(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.skip.add(id(node.name))

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.skip.add(id(node.name))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        for name in find_all(node.target, cst.Name):
            self.assigned[name.value] = self.assigned.get(name.value, 0) + 1
        if isinstance(node.target, cst.Name):
            self.skip.add(id(node.target))

    def read(self, node: cst.Name) -> None:
        statement = self._statement[-1] if self._statement else None
        self.reads.setdefault(node.value, []).append(statement)

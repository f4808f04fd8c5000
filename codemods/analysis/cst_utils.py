"""Small CST helpers every codemod needs: read arguments, print a node, find calls, fresh names.

Kept in one place so that "what counts as pure", "how a node is printed" and "how a new name
is chosen" have one answer across the codemods.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence

import libcst as cst

from codemods.analysis.names import dotted_name
from codemods.engine.node_index import find_all

_PURE_CALLS = frozenset({"os.path.join", "str", "posixpath.join"})
_NO_SPACE = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
_EMPTY = cst.Module([])


def arguments(call: cst.Call, positional: Sequence[str]) -> dict[str, cst.BaseExpression]:
    """Map a call's arguments to parameter names (positional ones by `positional` order)."""
    out: dict[str, cst.BaseExpression] = {}
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            out[arg.keyword.value] = arg.value
        elif arg.star:
            out["*" + arg.star] = arg.value
        elif index < len(positional):
            out[positional[index]] = arg.value
            index += 1
        else:
            out[f"#{index}"] = arg.value
            index += 1
    return out


def dotted(node: cst.BaseExpression | None) -> str | None:
    return dotted_name(node) if node is not None else None


def string(value: str) -> cst.SimpleString:
    text = repr(value)
    if "'" not in value and '"' not in value:  # black-style double quotes when trivial
        text = f'"{text[1:-1]}"'
    return cst.SimpleString(text)


def kwarg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """`name=value` without spaces around `=`."""
    return cst.Arg(value, keyword=cst.Name(name), equal=_NO_SPACE)


def make_call(func: cst.BaseExpression, args: Sequence[cst.Arg]) -> cst.Call:
    return cst.Call(func=func, args=list(args))


def is_pure(node: cst.BaseExpression) -> bool:
    """True if evaluating `node` twice is harmless (names, literals, joins of those)."""
    if isinstance(node, (cst.Name, cst.SimpleString, cst.Integer)) or dotted_name(node):
        return True
    if isinstance(node, cst.ConcatenatedString):
        return is_pure(node.left) and is_pure(node.right)
    if isinstance(node, cst.FormattedString):
        return all(
            is_pure(part.expression)
            for part in node.parts
            if isinstance(part, cst.FormattedStringExpression)
        )
    if isinstance(node, cst.BinaryOperation):
        return is_pure(node.left) and is_pure(node.right)
    if isinstance(node, cst.Call) and dotted_name(node.func) in _PURE_CALLS:
        return all(is_pure(arg.value) for arg in node.args if not arg.star)
    return False


def leading_lines(statement: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The blank and comment lines above a statement (simple or compound alike)."""
    assert isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    return statement.leading_lines


def code(node: cst.CSTNode) -> str:
    """The source text of `node` on its own (default module formatting)."""
    return _EMPTY.code_for_node(node)


def calls(node: cst.CSTNode) -> list[cst.Call]:
    """Every call in `node`, itself included, in visit order."""
    return find_all(node, cst.Call)


def variable_names(node: cst.CSTNode) -> list[cst.Name]:
    """Names that read or bind variables (not attribute names, not keyword names)."""
    skip = {a.attr for a in find_all(node, cst.Attribute)}
    skip.update(arg.keyword for arg in find_all(node, cst.Arg) if arg.keyword is not None)
    return [name for name in find_all(node, cst.Name) if name not in skip]


def count_names(node: cst.CSTNode, name: str, variables_only: bool = False) -> int:
    """How often the identifier `name` occurs in `node`: in any role, or as a variable only."""
    names = variable_names(node) if variables_only else find_all(node, cst.Name)
    return sum(1 for n in names if n.value == name)


def fresh_name(base: str, taken: Container[str], sep: str = "_", start: int = 2) -> str:
    """`base`, else `base<sep><start>`, `base<sep><start+1>`...: the first not in `taken`."""
    name, n = base, start
    while name in taken:
        name, n = f"{base}{sep}{n}", n + 1
    return name


def assigned_name(statement: cst.SimpleStatementLine) -> str | None:
    """`x` for a line that is exactly `x = ...` (one plain target), else None."""
    small = statement.body[0] if len(statement.body) == 1 else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        return target.value if isinstance(target, cst.Name) else None
    return None


def call_statement(
    stmt: cst.BaseStatement, wanted: Callable[[cst.Call], bool]
) -> tuple[str | None, cst.Call] | None:
    """`x = f(...)` -> ("x", call), `f(...)` alone -> (None, call), for calls `wanted` accepts."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return (None, small.value) if wanted(small.value) else None
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target, value = small.targets[0].target, small.value
    if isinstance(target, cst.Name) and isinstance(value, cst.Call) and wanted(value):
        return target.value, value
    return None

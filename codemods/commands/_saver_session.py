"""Which session a rewritten save/restore runs in, and the TF1 state file a save updated.

Why a session that cannot be traced to `tf.Session(...)` may still be wrapped in `with
sess.as_default(), sess.graph.as_default():` (checked on TF 2.21, `training/saver.py`):
`Saver.save` in graph mode raises `TypeError("'sess' must be a Session")` unless `sess` is a
`SessionInterface`, so in a TF1 program whose save ran, `sess` was a `tf.Session`,
`InteractiveSession` or a `tf_debug` wrapper session, and all of those have `as_default()`
and `graph`. A MonitoredSession is not a `SessionInterface` (the TF1 save failed there), so a
session visibly bound to one keeps its TODO. `Saver.restore` only calls `sess.run` (a
MonitoredSession works), so restores get only `with sess.graph.as_default():`, which
`Checkpoint.read` needs to build its ops in the session's graph when that is not the
default graph. Eager programs (`enable_eager_execution()`) pass `None`; they are left alone,
and so is a session parameter that defaults to `None`.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.analysis.cst_utils import is_pure, kwarg, make_call
from codemods.analysis.names import dotted_name, monitored_session, with_bound_names
from codemods.commands._saver_values import statement_chain
from codemods.engine.node_index import find_all

_EAGER = frozenset({"enable_eager_execution", "enable_v2_behavior"})


def session_like(module: cst.Module, session: cst.BaseExpression) -> bool:
    """`session` is a name or attribute chain (cheap to read again) that is never bound to a
    MonitoredSession in `module`, in a module that does not switch eager execution on."""
    key = dotted_name(session)
    if key is None or key == "None":
        return False
    if any(n.value in _EAGER for n in find_all(module, cst.Name)):
        return False
    for param in find_all(module, cst.Param):  # `sess=None`: how eager callers call it
        if param.name.value == key and param.default is not None:
            if isinstance(param.default, cst.Name) and param.default.value == "None":
                return False
    for assign in find_all(module, cst.Assign):
        if monitored_session(assign.value) and any(
            dotted_name(t.target) == key for t in assign.targets
        ):
            return False
    for item in find_all(module, cst.WithItem):
        if (
            monitored_session(item.item)
            and item.asname is not None
            and dotted_name(item.asname.name) == key
        ):
            return False
    return True


def statement_lines(module: cst.Module) -> dict[cst.CSTNode, cst.SimpleStatementLine]:
    """Call -> its line, for lines that are just that call or `target = call`."""
    lines: dict[cst.CSTNode, cst.SimpleStatementLine] = {}
    for line in find_all(module, cst.SimpleStatementLine):
        if len(line.body) == 1 and isinstance(line.body[0], (cst.Expr, cst.Assign)):
            lines[line.body[0].value] = line
    return lines


def as_default(
    session: cst.BaseExpression | None,
    graph_only: bool,
    lines: list[cst.SimpleStatementLine],
) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
    """`lines` inside `with sess.as_default(), sess.graph.as_default():` (only the graph for a
    restore; no `with` without a session), comments kept above."""
    first = lines[0]
    if session is None:
        return cst.FlattenSentinel(lines) if len(lines) > 1 else first
    graph = make_call(
        cst.Attribute(cst.Attribute(session, cst.Name("graph")), cst.Name("as_default")), []
    )
    items = [cst.WithItem(graph)]
    if not graph_only:
        default = make_call(cst.Attribute(session, cst.Name("as_default")), [])
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        items.insert(0, cst.WithItem(default, comma=comma))
    body = cst.IndentedBlock([first.with_changes(leading_lines=[]), *lines[1:]])
    return cst.With(items=items, body=body, leading_lines=first.leading_lines)


def state_path(
    line: cst.SimpleStatementLine, path: cst.BaseExpression, numbered: bool = False
) -> cst.BaseExpression | None:
    """The checkpoint path the save on `line` wrote: the name the save is assigned to, else
    (without `global_step`, which numbers it) the save path if reading it again is harmless."""
    statement = line.body[0]
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target = statement.targets[0].target
        if isinstance(target, cst.Name):
            return target
    return path if is_pure(path) and not numbered else None


def state_update(update: cst.BaseExpression, path: cst.BaseExpression) -> cst.SimpleStatementLine:
    """`tf.compat.v1.train.update_checkpoint_state(os.path.dirname(p), p)` after a
    `save(sess, p)` without `global_step`: what TF1's Saver wrote to the `checkpoint` state
    file (`model_checkpoint_path` = the path as given), so `latest_checkpoint` finds it."""
    dirname = make_call(cst.parse_expression("os.path.dirname"), [cst.Arg(path)])
    call = make_call(update, [cst.Arg(dirname), cst.Arg(path)])
    return cst.SimpleStatementLine([cst.Expr(call)])


@dataclass
class Wrap:
    """What a rewritten save/restore statement needs around it: the session's `with` (none if
    `session` is None) and, for a save that TF1 recorded in the state file, the path to record."""

    session: cst.BaseExpression | None
    graph_only: bool = False
    state: cst.BaseExpression | None = None
    meta: cst.BaseExpression | None = None  # the checkpoint path whose `.meta` TF1 wrote


def meta_export(compat_v1: cst.BaseExpression, path: cst.BaseExpression) -> cst.SimpleStatementLine:
    """`tf.compat.v1.train.export_meta_graph(filename=p + ".meta")`: the MetaGraph TF1's save
    wrote next to the checkpoint. It has no SaverDef, so `import_meta_graph` makes a Saver
    over all global variables, whose restore reads the object-based checkpoint (checked on
    TF 2.21: `Saver.restore` falls back to the object graph's variable names)."""
    export = cst.Attribute(
        cst.Attribute(compat_v1, cst.Name("train")), cst.Name("export_meta_graph")
    )
    filename = cst.BinaryOperation(path, cst.Add(), cst.SimpleString('".meta"'))
    return cst.SimpleStatementLine([cst.Expr(make_call(export, [kwarg("filename", filename)]))])


def follow_ups(compat_v1: cst.BaseExpression, wrap: Wrap) -> list[cst.SimpleStatementLine]:
    """The statements TF1's save did implicitly: the state-file update and the `.meta`."""
    lines = []
    if wrap.state is not None:
        train = cst.Attribute(compat_v1, cst.Name("train"))
        update = cst.Attribute(train, cst.Name("update_checkpoint_state"))
        lines.append(state_update(update, wrap.state))
    if wrap.meta is not None:
        lines.append(meta_export(compat_v1, wrap.meta))
    return lines


def enclosing_defaults(module: cst.Module, call: cst.Call) -> frozenset[str]:
    """Sessions the `with` blocks around `call` make the default (within its function)."""
    names: frozenset[str] = frozenset()
    for owner, _, _ in reversed(statement_chain(module, call)):
        if isinstance(owner, cst.FunctionDef | cst.ClassDef):
            break
        if isinstance(owner, cst.With):
            names = with_bound_names(owner, names)
    return names

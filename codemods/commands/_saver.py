"""Argument reading and code building for `saver_to_checkpoint`, kept apart to stay readable."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection

import libcst as cst
import libcst.matchers as m
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import RemoveImportsVisitor
from libcst.helpers import parse_template_expression

from codemods.analysis.cst_utils import code, is_pure, kwarg, make_call, string
from codemods.analysis.names import AliasTable, canonical, dotted_name
from codemods.engine.node_index import find_all
from codemods.engine.traverse import visit


def split_join(path: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """`os.path.join(d, "name")` -> (d, "name"): readable directory/checkpoint_name pairs."""
    if not isinstance(path, cst.Call) or dotted_name(path.func) not in (
        "os.path.join",
        "posixpath.join",
    ):
        return None
    args = [a for a in path.args if not a.star and a.keyword is None]
    last = args[-1].value if len(args) == len(path.args) and len(args) >= 2 else None
    if not isinstance(last, cst.SimpleString) or "/" in str(last.evaluated_value):
        return None
    if len(args) == 2:
        return args[0].value, last
    return path.with_changes(
        args=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args[:-1]]
    ), last


def _key(element: cst.BaseExpression) -> str | None:
    name = dotted_name(element)
    return name.rpartition(".")[2] if name else None


# Graph-collection readers: each returns a list of variables with graph names, as the Saver
# received them (`Saver(tf.global_variables())` is the default set, the others subsets).
COLLECTIONS = frozenset(
    [
        f"tensorflow.{name}"
        for name in (
            "global_variables", "all_variables", "trainable_variables", "model_variables",
            "moving_average_variables", "local_variables", "get_collection",
        )
    ]
    + [  # slim's readers return lists of graph variables too (filtered by scope/suffix)
        f"{module}.{name}"
        for module in ("tensorflow.contrib.slim", "tensorflow.contrib.framework", "tf_slim")
        for name in ("get_variables_to_restore", "get_model_variables", "get_variables")
    ]
)  # fmt: skip


def by_graph_name(iterable: cst.BaseExpression) -> cst.DictComp:
    """`{v.op.name: v for v in iterable}`: Checkpoint keys that TF1 graph names match."""
    return cst.DictComp(
        key=cst.parse_expression("v.op.name"),
        value=cst.Name("v"),
        for_in=cst.CompFor(target=cst.Name("v"), iter=iterable),
    )


def collection_var_list(
    var_list: cst.BaseExpression, qualify: Callable[[cst.BaseExpression], str | None]
) -> cst.DictComp | None:
    """`{v.op.name: v for v in <collection>}` for a var_list read from graph collections.

    `tf.trainable_variables()`, `tf.global_variables(scope=...)`, `tf.get_collection(...)` and
    `[v for v in <one of those> if ...]` name graph variables: Checkpoint keyed by their graph
    names reads a TF1 checkpoint by those names, exactly the subset the Saver covered.
    """
    if isinstance(var_list, cst.Call) and qualify(var_list.func) in COLLECTIONS:
        return by_graph_name(var_list)
    if (  # `tf.get_collection(A, "x") + tf.get_collection(B, "y")`: both are variable lists
        isinstance(var_list, cst.BinaryOperation)
        and isinstance(var_list.operator, cst.Add)
        and collection_var_list(var_list.left, qualify)
        and collection_var_list(var_list.right, qualify)
    ):
        return by_graph_name(var_list)
    if (
        isinstance(var_list, cst.ListComp)
        and isinstance(var_list.for_in.target, cst.Name)
        and m.matches(var_list.elt, m.Name(var_list.for_in.target.value))
        and var_list.for_in.inner_for_in is None
        and not var_list.for_in.asynchronous
        and isinstance(var_list.for_in.iter, cst.Call)
        and qualify(var_list.for_in.iter.func) in COLLECTIONS
    ):
        name = var_list.for_in.target.value
        return cst.DictComp(
            key=cst.parse_expression(f"{name}.op.name"),
            value=var_list.elt,
            for_in=var_list.for_in,
            lbrace=cst.LeftCurlyBrace(whitespace_after=var_list.lbracket.whitespace_after),
            rbrace=cst.RightCurlyBrace(whitespace_before=var_list.rbracket.whitespace_before),
        )
    return None


def var_list_problem(var_list: cst.BaseExpression | None, reserved: Collection[str]) -> str:
    """Why the Saver's variables cannot be listed statically ('' if they can)."""
    if var_list is None:
        return ""
    if isinstance(var_list, (cst.List, cst.Tuple)):
        keys = [_key(e.value) if isinstance(e, cst.Element) else None for e in var_list.elements]
        if None in keys or not keys:
            return "list the variables by name (no calls, subscripts or *unpacking)"
        if len(set(keys)) != len(keys) or reserved & set(keys):  # type: ignore[operator]
            return "variable names clash; pass a dict with distinct keys"
        return ""
    if isinstance(var_list, cst.Dict):
        for element in var_list.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(
                element.key, cst.SimpleString
            ):
                return "use string-literal keys in the var_list dict"
        return ""
    return "the variable set is computed at run time; list the variables explicitly"


def checkpoint(
    factory: cst.BaseExpression, var_list: cst.BaseExpression | None, compat_v1: cst.BaseExpression
) -> cst.Call:
    """`tf.train.Checkpoint(...)` holding exactly the Saver's variables."""
    if var_list is None:  # Saver(): all global variables, keyed by their graph names
        comprehension = cst.parse_expression(
            f"{{v.op.name: v for v in {code(compat_v1)}.global_variables()}}"
        )
        return make_call(factory, [cst.Arg(comprehension, star="**")])
    args: list[cst.Arg] = []
    if isinstance(var_list, (cst.List, cst.Tuple)):
        for element in var_list.elements:
            key = _key(element.value)
            assert key is not None  # checked by var_list_problem
            args.append(kwarg(key, element.value))
    elif isinstance(var_list, cst.DictComp):  # see collection_var_list
        args.append(cst.Arg(var_list, star="**"))
    elif isinstance(var_list, cst.Dict):
        keys = [e.key.evaluated_value for e in var_list.elements]  # type: ignore[attr-defined]
        if all(isinstance(k, str) and k.isidentifier() for k in keys):
            for key, item in zip(keys, var_list.elements, strict=False):
                args.append(kwarg(str(key), item.value))
        else:
            args.append(cst.Arg(var_list, star="**"))
    return make_call(factory, args)


def restore(
    owner: cst.BaseExpression, path: cst.BaseExpression, session: cst.BaseExpression
) -> cst.Call:
    """`ckpt.read(path).run_restore_ops(sess)`: reads TF1 and TF2 checkpoints, any mode."""
    read = make_call(cst.Attribute(owner, cst.Name("read")), [cst.Arg(path)])
    if m.matches(session, m.Name("None")):
        return read
    return make_call(cst.Attribute(read, cst.Name("run_restore_ops")), [cst.Arg(session)])


_CONFIG = cst.PartialParserConfig()


def dict_restore(
    train: cst.BaseExpression,
    owner: cst.BaseExpression,
    path: cst.BaseExpression,
    session: cst.BaseExpression,
    reshape: cst.BaseExpression | None = None,
) -> cst.BaseExpression:
    """Restore a dict-keyed Saver's TF1 checkpoint: each key read by name, assigned to its variable.

    `owner` is the Saver's own `{"key": var}` dict. Checkpoint cannot map arbitrary names, so
    the values are read with `tf.train.load_variable`; in graph mode the session runs the
    assignments (as Saver.restore did), in eager mode (`sess=None`) they happen at once. A path
    that may have side effects is read once, through one `load_checkpoint` reader. `reshape`
    (the `tf.reshape` handle, for `Saver(reshape=True)`) reshapes each value to its variable,
    as that Saver's restore ops did.
    """
    pure = is_pure(path)
    value = "{train}.load_variable({path}, key)" if pure else "reader.get_tensor(key)"
    if reshape is not None:
        value = f"{{reshape}}({value}, var.shape)"
    loops = "for key, var in {owner}.items()"
    if not pure:
        loops = "for reader in [{train}.load_checkpoint({path})] " + loops
    parts: dict[str, cst.BaseExpression] = {"train": train, "path": path, "owner": owner}
    if reshape is not None:
        parts["reshape"] = reshape
    assigns = parse_template_expression(f"[var.assign({value}) {loops}]", config=_CONFIG, **parts)
    if m.matches(session, m.Name("None")):
        return assigns
    return make_call(cst.Attribute(session, cst.Name("run")), [cst.Arg(assigns)])


def manager(
    factory: cst.BaseExpression,
    owner: cst.BaseExpression,
    directory: cst.BaseExpression,
    name: cst.BaseExpression,
    retention: dict[str, cst.BaseExpression],
) -> cst.Call:
    """CheckpointManager with the Saver's retention; it reloads the state file each time."""
    keep = retention.get("max_to_keep", cst.Integer("5"))  # Saver's default is 5
    if m.matches(keep, m.Name("None") | m.Integer("0")):
        keep = cst.Name("None")  # Saver: 0/None keep everything; the manager wants None
    elif not isinstance(keep, cst.Integer):
        keep = cst.BooleanOperation(keep, cst.Or(), cst.Name("None"))
    args = [cst.Arg(owner), cst.Arg(directory), kwarg("max_to_keep", keep)]
    hours = retention.get("keep_checkpoint_every_n_hours")
    if hours is not None:
        args.append(kwarg("keep_checkpoint_every_n_hours", hours))
    args.append(kwarg("checkpoint_name", name))
    return make_call(factory, args)


def inspect_problem(args: dict[str, cst.BaseExpression]) -> bool:
    """print_tensors_in_checkpoint_file can be rewritten only with literal flags."""
    flags = args.get("all_tensors")
    flags_ok = flags is not None and m.matches(flags, m.Name("True") | m.Name("False"))
    extra = set(args) - {"file_name", "tensor_name", "all_tensors"}
    extra_ok = all(
        m.matches(args[k], m.Name("False")) for k in extra if k == "all_tensor_names"
    ) and extra <= {"all_tensor_names"}
    return not (flags_ok and extra_ok and "file_name" in args and "tensor_name" in args)


def inspect(train: cst.BaseExpression, args: dict[str, cst.BaseExpression]) -> cst.BaseExpression:
    """load_checkpoint / list_variables forms of print_tensors_in_checkpoint_file."""
    path, tensor = args["file_name"], args["tensor_name"]
    if m.matches(args["all_tensors"], m.Name("True")):
        reader, listing = f"{code(train)}.load_checkpoint", f"{code(train)}.list_variables"
        comprehension = cst.parse_expression(
            f"{{name: {reader}(PATH).get_tensor(name) for name, _ in {listing}(PATH)}}"
        )
        comprehension = visit(comprehension, _Substitute("PATH", path))
        return make_call(cst.Name("print"), [cst.Arg(comprehension)])
    if m.matches(tensor, m.SimpleString('""') | m.SimpleString("''")):
        return parse_template_expression(
            "print({train}.list_variables({path}))", train=train, path=path
        )
    template = "print({train}.load_checkpoint({path}).get_tensor({tensor}))"
    return parse_template_expression(template, train=train, path=path, tensor=tensor)


class _Substitute(cst.CSTTransformer):
    """Replace every `Name(placeholder)` with an expression (used twice in one template)."""

    def __init__(self, placeholder: str, value: cst.BaseExpression) -> None:
        super().__init__()
        self.placeholder, self.value = placeholder, value

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.value if original_node.value == self.placeholder else updated_node


def remove_imports(context: CodemodContext, aliases: AliasTable, targets: Collection[str]) -> None:
    """Queue removal of from-imports of rewritten symbols (dropped only if now unused)."""
    for local, (module, obj, asname) in aliases.statements.items():
        target = aliases.bindings[local]
        if canonical(target) in targets or target in targets:
            RemoveImportsVisitor.remove_unused_import(context, module, obj, asname)


def split_path(path: cst.BaseExpression) -> tuple[cst.BaseExpression, cst.BaseExpression, bool]:
    """(directory, checkpoint_name, needs `import os`) for a CheckpointManager."""
    literal = path.evaluated_value if isinstance(path, cst.SimpleString) else None
    if isinstance(literal, str):
        directory, name = posixpath.split(literal)
        return string(directory or "."), string(name), False
    joined = split_join(path)
    if joined is not None:
        return *joined, False
    dirname = make_call(cst.parse_expression("os.path.dirname"), [cst.Arg(path)])
    basename = make_call(cst.parse_expression("os.path.basename"), [cst.Arg(path)])
    return dirname, basename, True


# save() flags whose value is what Checkpoint does anyway (no .meta file, state via manager).
_HARMLESS_SAVE = {"write_meta_graph": "False", "write_state": "True"}


def harmless_save_arg(keyword: str, value: cst.BaseExpression) -> bool:
    expected = _HARMLESS_SAVE.get(keyword)
    return expected is not None and m.matches(value, m.Name(expected))


def mentions(module: cst.Module, names: frozenset[str]) -> bool:
    """Any identifier in `names` anywhere in `module` (a reader of what a save writes)."""
    return any(name.value in names for name in find_all(module, cst.Name))

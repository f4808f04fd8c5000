"""Opt-in: `estimator.export_savedmodel(...)` -> `estimator.export_saved_model(...)`.

For code that stays on Estimator (TF <= 2.15) and only wants the deprecated spelling gone.
Not run by default: the method is matched by its attribute name alone (an Estimator is an
instance, so there is no qualified name to check). `export_saved_model` has no
`strip_default_attrs` (it always strips); `strip_default_attrs=True` is dropped, anything else
is left with a TODO because the written graph would differ.
"""

from __future__ import annotations

import libcst as cst

from codemods.engine.base import TFMigrateCommand

OLD, NEW = "export_savedmodel", "export_saved_model"
# export_savedmodel(export_dir_base, serving_input_receiver_fn, assets_extra, as_text,
#                   checkpoint_path, strip_default_attrs): the 6th is the one that differs.
_SHARED_POSITIONAL = 5


class ExportSavedmodelRename(TFMigrateCommand):
    NAME = "export_savedmodel_rename"
    DESCRIPTION = (
        "Rename Estimator.export_savedmodel to export_saved_model (opt-in, TF <= 2.15 code)."
    )
    TRIGGERS = (OLD,)
    TODO_CODES = {
        "RENAME_STRIP_DEFAULT_ATTRS": (
            "strip_default_attrs is not literally True; export_saved_model always strips"
        ),
    }

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = updated_node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == OLD):
            return updated_node
        positional = [a for a in updated_node.args if a.keyword is None and not a.star]
        strip = [
            a
            for a in updated_node.args
            if a.keyword is not None and a.keyword.value == "strip_default_attrs"
        ]
        if len(positional) > _SHARED_POSITIONAL or any(a.star for a in updated_node.args):
            self.todo(
                original_node,
                "RENAME_STRIP_DEFAULT_ATTRS",
                "pass strip_default_attrs by keyword, then rename",
            )
            return updated_node
        if strip and not (isinstance(strip[0].value, cst.Name) and strip[0].value.value == "True"):
            self.todo(
                original_node,
                "RENAME_STRIP_DEFAULT_ATTRS",
                "export_saved_model always strips default attrs",
            )
            return updated_node
        args = [a for a in updated_node.args if a not in strip]
        if args and strip:  # the dropped keyword may have been last: no trailing comma left over
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.changed = True
        return updated_node.with_changes(func=func.with_changes(attr=cst.Name(NEW)), args=args)

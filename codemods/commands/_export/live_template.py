"""Source of the live-session TF2 export the export codemods insert into a user's module.

Where an export site cannot be re-traced statically (dicts built at run time, outputs kept on an
object, exports inside functions or methods), the codemod swaps the TF1 callee for one of the
drop-in replacements defined here and inserts this block after the module's imports:

- `simple_save_tf2(session, export_dir, inputs, outputs, legacy_init_op=None)` replaces
  `tf.saved_model.simple_save`;
- `SavedModelBuilderTF2(export_dir)` replaces `SavedModelBuilder` / `tf.saved_model.Builder`
  (same methods and arguments).

The block is plain TensorFlow (migrated code never imports tf-migrate): it exports what the
session holds at the call as a TF2 SavedModel (a tf.Module of resource variables, lookup tables
and assets, one tf.function per signature, saved by tf.saved_model.save). See
docs/live_export.md. This module never imports TensorFlow itself.
"""

from __future__ import annotations

LIVE_EXPORT_SOURCE = '''\
# --- tf-migrate: TF2 SavedModel export of the live session (plain TensorFlow) ---
import warnings as _live_warnings

import tensorflow as _live_tf

_LIVE_VARIABLE_OPS = ("VariableV2", "Variable", "VarHandleOp")
_LIVE_TABLE_OPS = ("HashTableV2", "HashTable", "MutableHashTableV2", "MutableDenseHashTableV2")
_LIVE_MUTABLE_OPS = ("MutableHashTableV2", "MutableHashTable", "MutableHashTableOfTensorsV2",
                     "MutableDenseHashTableV2", "MutableDenseHashTable")


class LiveExportFallback(Exception):
    """What the TF2 export cannot express: the original TF1 export runs instead."""


def _live_tensor(ref):
    return ref if ":" in ref or ref.startswith("^") else ref + ":0"


def _live_op_name(key):
    """A signature key as an op name (TF1 keys may be tensor names: `{t.name: t ...}`)."""
    name = "".join(c if c.isascii() and c.isalnum() or c in "._-/" else "_" for c in key)
    return name.lstrip("_-/") or "output"


def _live_prune(nodes, fetches, feeds=()):
    """Names of the graph nodes `fetches` need, stopping at the fed tensors."""
    keep, stack = set(), [f.lstrip("^").split(":")[0] for f in fetches]
    while stack:
        name = stack.pop()
        if name not in keep:
            keep.add(name)
            refs = [r for r in nodes[name].input if _live_tensor(r) not in feeds]
            stack += [r.lstrip("^").split(":")[0] for r in refs]
    return keep


def _live_subgraph(graph_def, keep):
    """The kept nodes; TF1 (ref) variables become placeholders, fed with the TF2 values."""
    sub = _live_tf.compat.v1.GraphDef(versions=graph_def.versions, library=graph_def.library)
    for node in graph_def.node:
        if node.name in keep:
            node = sub.node.add().CopyFrom(node) or sub.node[-1]
            if node.op in ("VariableV2", "Variable"):
                dtype, shape = node.attr["dtype"], node.attr["shape"]
                node.op = "Placeholder"
                node.ClearField("attr")
                node.attr["dtype"].CopyFrom(dtype)
                node.attr["shape"].CopyFrom(shape)
    return sub


class LiveExportTable(_live_tf.saved_model.experimental.TrackableResource):
    """A TF1 lookup table, re-created and re-initialised on load from its own graph ops."""

    def __init__(self, snapshot, name, assets):
        nodes = snapshot["nodes"]
        self._name, self._assets = name, assets
        self._inits = snapshot["table_inits"].get(name, [])
        keep = _live_prune(nodes, self._inits, {name + ":0"}) - {name}
        self._init_graph = _live_subgraph(snapshot["graph_def"], keep)
        self._handle_graph = _live_tf.compat.v1.GraphDef(node=[nodes[name]])
        super().__init__()
        self.resource_handle  # created now, in the saving graph, not inside a signature

    def _create_resource(self):
        return _live_tf.graph_util.import_graph_def(
            self._handle_graph, return_elements=[self._name + ":0"], name="table")[0]

    def _initialize(self):
        if not self._inits:
            return _live_tf.constant(True)
        input_map = {self._name + ":0": _live_tf.identity(self.resource_handle)}
        graph = _live_tf.compat.v1.get_default_graph()  # a FuncGraph: capture, no Identity
        input_map.update({t: graph.capture(a.asset_path) for t, a in self._assets.items()})
        _live_tf.graph_util.import_graph_def(
            self._init_graph, input_map=input_map, return_elements=self._inits, name="init")
        return _live_tf.constant(True)


def _live_snapshot(sess, graph, signature_def_map, assets, clear_devices, values=None):
    """What the export needs from the session, read at the export call (TF1 semantics)."""
    graph_def = graph.as_graph_def()
    if clear_devices:
        for node in graph_def.node:
            node.device = ""
    nodes = {n.name: n for n in graph_def.node}
    if values is None:
        fetches = {}
        with graph.as_default():
            for node in graph_def.node:
                if node.op in _LIVE_VARIABLE_OPS:
                    tensor = graph.get_tensor_by_name(node.name + ":0")
                    if node.op == "VarHandleOp":
                        tensor = _live_tf.raw_ops.ReadVariableOp(
                            resource=tensor, dtype=node.attr["dtype"].type)
                    fetches[node.name] = tensor
        values = sess.run(fetches) if fetches else {}
    table_inits = {}
    for op in graph.get_collection("table_initializer"):
        if op.inputs:
            table_inits.setdefault(op.inputs[0].op.name, []).append(op.name)
    _live_check_graph(nodes, signature_def_map, table_inits)
    trainable = {v.op.name for v in graph.get_collection("trainable_variables")}
    assets = [sess.run(a) if hasattr(a, "graph") else a for a in assets or []]
    return {"graph_def": graph_def, "nodes": nodes, "values": values, "trainable": trainable,
            "table_inits": table_inits, "signatures": dict(signature_def_map), "assets": assets}


class LiveExportModule(_live_tf.Module):
    """The session's state at the export call: variables, lookup tables and assets."""

    # Plain tracked lists, not tf.Module properties: they survive tf.saved_model.load.
    variables = trainable_variables = None


def _live_function(module, snapshot, signature, tables):
    nodes = snapshot["nodes"]
    inputs, outputs = sorted(signature.inputs.items()), sorted(signature.outputs.items())
    feeds = {info.name for _, info in inputs}
    keep = _live_prune(nodes, [info.name for _, info in outputs], feeds)
    sub = _live_subgraph(snapshot["graph_def"], keep)
    refs = [n.name for n in sub.node if n.name in snapshot["values"]]
    specs = [_live_tf.TensorSpec(_live_tf.TensorShape(info.tensor_shape),
                                 _live_tf.as_dtype(info.dtype), name=key) for key, info in inputs]

    def call(*args):
        input_map = {info.name: arg for (_, info), arg in zip(inputs, args)}
        for name in refs:
            variable = module.tf1_variables[name]
            resource = nodes[name].op == "VarHandleOp"
            input_map[name + ":0"] = _live_tf.identity(variable.handle if resource else variable)
        for name in keep & tables.keys():
            input_map[name + ":0"] = _live_tf.identity(tables[name].resource_handle)
        results = _live_tf.graph_util.import_graph_def(
            sub, input_map=input_map, return_elements=[i.name for _, i in outputs], name="tf1")
        return {key: _live_tf.identity(t, name=_live_op_name(key))
                for (key, _), t in zip(outputs, results)}

    # wrap_function adds no automatic control dependencies, which would tie the imported TF1
    # while loops' ops to variable reads outside their frames; the tf.function names the args.
    wrapped = _live_tf.compat.v1.wrap_function(call, specs)
    return _live_tf.function(
        lambda *args: wrapped(*args), input_signature=specs).get_concrete_function()


def _live_write(export_dir, snapshots):
    """One TF2 SavedModel of every snapshot's signatures, saved from a fresh graph."""
    first = snapshots[0]
    with _live_tf.Graph().as_default(), _live_tf.compat.v1.Session() as session:
        module = LiveExportModule()
        module.tf1_variables = {
            name: _live_tf.compat.v1.Variable(
                _live_tf.zeros(value.shape, value.dtype), name=name, use_resource=True,
                trainable=name in first["trainable"])
            for name, value in sorted(first["values"].items())}
        module.variables = list(module.tf1_variables.values())
        module.trainable_variables = [v for v in module.variables if v.trainable]
        module.assets, module.tables, signatures, methods = [], [], {}, {}
        for snapshot in snapshots:
            module.assets += [_live_tf.saved_model.Asset(a) for a in snapshot["assets"]]
            tables, nodes = {}, snapshot["nodes"]
            names = [n.name for n in snapshot["graph_def"].node if n.op in _LIVE_TABLE_OPS]
            for name in names:
                file_assets = {}
                for init in snapshot["table_inits"].get(name, []):
                    if nodes[init].op.startswith("InitializeTableFromTextFile"):
                        source = nodes[nodes[init].input[1].split(":")[0]]
                        if source.op != "Const":
                            raise LiveExportFallback(f"table {name} reads a computed file name")
                        path = source.attr["value"].tensor.string_val[0].decode()
                        asset = _live_tf.saved_model.Asset(path)
                        file_assets[_live_tensor(nodes[init].input[1])] = asset
                module.assets += list(file_assets.values())
                tables[name] = LiveExportTable(snapshot, name, file_assets)
                module.tables.append(tables[name])
            for key, signature in snapshot["signatures"].items():
                if key not in signatures:
                    signatures[key] = _live_function(module, snapshot, signature, tables)
                    methods[key] = signature.method_name
        session.run(_live_tf.compat.v1.global_variables_initializer())
        for name, variable in module.tf1_variables.items():
            variable.load(first["values"][name], session)
        _live_tf.saved_model.save(module, export_dir, signatures=signatures or None)
    renamed = {k: m for k, m in methods.items() if m != "tensorflow/serving/predict"}
    if renamed:
        updater = _live_tf.compat.v1.saved_model.signature_def_utils.MethodNameUpdater(export_dir)
        for key, method in renamed.items():
            updater.replace_method_name(key, method)
        updater.save()


def _live_check_graph(nodes, signature_def_map, table_inits):
    """Tables whose content the TF2 export would lose or cannot locate."""
    for name, inits in table_inits.items():
        for init in inits:
            if nodes[init].op.startswith("InitializeTableFromTextFile"):
                source = nodes[nodes[init].input[1].lstrip("^").split(":")[0]]
                if source.op != "Const":
                    raise LiveExportFallback(f"table {name} reads a computed file name")
    for signature in signature_def_map.values():
        infos = [*signature.inputs.values(), *signature.outputs.values()]
        if any(info.WhichOneof("encoding") != "name" for info in infos):
            raise LiveExportFallback("a signature has a sparse or composite tensor")
        feeds = {i.name for i in signature.inputs.values()}
        keep = _live_prune(nodes, [i.name for i in signature.outputs.values()], feeds)
        mutable = sorted(n for n in keep if nodes[n].op in _LIVE_MUTABLE_OPS)
        if mutable:
            raise LiveExportFallback(f"mutable table {mutable[0]} keeps its content only in TF1")


def _live_check_init_op(graph, init_op):
    """A main_op/legacy_init_op may only initialise tables (TF2 does that on load) and local
    variables (not read by serving signatures in practice)."""
    if init_op is None:
        return
    tables = {op.name for op in graph.get_collection("table_initializer")}
    local = {v.op.name for v in graph.get_collection("local_variables")}
    local |= {v.initializer.name for v in graph.get_collection("local_variables")}
    stack, seen = [init_op], set()
    while stack:
        op = stack.pop()
        if op.name in seen or op.name in tables or op.name in local:
            continue
        seen.add(op.name)
        if op.type != "NoOp" or op.inputs:
            raise LiveExportFallback(f"main_op {init_op.name} runs {op.type} {op.name} on load")
        stack += op.control_inputs


def _live_check_signatures(signature_def_map):
    """The TF1 Builder's checks, with its messages."""
    for signature in signature_def_map.values():
        for info in [*signature.inputs.values(), *signature.outputs.values()]:
            if info.WhichOneof("encoding") is None:
                raise AssertionError(
                    f"Invalid `tensor_info`: {info}. All TensorInfo protos used in the "
                    "SignatureDefs must have one of the 'encoding' fields (e.g., name or "
                    "coo_sparse) set.")
            if info.dtype == 0:
                raise AssertionError(
                    f"Invalid `tensor_info`: {info}. All TensorInfo protos used in the "
                    "SignatureDefs must have the dtype field set.")
    for key, use in (("__saved_model_init_op", "initialization"),
                     ("__saved_model_train_op", "the train op")):
        if key in signature_def_map:
            raise KeyError(f'SignatureDef map key "{key}" is reserved for {use}. '
                           "Please use a different key.")


class SavedModelBuilderTF2:
    """`tf.compat.v1.saved_model.Builder`, written as one TF2 SavedModel by `save()`.

    Exports what the session holds at `add_meta_graph_and_variables`: the signatures'
    subgraphs, the variables' values then (as resource variables, trainable as in TF1, under
    their TF1 names), lookup tables (re-initialised on load from copied vocabulary assets)
    and the assets. A TF2 SavedModel has one tag-set: the signatures of every
    `add_meta_graph*` call are merged under one set (a key already exported keeps its first
    signature) and the tags are not recorded. `main_op` / `legacy_init_op` are not run on load:
    tables initialise themselves and variables hold their exported values. What TF2 cannot
    express (a main_op doing more than table init, sparse signature tensors, computed
    vocabulary file names, mutable tables, any error in the TF2 build) makes `save()` warn
    and write the TF1 SavedModel with the same calls instead.
    """

    def __init__(self, export_dir):
        if _live_tf.io.gfile.exists(export_dir):
            if _live_tf.io.gfile.listdir(export_dir):
                raise AssertionError(
                    f"Export directory {export_dir} already exists, and isn't empty. "
                    "Please choose a different export directory, or delete all the "
                    "contents of the specified directory.")
        else:
            _live_tf.io.gfile.makedirs(export_dir)
        self._export_dir = export_dir
        self._snapshots = []
        self._calls = []  # (graph, method, args, kwargs): replayed by a TF1 builder on fallback
        self._fallback = None  # why the TF1 export runs instead

    def _record(self, graph, method, args, kwargs, snapshot):
        _live_check_signatures(kwargs["signature_def_map"] or {})  # TF1's errors, raised now
        self._calls.append((graph, method, args, kwargs))
        if self._fallback is None:
            try:
                self._snapshots.append(snapshot())
            except Exception as error:  # noqa: BLE001 - TF1 then raises its own error, if any
                self._fallback = f"{type(error).__name__}: {error}"

    def add_meta_graph_and_variables(
            self, sess, tags, signature_def_map=None, assets_collection=None,
            legacy_init_op=None, clear_devices=False, main_op=None, strip_default_attrs=False,
            saver=None):
        if self._calls:
            raise AssertionError(
                "Graph state including variables and assets has already been saved. "
                "Please invoke `add_meta_graph()` instead.")
        kwargs = dict(
            signature_def_map=signature_def_map, assets_collection=assets_collection,
            legacy_init_op=legacy_init_op, clear_devices=clear_devices, main_op=main_op,
            strip_default_attrs=strip_default_attrs, saver=saver)
        init_op = main_op or legacy_init_op
        if init_op is not None and not isinstance(init_op, _live_tf.Operation):
            raise TypeError(
                f"Expected {init_op} to be an Operation but got type {type(init_op)} instead.")
        self._session = sess

        def snapshot():
            _live_check_init_op(sess.graph, init_op)
            return _live_snapshot(
                sess, sess.graph, signature_def_map or {}, assets_collection, clear_devices)

        self._record(sess.graph, "add_meta_graph_and_variables", (sess, tags), kwargs, snapshot)

    def add_meta_graph(
            self, tags, signature_def_map=None, assets_collection=None, legacy_init_op=None,
            clear_devices=False, main_op=None, strip_default_attrs=False, saver=None):
        if not self._calls:
            raise AssertionError(
                "Graph state including variables and assets has not been saved yet. "
                "Please invoke `add_meta_graph_and_variables()` first.")
        kwargs = dict(
            signature_def_map=signature_def_map, assets_collection=assets_collection,
            legacy_init_op=legacy_init_op, clear_devices=clear_devices, main_op=main_op,
            strip_default_attrs=strip_default_attrs, saver=saver)
        graph = _live_tf.compat.v1.get_default_graph()

        def snapshot():
            _live_check_init_op(graph, main_op or legacy_init_op)
            return _live_snapshot(
                self._session, graph, signature_def_map or {}, assets_collection, clear_devices,
                self._snapshots[0]["values"])

        self._record(graph, "add_meta_graph", (tags,), kwargs, snapshot)

    def save(self, as_text=False):
        """Writes the SavedModel (TF2: always binary); returns its .pb path.

        Where the TF2 export cannot express the model, warns and writes the TF1 SavedModel
        with the same calls instead: never worse than before the migration.
        """
        if self._fallback is None:
            try:
                _live_write(self._export_dir, self._snapshots)
            except Exception as error:  # noqa: BLE001 - the TF1 export is the safe answer
                self._fallback = f"{type(error).__name__}: {error}"
                _live_tf.io.gfile.rmtree(self._export_dir)
                _live_tf.io.gfile.makedirs(self._export_dir)
        if self._fallback is not None:
            _live_warnings.warn(
                f"tf-migrate live export: {self._fallback}; writing the TF1 SavedModel instead",
                stacklevel=2)
            builder = getattr(_live_tf.compat.v1.saved_model, "Builder")(self._export_dir)
            for graph, method, args, kwargs in self._calls:
                with graph.as_default():
                    getattr(builder, method)(*args, **kwargs)
            return builder.save(as_text)
        export_dir = _live_tf.compat.as_str(self._export_dir)
        return _live_tf.compat.as_bytes(_live_tf.io.gfile.join(export_dir, "saved_model.pb"))


def simple_save_tf2(session, export_dir, inputs, outputs, legacy_init_op=None):
    """`tf.compat.v1.saved_model.simple_save`, written as a TF2 SavedModel (same arguments)."""
    signature = _live_tf.compat.v1.saved_model.predict_signature_def(inputs, outputs)
    builder = SavedModelBuilderTF2(export_dir)
    builder.add_meta_graph_and_variables(
        session, ["serve"], signature_def_map={"serving_default": signature},
        assets_collection=session.graph.get_collection("asset_filepaths"),
        legacy_init_op=legacy_init_op, clear_devices=True)
    builder.save()
# --- end of the tf-migrate export block ---
'''

BLOCK_END = "# --- end of the tf-migrate export block ---"
# Stands for the block in stored expected outputs (corpus after.py files), so it is stored once.
LIVE_MARKER = (
    "# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here\n"
)
SIMPLE_SAVE = "simple_save_tf2"
BUILDER = "SavedModelBuilderTF2"


def live_export_source() -> str:
    """The block to insert after a module's imports (ends with a newline)."""
    return LIVE_EXPORT_SOURCE

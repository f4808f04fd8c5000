"""When a graph has no signature: list its placeholders and rank the tensors worth serving.

Terminal ops are not enough: in a training graph the prediction feeds the loss, and the only sinks
are the loss, the optimizer and `init`. What serving needs is the last tensor computed from a set of
placeholders before something else (a label, a gradient) joins in, so candidates are "frontier"
nodes per placeholder set, ranked by how few placeholders they need, then by op kind and naming.
Pure GraphDef analysis: nothing is imported or run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tensorflow.core.framework import graph_pb2, node_def_pb2
from tensorflow.python.framework import dtypes, tensor_shape

from migrate.graphs.random_ops import RANDOM_OPS

_PLACEHOLDERS = frozenset({"Placeholder", "PlaceholderV2", "PlaceholderWithDefault"})
_TRAINING_SCOPES = re.compile(
    r"^(gradients(_\d+)?|save(_\d+)?|init(_\d+)?|report_uninitialized_variables)(/|$)"
)
_NOT_OUTPUTS = frozenset(
    {
        "NoOp",
        "Assert",
        "Const",
        "Shape",
        "ShapeN",
        "Rank",
        "Size",
        "VariableV2",
        "VarHandleOp",
        "ReadVariableOp",
        "Assign",
        "AssignAdd",
        "AssignSub",
        "AssignVariableOp",
        "SaveV2",
        "RestoreV2",
        "MergeV2Checkpoints",
        "BroadcastGradientArgs",
        "PreventGradient",
        "StopGradient",
        "Print",
        "PrintV2",
    }
)
_SERVING_OPS = frozenset(
    {
        "Identity",
        "Softmax",
        "LogSoftmax",
        "Sigmoid",
        "ArgMax",
        "ArgMin",
        "TopKV2",
        "Tanh",
        "Relu",
        "BiasAdd",
        "MatMul",
        "Squeeze",
        "Reshape",
        "Cast",
    }
)
_AUTO_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*(_\d+)?$")  # `Add`, `MatMul_3`: TF's default op names
_PREFERRED_OPS = frozenset({"Identity", "Softmax", "ArgMax"})
_PREFERRED_NAME = re.compile(
    r"(^|/|_)(outputs?|pred(iction)?s?|logits|probs|probabilit(y|ies)|scores|classes)(_\d+)?$", re.I
)
_RANDOM_OPS = RANDOM_OPS  # dropout masks and noise are never what a model serves


@dataclass(frozen=True)
class Placeholder:
    name: str
    dtype: str
    shape: str
    has_default: bool

    def describe(self) -> str:
        default = ", has default" if self.has_default else ""
        return f"{self.name} ({self.dtype}, {self.shape}{default})"


@dataclass(frozen=True)
class Candidate:
    name: str
    op: str
    needs: tuple[str, ...]
    sink: bool = False  # nothing in the graph consumes it

    @property
    def preferred(self) -> bool:
        """A serving-looking op (Identity/Softmax/ArgMax) or name (output, pred, logits...)."""
        return self.op in _PREFERRED_OPS or bool(_PREFERRED_NAME.search(self.name))

    def describe(self) -> str:
        return f"{self.name} ({self.op}, needs {','.join(self.needs)})"


def placeholders(graph_def: graph_pb2.GraphDef) -> list[Placeholder]:
    found = []
    for node in graph_def.node:
        if node.op in _PLACEHOLDERS and not _TRAINING_SCOPES.match(node.name):  # not save/filename
            found.append(
                Placeholder(
                    node.name, _dtype(node), _shape(node), node.op == "PlaceholderWithDefault"
                )
            )
    return found


def _dtype(node: node_def_pb2.NodeDef) -> str:
    """Names for the listing only: a corrupt attr must not turn the helpful error into a crash."""
    try:
        return str(
            dtypes.as_dtype(
                node.attr["dtype"].type if "dtype" in node.attr else node.attr["T"].type
            ).name
        )
    except TypeError:
        return "invalid dtype"


def _shape(node: node_def_pb2.NodeDef) -> str:
    try:
        return str(
            tensor_shape.TensorShape(node.attr["shape"].shape)
            if "shape" in node.attr
            else tensor_shape.unknown_shape()
        )
    except (TypeError, ValueError):
        return "invalid shape"


def rank_outputs(graph_def: graph_pb2.GraphDef, limit: int = 8) -> list[Candidate]:
    """Frontier nodes per placeholder set, best first."""
    nodes = {node.name: node for node in graph_def.node}
    needs = _placeholder_sets(nodes)
    excluded = _training_nodes(nodes)
    consumers: dict[str, list[str]] = {name: [] for name in nodes}
    for node in graph_def.node:
        for source in _data_inputs(node):
            if source in consumers:
                consumers[source].append(node.name)
    ranked = []
    for name, node in nodes.items():
        if (
            name in excluded
            or node.op in _NOT_OUTPUTS
            or node.op in _PLACEHOLDERS
            or node.op in _RANDOM_OPS
            or not needs[name]
        ):
            continue
        same_set_consumer = any(
            needs[user] == needs[name]
            and user not in excluded
            and nodes[user].op not in _NOT_OUTPUTS
            for user in consumers[name]
        )
        if not same_set_consumer:
            sink = not consumers[name] and not excluded  # a training graph's sink is its loss
            ranked.append(Candidate(name, node.op, tuple(sorted(needs[name])), sink))
    ranked.sort(
        key=lambda c: (
            not c.sink,
            not (c.sink and bool(_PREFERRED_NAME.search(c.name))),
            not (c.sink and c.preferred),
            len(c.needs),
            not c.preferred,
            c.op not in _SERVING_OPS,
            bool(_AUTO_NAME.match(c.name.rsplit("/", 1)[-1])),
            c.name,
        )
    )
    return ranked[:limit]


def _data_inputs(node: node_def_pb2.NodeDef) -> list[str]:
    return [source.split(":")[0] for source in node.input if not source.startswith("^")]


def _placeholder_sets(nodes: dict[str, node_def_pb2.NodeDef]) -> dict[str, frozenset[str]]:
    """Which placeholders each node's value depends on (iterative DFS: graphs can be deep)."""
    result: dict[str, frozenset[str]] = {}
    visiting: set[str] = set()  # while-loops make cycles (NextIteration -> Merge)
    for root in nodes:
        stack = [(root, False)]
        while stack:
            name, expanded = stack.pop()
            if name in result or name not in nodes or (not expanded and name in visiting):
                continue
            node = nodes[name]
            inputs = [source for source in _data_inputs(node) if source in nodes]
            if node.op in _PLACEHOLDERS:
                result[name] = frozenset({name})
            elif expanded or all(source in result for source in inputs):
                result[name] = frozenset().union(
                    *(result.get(source, frozenset()) for source in inputs)
                )
            else:
                visiting.add(name)
                stack.append((name, True))
                stack.extend((source, False) for source in inputs if source not in result)
    return result


def _training_nodes(nodes: dict[str, node_def_pb2.NodeDef]) -> set[str]:
    """Gradient, saver and init scopes, and everything downstream of an optimizer update."""
    excluded = {name for name in nodes if _TRAINING_SCOPES.match(name)}
    updates = {
        name
        for name, node in nodes.items()
        if node.op.startswith(("Apply", "ResourceApply", "Assign"))
    }
    frontier = list(excluded | updates)
    consumers: dict[str, list[str]] = {}
    for node in nodes.values():
        for source in node.input:
            consumers.setdefault(source.lstrip("^").split(":")[0], []).append(node.name)
    while frontier:
        name = frontier.pop()
        excluded.add(name)
        frontier.extend(user for user in consumers.get(name, []) if user not in excluded)
    return excluded


def no_signature_message(graph_def: graph_pb2.GraphDef) -> tuple[str, str]:
    """The (message, fix) pair for a graph with no SignatureDef and no flag."""
    found = placeholders(graph_def)
    ranked = rank_outputs(graph_def)
    listing = "; ".join(p.describe() for p in found) or "(none)"
    message = f"has no signature. Placeholders: {listing}. Candidate outputs, best first: "
    message += "; ".join(c.describe() for c in ranked) or "(none found)"
    example_in = ",".join(ranked[0].needs) if ranked else ",".join(p.name for p in found)
    example_out = ranked[0].name if ranked else "OUTPUT"
    return (
        message + ".",
        f"name inputs and outputs, e.g. --signature serving_default:{example_in}->{example_out}",
    )


def auto_signature(graph_def: graph_pb2.GraphDef) -> tuple[str, str] | None:
    """(`--signature` text, why) when exactly one sensible sink exists and its inputs are clear.

    Sensible: nothing consumes it and it looks served (Identity/Softmax/ArgMax, or a name like
    output/pred/logits/probabilities). Clear inputs: plain placeholders without defaults.
    """
    sinks = [c for c in rank_outputs(graph_def, limit=1000) if c.sink and c.preferred]
    if len(sinks) != 1:
        return None
    chosen = sinks[0]
    by_name = {p.name: p for p in placeholders(graph_def)}
    if any(name not in by_name or by_name[name].has_default for name in chosen.needs):
        return None
    text = f"serving_default:{','.join(chosen.needs)}->{chosen.name}"
    return text, f"built signature {text} (the graph's only sink that looks like an output)"

"""What inspect says about issue-17 graphs: TF 1.0-era semantics and auto-built signatures.

Both come from the converter's own analysis (`legacy_ops.scan`, `candidates.auto_signature`), so
the verdict names exactly what `convert` will do. Pure GraphDef analysis: nothing runs.
"""

from __future__ import annotations

from typing import Any

from tensorflow.core.framework import graph_pb2

from migrate.graphs import candidates, legacy_ops


def graph_entry(graph: graph_pb2.GraphDef, has_meta_signatures: bool) -> dict[str, Any]:
    built = None if has_meta_signatures else candidates.auto_signature(graph)
    return {
        "legacy": [finding.to_json() for finding in legacy_ops.scan(graph)],
        "auto_signature": built[0] if built else None,
    }


def judge(
    graphs: list[dict[str, Any]], attention: list[str], blocked: list[str], does: list[str]
) -> None:
    """Legacy semantics need attention (convert rewrites them) or block (no replacement)."""
    for graph in graphs:
        for finding in graph.get("legacy", []):
            line = f"TF 1.0-era semantics: {finding['op']} '{finding['node']}': {finding['action']}"
            (attention if finding["handled"] else blocked).append(line)
            if finding["handled"]:
                does.append(f"restore TF 1.0 semantics of {finding['op']} '{finding['node']}'")
        if graph.get("auto_signature"):
            does.append(f"build signature {graph['auto_signature']} (only sensible output)")
            attention[:] = [a for a in attention if not a.startswith("no SignatureDefs in this")]

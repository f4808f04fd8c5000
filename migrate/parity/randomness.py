"""Random ops in a signature: make both sides deterministic where TF allows, else compare laws.

Unseeded stateful random ops (seed = seed2 = 0) draw differently in every session, so an exact
comparison of what depends on them is meaningless. Two things TF1 models do make them harmless:
an op-level seed (both sides then draw the same first values), and dropout behind a `keep_prob`
input, whose no-op value 1.0 makes `floor(keep_prob + uniform)` always 1. What remains is
compared by distribution (mean, standard deviation) and reported as non-deterministic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migrate.graphs.random_ops import RANDOM_OPS
from migrate.parity.specs import SignatureSpec

_KEEP_NAME = re.compile(r"(^|/)(keep_?prob(ability)?|dropout_keep(_prob)?)(_\d+)?$", re.I)
_GATES = frozenset({"Add", "AddV2", "GreaterEqual"})


@dataclass
class RandomPlan:
    """For one signature: inputs to feed 1.0, and outputs that stay non-deterministic (reason)."""

    keep_prob: list[str] = field(default_factory=list)
    seeded: list[str] = field(default_factory=list)
    nondeterministic: dict[str, str] = field(default_factory=dict)


class RandomFacts:
    """Which random ops each tensor depends on, in a TF1 GraphDef."""

    def __init__(self, graph_def: Any | None) -> None:
        self._nodes = {n.name: n for n in graph_def.node} if graph_def is not None else {}

    def plan(self, spec: SignatureSpec) -> RandomPlan:
        plan = RandomPlan()
        if not any(n.op in RANDOM_OPS for n in self._nodes.values()):
            return plan
        stop = {t.name.split(":")[0] for t in spec.inputs.values()}
        neutral: set[str] = set()
        for key, tensor in spec.inputs.items():
            if (
                tensor.sparse
                or not tensor.dtype.startswith("float")
                or tensor.shape not in ((), None)
            ):
                continue
            guarded = self._dropout_randoms(tensor.name.split(":")[0])
            if guarded or _KEEP_NAME.search(tensor.name.split(":")[0]):
                plan.keep_prob.append(key)
                neutral |= guarded
        for key, tensor in spec.outputs.items():
            randoms = self._randoms_behind(tensor.name.split(":")[0], stop)
            plan.seeded += sorted(r for r in randoms if self._seeded(r) and r not in plan.seeded)
            loose = sorted(r for r in randoms if not self._seeded(r) and r not in neutral)
            if loose:
                ops = ", ".join(f"{self._nodes[r].op} '{r}'" for r in loose[:3])
                plan.nondeterministic[key] = f"depends on unseeded {ops}"
        return plan

    def _seeded(self, name: str) -> bool:
        node = self._nodes[name]
        return bool(node.attr["seed"].i or node.attr["seed2"].i)

    def _randoms_behind(self, output: str, stop: set[str]) -> set[str]:
        seen, stack, found = set(), [output], set()
        while stack:
            name = stack.pop()
            if name in seen or name not in self._nodes:
                continue
            seen.add(name)
            node = self._nodes[name]
            if node.op in RANDOM_OPS:
                found.add(name)
            if name not in stop:
                stack.extend(t.lstrip("^").split(":")[0] for t in node.input)
        return found

    def _dropout_randoms(self, placeholder: str) -> set[str]:
        """The random ops a keep_prob of 1.0 makes harmless, in both dropout forms.

        TF 1.x: `floor(keep_prob + uniform)`; TF >= 1.13: `uniform >= 1 - keep_prob`.
        """
        gates = {placeholder} | {
            n.name
            for n in self._nodes.values()
            if n.op == "Sub" and placeholder in [t.split(":")[0] for t in n.input[1:2]]
        }
        found: set[str] = set()
        for node in self._nodes.values():
            sources = [t.split(":")[0] for t in node.input if not t.startswith("^")]
            if node.op in _GATES and gates & set(sources):
                for other in (s for s in sources if s not in gates):
                    found |= self._randoms_behind(other, {placeholder})
        return found


def distribution_matches(reference: Any, candidate: Any, atol: float) -> tuple[bool, str]:
    """Same law, judged by mean and standard deviation (one draw each side)."""
    ref, cand = np.asarray(reference, np.float64), np.asarray(candidate, np.float64)
    if ref.shape != cand.shape:
        return False, f"shape differs: reference {list(ref.shape)}, candidate {list(cand.shape)}"
    if not ref.size:
        return True, "empty"
    spread = max(float(ref.std()), float(cand.std()), atol)
    mean_gap = abs(float(ref.mean()) - float(cand.mean()))
    std_gap = abs(float(ref.std()) - float(cand.std()))
    ok = mean_gap <= 0.5 * spread + atol and std_gap <= 0.5 * spread + atol
    return (
        ok,
        f"mean {ref.mean():.3g} vs {cand.mean():.3g}, std {ref.std():.3g} vs {cand.std():.3g}",
    )

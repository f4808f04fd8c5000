"""Run one call on both sides so that what can be compared is, and say why when it cannot.

Generated inputs are refined from the graph (shapes it reveals, keep_prob fed 1.0). When both
sides then fail with the same error, the input was wrong, not the conversion: retry at the
output's static batch (or batch 1), and if they still agree on failing, report "both sides
reject this input" instead of a mismatch. Outputs that depend on unseeded random ops are
compared by distribution and marked non-deterministic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from migrate.errors import tf_error_line
from migrate.parity import input_shapes, randomness
from migrate.parity.compare import OutputComparison
from migrate.parity.specs import SignatureSpec

RunReference = Callable[..., tuple[dict[str, Any], dict[str, Any]]]


class BothReject(Exception):
    """Both sides fail identically on every input tried: nothing to compare, no mismatch."""


@dataclass
class GraphKnowledge:
    """What the TF1 GraphDef says about inputs and randomness; built once per parity run."""

    shapes: input_shapes.ShapeFacts
    randoms: randomness.RandomFacts

    @classmethod
    def of(cls, graph_def: Any | None) -> GraphKnowledge:
        return cls(input_shapes.ShapeFacts(graph_def), randomness.RandomFacts(graph_def))


@dataclass
class PairRun:
    feeds: dict[str, Any]
    reference: dict[str, Any]
    candidate: dict[str, Any]
    plan: randomness.RandomPlan = field(default_factory=randomness.RandomPlan)


@dataclass(frozen=True)
class Sides:
    """The two runners, the call, and the gate's own reference runner (with its fallbacks)."""

    reference: Any
    candidate: Any
    call: Any
    facts: Any
    run_reference: RunReference


def run_pair(
    sides: Sides,
    spec: SignatureSpec,
    options: Any,
    knowledge: GraphKnowledge,
    notes: list[dict[str, str]],
) -> PairRun:
    """Both sides on the same feeds; generated feeds are refined and retried as described above."""
    plan = knowledge.randoms.plan(spec)
    if sides.call.inputs:  # the caller's own values: run as given
        return _attempt(sides, spec, options, plan, compare_failures=False)
    refined, shape_notes = input_shapes.refine(spec, knowledge.shapes)
    for text in shape_notes:
        _note(notes, spec.key, "*", "inferred_shape", text)
    options = _keep_prob_one(options, spec, plan, notes)
    try:
        return _attempt(sides, refined, options, plan)
    except _Identical as first:
        batch = input_shapes.static_batch(spec) or 1
        if batch == options.inputs.batch_size:
            raise BothReject(f"both sides reject this input: {first}") from None
        retry = dataclasses.replace(
            options, inputs=dataclasses.replace(options.inputs, batch_size=batch)
        )
        try:
            run = _attempt(sides, refined, retry, plan)
        except _Identical as second:
            raise BothReject(f"both sides reject this input: {second}") from None
        why = ", the outputs' static batch" if input_shapes.static_batch(spec) else ""
        _note(
            notes,
            spec.key,
            "*",
            "batch_retry",
            f"batch {options.inputs.batch_size} failed on both sides ({first}); "
            f"ran at batch {batch}{why}",
        )
        return run


class _Identical(Exception):
    """Both sides raised the same error on the same feeds."""


def _attempt(
    sides: Sides,
    spec: SignatureSpec,
    options: Any,
    plan: randomness.RandomPlan,
    compare_failures: bool = True,
) -> PairRun:
    call = sides.call
    try:
        feeds, ref_out = sides.run_reference(sides.reference, call, spec, sides.facts, options)
    except Exception as ref_error:
        if not compare_failures:
            raise
        line = tf_error_line(ref_error)
        feeds = _regenerate(spec, sides.facts, options)
        try:
            sides.candidate.run(call.signature, feeds)
        except Exception as cand_error:  # noqa: BLE001 - compared with the reference's failure
            if _same_error(line, str(cand_error)):
                raise _Identical(line) from None
        raise
    return PairRun(feeds, ref_out, sides.candidate.run(call.signature, feeds), plan)


def _regenerate(spec: SignatureSpec, facts: Any, options: Any) -> dict[str, Any]:
    from migrate.parity import inputs as input_gen  # noqa: PLC0415

    feeds = input_gen.generate(spec, facts, options.inputs)
    given = {**options.given_inputs.get("*", {}), **options.given_inputs.get(spec.key, {})}
    feeds.update({k: v for k, v in given.items() if k in spec.inputs})
    return feeds


def _same_error(reference_line: str, candidate_text: str) -> bool:
    """TF wraps kernel errors differently in a Session and a function: find the core text."""
    core = reference_line.split("[[")[0].strip().rstrip(".").lower()
    return bool(core) and core in candidate_text.lower()


def _keep_prob_one(
    options: Any, spec: SignatureSpec, plan: randomness.RandomPlan, notes: list[dict[str, str]]
) -> Any:
    ranges = list(options.inputs.value_ranges)
    for key in plan.keep_prob:
        if options.inputs.range_for(key) is None:
            ranges.append((key, 1.0, 1.0))
            _note(
                notes,
                spec.key,
                "*",
                "keep_prob",
                f"input '{key}' is a dropout keep probability: fed its no-op value 1.0 on both "
                "sides so dropout is off (set --value-range to test other values).",
            )
    for name in plan.seeded:
        _note(
            notes,
            spec.key,
            "*",
            "seeded_random",
            f"'{name}' has an op-level seed: both sides draw the same values, compared exactly.",
        )
    return dataclasses.replace(
        options, inputs=dataclasses.replace(options.inputs, value_ranges=tuple(ranges))
    )


def judge(result: OutputComparison, run: PairRun, ref: Any, cand: Any, atol: float) -> None:
    """An output that depends on unseeded random ops passes on distribution, marked as such."""
    reason = run.plan.nondeterministic.get(result.output)
    if reason is None or result.passed:
        return
    same_law, stats = randomness.distribution_matches(ref, cand, atol)
    result.passed = same_law
    result.reason = (
        f"non-deterministic ({reason}); distributions {'match' if same_law else 'differ'}: {stats}"
    )


def note_nondeterministic(run: PairRun, notes: list[dict[str, str]], signature: str) -> None:
    for output, reason in sorted(run.plan.nondeterministic.items()):
        _note(
            notes,
            signature,
            output,
            "nondeterministic",
            f"{reason}; TF cannot make it repeatable, so distributions (mean, std) are compared.",
        )


def note_rejected(notes: list[dict[str, str]], signature: str, text: str) -> None:
    _note(notes, signature, "*", "both_sides_reject", f"{text}; not counted as a mismatch.")


def _note(notes: list[dict[str, str]], signature: str, output: str, kind: str, text: str) -> None:
    entry = {"signature": signature, "output": output, "kind": kind, "detail": text}
    if entry not in notes:
        notes.append(entry)

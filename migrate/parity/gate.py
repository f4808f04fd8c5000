"""The parity gate: run both sides on the same inputs and compare every shared output."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from migrate.errors import tf_error_line
from migrate.parity import both_sides
from migrate.parity import inputs as input_gen
from migrate.parity.compare import OutputComparison, Tolerance, compare
from migrate.parity.runners import Runner, SparseValue
from migrate.parity.specs import SignatureSpec


@dataclass(frozen=True)
class Call:
    """One step of a stateful call sequence."""

    signature: str
    inputs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParityOptions:
    signatures: tuple[str, ...] = ()
    inputs: input_gen.InputOptions = field(default_factory=input_gen.InputOptions)
    tolerance: Tolerance = field(default_factory=Tolerance)
    per_output: dict[str, Tolerance] = field(default_factory=dict)  # "out" or "sig/out"
    sequence: list[Call] | None = None
    given_inputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # signature -> feeds
    # Calls with inputs run first, in order (e.g. TF Serving warmup requests); a shared signature
    # they leave out still gets one generated call. Ignored when `sequence` is set.
    given_calls: list[Call] = field(default_factory=list)
    # Called with each finished report, so a caller that only gets the pipeline's JSON view
    # (`convert --html`) still sees the typed result with its error histograms.
    on_result: Callable[[ParityReport], None] | None = None

    def tolerance_for(self, signature: str, output: str) -> Tolerance:
        return (
            self.per_output.get(f"{signature}/{output}")
            or self.per_output.get(output)
            or self.tolerance
        )


@dataclass
class ParityReport:
    reference: str
    candidate: str
    seed: int
    batch_size: int
    reference_device: str = ""
    candidate_device: str = ""
    comparisons: list[OutputComparison] = field(default_factory=list)
    only_in_reference: list[str] = field(default_factory=list)
    only_in_candidate: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    special_cases: list[dict[str, str]] = field(
        default_factory=list
    )  # why and how each output was compared

    @property
    def compared_nothing(self) -> bool:
        return not self.comparisons

    @property
    def passed(self) -> bool:
        return (
            bool(self.comparisons) and not self.errors and all(c.passed for c in self.comparisons)
        )


def compare_runners(reference: Runner, candidate: Runner, options: ParityOptions) -> ParityReport:
    report = ParityReport(
        reference="",
        candidate="",
        seed=options.inputs.seed,
        batch_size=options.inputs.batch_size,
        reference_device=reference.device,
        candidate_device=candidate.device,
    )
    ref_specs, cand_specs = reference.signatures(), candidate.signatures()
    wanted = set(options.signatures) or set(ref_specs) | set(cand_specs)
    report.only_in_reference = sorted(k for k in wanted if k in ref_specs and k not in cand_specs)
    report.only_in_candidate = sorted(k for k in wanted if k in cand_specs and k not in ref_specs)
    missing = sorted(k for k in options.signatures if k not in ref_specs and k not in cand_specs)
    report.errors += [f"signature '{key}' exists on neither side" for key in missing]
    shared = sorted(k for k in wanted if k in ref_specs and k in cand_specs)
    facts = input_gen.GraphFacts(reference.graph_def())
    knowledge = both_sides.GraphKnowledge.of(reference.graph_def())
    given = [
        call
        for call in options.given_calls
        if not options.signatures or call.signature in options.signatures
    ]
    calls = options.sequence or _given_then_generated(given, shared)
    stepped = options.sequence is not None or bool(given)
    for step, call in enumerate(calls):
        if call.signature not in shared:
            report.errors.append(f"step {step}: signature '{call.signature}' is not on both sides")
            continue
        ref_spec, cand_spec = ref_specs[call.signature], cand_specs[call.signature]
        if not _same_inputs(ref_spec, cand_spec, report):
            continue
        unknown = sorted(set(call.inputs) - set(ref_spec.inputs))
        if unknown:
            report.errors.append(
                f"step {step}: {call.signature} has no input(s) {unknown}"
                f" (it takes {sorted(ref_spec.inputs)})"
            )
            continue
        try:  # inferred shapes, keep_prob 1.0, batch retry, both sides rejecting
            sides = both_sides.Sides(reference, candidate, call, facts, _run_reference)
            run = both_sides.run_pair(sides, ref_spec, options, knowledge, report.special_cases)
            feeds, ref_out, cand_out = run.feeds, run.reference, run.candidate
            report.feeds[f"{step}:{call.signature}" if stepped else call.signature] = feeds
            both_sides.note_nondeterministic(run, report.special_cases, call.signature)
        except both_sides.BothReject as rejected:
            both_sides.note_rejected(report.special_cases, call.signature, str(rejected))
            continue
        except Exception as error:  # noqa: BLE001 - a model failing to run is a finding, not a crash
            report.errors.append(f"{call.signature}: running failed: {_first_line(error)}")
            continue
        for name in sorted(set(ref_out) ^ set(cand_out)):
            side = "reference" if name in ref_out else "candidate"
            report.errors.append(f"{call.signature}: output '{name}' exists only in the {side}")
        for name in sorted(set(ref_out) & set(cand_out)):
            result = compare(
                call.signature,
                name,
                ref_out[name],
                cand_out[name],
                options.tolerance_for(call.signature, name),
            )
            result.step = step if stepped else None
            both_sides.judge(result, run, ref_out[name], cand_out[name], result.atol)
            report.comparisons.append(result)
    if report.compared_nothing and not report.errors:
        report.errors.append(
            "nothing was compared: both sides reject every input tried (see special cases)"
            if report.special_cases
            else "nothing was compared: the two models share no signature"
        )
    if options.on_result is not None:
        options.on_result(report)
    return report


def _given_then_generated(given: list[Call], shared: list[str]) -> list[Call]:
    covered = {call.signature for call in given}
    return [*given, *(Call(key) for key in shared if key not in covered)]


def _same_inputs(ref: SignatureSpec, cand: SignatureSpec, report: ParityReport) -> bool:
    if set(ref.inputs) == set(cand.inputs):
        return True
    only_ref = sorted(set(ref.inputs) - set(cand.inputs))
    only_cand = sorted(set(cand.inputs) - set(ref.inputs))
    report.errors.append(
        f"{ref.key}: inputs differ (reference only: {only_ref}, candidate only: {only_cand})"
    )
    return False


def _first_line(error: BaseException) -> str:
    return tf_error_line(error)


def _run_reference(
    reference: Runner,
    call: Call,
    spec: SignatureSpec,
    facts: input_gen.GraphFacts,
    options: ParityOptions,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run generated feeds; if a batch vector for an unknown-rank input is refused, try scalars."""
    feeds = _feeds_for(call, spec, facts, options)
    try:
        return feeds, reference.run(call.signature, feeds)
    except Exception:
        generated = not call.inputs and not options.given_inputs
        if not generated or not any(t.shape is None and not t.sparse for t in spec.inputs.values()):
            raise
    scalar = ParityOptions(inputs=dataclasses.replace(options.inputs, unknown_rank_as_scalar=True))
    feeds = _feeds_for(call, spec, facts, scalar)
    return feeds, reference.run(call.signature, feeds)


def _feeds_for(
    call: Call, spec: SignatureSpec, facts: input_gen.GraphFacts, options: ParityOptions
) -> dict[str, Any]:
    if call.inputs:
        return {
            key: _as_array(value, spec.inputs[key].np_dtype) if key in spec.inputs else value
            for key, value in call.inputs.items()
        }
    feeds = input_gen.generate(spec, facts, options.inputs)
    given = {**options.given_inputs.get("*", {}), **options.given_inputs.get(call.signature, {})}
    feeds.update({key: value for key, value in given.items() if key in spec.inputs})
    return feeds


def _as_array(value: Any, dtype: np.dtype) -> Any:
    if isinstance(value, SparseValue):
        return value
    if dtype == np.dtype(object):
        return np.array(value, dtype=object)
    return np.asarray(value, dtype=dtype)

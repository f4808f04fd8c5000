"""The verify stage of `convert`: TF1 semantics (Session) vs the written TF2 model (fresh load)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from migrate.converter.loaders import TF1Model
from migrate.errors import MigrateError, ParityError
from migrate.parity.gate import ParityOptions, ParityReport
from migrate.reader import ModelFormat


@dataclass(frozen=True)
class Verified:
    """The parity result (None when verification was off or there was nothing to call)."""

    parity: ParityReport | None
    warnings: tuple[str, ...] = ()


def verify(model: TF1Model, out: Path, options: ParityOptions) -> Verified:
    """Run both models on the same inputs; a difference raises ParityError (exit 1)."""
    from migrate.parity import report as parity_report  # noqa: PLC0415
    from migrate.parity.gate import compare_runners  # noqa: PLC0415
    from migrate.parity.runners import TF2EagerRunner, tf1_runner  # noqa: PLC0415

    parity, warnings = _with_warmup(options, model)
    reference = tf1_runner(model)
    try:
        result = compare_runners(reference, TF2EagerRunner(out), parity)
    finally:
        reference.close()
    result.reference, result.candidate = str(model.path), "converted"
    if not result.passed:
        raise ParityError(
            f"the converted model differs from the original: {parity_report.summary_line(result)}.",
            path=model.path,
            fix="see the parity table; loosen --atol/--rtol only if the difference is expected.",
            details=result,
        )
    return Verified(result, warnings)


def _with_warmup(parity: ParityOptions, model: TF1Model) -> tuple[ParityOptions, tuple[str, ...]]:
    """TF Serving warmup requests are real traffic: check them too, unless calls were given."""
    from migrate.parity.warmup import find_warmup, load_warmup  # noqa: PLC0415

    found = find_warmup(model.path) if model.source_format is ModelFormat.SAVED_MODEL else None
    if found is None or parity.given_calls or parity.sequence:
        return parity, ()
    try:
        calls = load_warmup(found).calls()
    except MigrateError as error:
        return parity, (f"parity ignored the warmup file: {error}",)
    note = f"parity also ran the {len(calls)} warmup request(s) in {found.name}."
    return dataclasses.replace(parity, given_calls=calls), (note,)

"""The conversion report: what was converted, in a form both people and tools read.

It is assembled once, at the end of `convert`, from the stages' typed results; the JSON layout
(`write_reports`) is documented in docs/converter.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.fsutil import atomic_write_text

if TYPE_CHECKING:
    from tensorflow.core.protobuf import meta_graph_pb2

    from migrate.converter.loaders import TF1Model
    from migrate.converter.stages import Exported, Imported, Rewritten
    from migrate.converter.verification import Verified
    from migrate.converter.wrapped_graph import SignatureInfo
    from migrate.parity.gate import ParityReport


@dataclass(frozen=True)
class VariableEntry:
    name: str
    shape: list[int | None]
    dtype: str
    trainable: bool


@dataclass(frozen=True)
class SignatureEntry:
    key: str
    method_name: str
    inputs: dict[str, str]
    outputs: dict[str, str]


@dataclass(frozen=True)
class ConversionReport:
    source: str
    destination: str
    source_format: str
    tags: list[str]
    written_by: str
    variables: list[VariableEntry] = field(default_factory=list)
    signatures: list[SignatureEntry] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    rewritten_ref_variables: int = 0
    signature_origin: str = "signature_def"  # or "--signature", "inputs/outputs collections"
    warnings: list[str] = field(default_factory=list)
    parity: ParityReport | None = None

    def with_destination(self, destination: Path) -> ConversionReport:
        """The same report, naming the final place (the stages wrote into a staging dir)."""
        return replace(self, destination=str(destination))

    def to_dict(self) -> dict[str, Any]:
        """The JSON record; `parity` in the parity report's own JSON form."""
        data = asdict(replace(self, parity=None))
        data["parity"] = None if self.parity is None else _parity_dict(self.parity)
        return data


def build_report(
    model: TF1Model,
    rewritten: Rewritten,
    imported: Imported,
    exported: Exported,
    verified: Verified,
) -> ConversionReport:
    """The report of one conversion, from the stages' results (warnings in stage order)."""
    pins = imported.graph.cleared_pins
    warnings = [
        *model.warnings,
        *(result_warning for result in rewritten.passes for result_warning in result.warnings),
        *(
            [
                f"cleared hard device pins {', '.join(pins)};"
                " TF2 places ops itself (use tf.device to pin)."
            ]
            if pins
            else []
        ),
        *exported.warnings,
        *(
            []
            if rewritten.signatures
            else ["the model has no signatures; only variables and assets were exported."]
        ),
        *verified.warnings,
    ]
    return ConversionReport(
        source=str(model.path),
        destination=str(exported.out),
        source_format=model.source_format.value,
        tags=sorted(model.tags),
        written_by=model.meta.meta_info_def.tensorflow_version or "unknown",
        variables=[
            VariableEntry(
                v.name.split(":")[0],
                v.shape.as_list() if v.shape.rank is not None else [],
                v.dtype.name,
                v.trainable,
            )
            for v in imported.graph.variables
        ],
        signatures=[_signature_entry(info) for info in rewritten.signatures.values()],
        assets=sorted(Path(p).name for p in model.assets.values()),
        rewritten_ref_variables=rewritten.changed("ref_to_resource"),
        signature_origin=model.signature_origin,
        warnings=warnings,
        parity=verified.parity,
    )


def _signature_entry(info: SignatureInfo) -> SignatureEntry:
    return SignatureEntry(
        info.key, info.method_name, _describe(info.inputs), _describe(info.outputs)
    )


def _describe(items: dict[str, meta_graph_pb2.TensorInfo]) -> dict[str, str]:
    from tensorflow.python.framework import dtypes, tensor_shape  # noqa: PLC0415

    return {
        key: f"{dtypes.as_dtype(t.dtype).name}{tensor_shape.TensorShape(t.tensor_shape)}"
        for key, t in sorted(items.items())
    }


def _parity_dict(parity: ParityReport) -> dict[str, Any]:
    from migrate.parity.report import to_dict  # noqa: PLC0415 - parity imports TensorFlow

    return to_dict(parity)


def write_reports(path: Path, reports: list[ConversionReport]) -> None:
    payload = {"tool": "tf-migrate convert", "models": [report.to_dict() for report in reports]}
    atomic_write_text(Path(path), json.dumps(payload, indent=2, sort_keys=True) + "\n")

"""`convert`: a straight line of typed stages, all writing into a staging directory.

    load -> rewrite graph -> import -> prune -> export -> verify -> report

`loaders.load_tf1_model` gives a `TF1Model`; `stages` rewrites, imports, prunes and exports,
each returning a frozen result; `verification.verify` runs the parity gate; `report.build_report`
assembles the `ConversionReport` from those results. New graph rewrites go into
`stages.GRAPH_PASSES`; a new stage is one more line in `convert_model` and one more result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migrate import reader
from migrate.converter import stages
from migrate.converter.loaders import LoadOptions, TF1Model, load_tf1_model
from migrate.converter.report import ConversionReport, build_report
from migrate.converter.signature_flags import SignatureFlag
from migrate.converter.verification import Verified, verify
from migrate.fsutil import staged_directory
from migrate.parity.gate import ParityOptions


@dataclass(frozen=True)
class ConvertOptions:
    tags: frozenset[str] | None = None
    signatures: tuple[str, ...] = ()
    definitions: tuple[SignatureFlag, ...] = ()
    all_versions: bool = False
    force: bool = False
    keep_method_names: bool = True
    verify: bool = True
    parity: ParityOptions | None = None
    unfreeze: bool = False
    unfreeze_min_elements: int = 16
    allow_ops: frozenset[str] = frozenset()

    def load_options(self) -> LoadOptions:
        return LoadOptions(
            self.tags, self.definitions, self.unfreeze, self.unfreeze_min_elements, self.allow_ops
        )


def convert(
    src: Path, dst: Path, options: ConvertOptions = ConvertOptions()
) -> list[ConversionReport]:
    """Convert the TF1 model(s) at `src` into `dst`, atomically: DST is complete or absent."""
    src, dst = Path(src), Path(dst)
    fmt = reader.detect_format(src)
    if fmt is reader.ModelFormat.SAVED_MODEL:
        refs = reader.find_saved_models(src, options.all_versions)
    else:
        refs = [reader.ModelRef(fmt, src)]
    # Every model is loaded (and so checked) before anything is written.
    models = [(load_tf1_model(ref.path, options.load_options(), fmt), ref.version) for ref in refs]
    with staged_directory(dst, options.force) as staging:
        return [
            convert_model(
                model, staging / version if version else staging, options
            ).with_destination(dst / version if version else dst)
            for model, version in models
        ]


def convert_model(model: TF1Model, out: Path, options: ConvertOptions) -> ConversionReport:
    """rewrite graph -> import -> prune -> export -> verify -> report, for one loaded model."""
    rewritten = stages.rewrite(model, options.signatures)
    imported = stages.import_graph(model, rewritten)
    pruned = stages.prune(imported, rewritten)
    exported = stages.export_model(
        model, rewritten, imported, pruned, out, options.keep_method_names
    )
    verified = Verified(None)
    if options.verify and rewritten.signatures:
        parity = options.parity or ParityOptions(signatures=options.signatures)
        verified = verify(model, out, parity)
    return build_report(model, rewritten, imported, exported, verified)

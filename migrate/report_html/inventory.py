"""The inventory page: one row per model with its verdict, then the counts over the whole fleet.

`inspect --html` and `fleet --html` both render an `Inventory`; each picks the columns it has
data for (`Inventory.columns`) and may add titled tables (`Inventory.sections`) above the models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from migrate.report_html.page import esc, page, table

_VERDICT_CLASS = {
    "ready": "pass",
    "attention": "warn",
    "blocked": "fail",
    "converted": "pass",
    "refused": "fail",
    "failed": "fail",
}


@dataclass(frozen=True)
class InventoryModel:
    path: str
    format: str
    verdict: str  # ready | attention | blocked (any other text is shown as is)
    written_by: str = ""
    tags: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()
    variables: str = ""
    notes: tuple[str, ...] = ()  # why it needs attention or is blocked; what convert will do
    cause: str = ""  # fleet: why it was not converted (docs/fleet.md)
    seconds: float | None = None  # fleet: wall time of its run
    message: str = ""  # fleet: the one-line error or refusal


_CELLS: dict[str, tuple[str, Callable[[InventoryModel], str]]] = {
    "path": ("model", lambda m: f'<code class="path">{esc(m.path)}</code>'),
    "relative": ("model", lambda m: f"<code>{esc(m.path)}</code>"),  # short: never broken
    "format": ("format", lambda m: esc(m.format)),
    "written_by": ("written by", lambda m: esc(m.written_by)),
    "tags": ("tags", lambda m: esc(" | ".join(m.tags) or "-")),
    "signatures": (
        "signatures",
        lambda m: "<br>".join(f"<code>{esc(s)}</code>" for s in m.signatures) or "-",
    ),
    "variables": ("variables", lambda m: esc(m.variables or "-")),
    "verdict": ("verdict", lambda m: verdict_badge(m.verdict)),
    "cause": ("cause", lambda m: esc(m.cause or "-")),
    "seconds": ("seconds", lambda m: "-" if m.seconds is None else f"{m.seconds:.1f}"),
    "message": ("message", lambda m: esc(m.message or "-")),
}
INSPECT_COLUMNS = ("path", "format", "written_by", "tags", "signatures", "variables", "verdict")


@dataclass(frozen=True)
class Section:
    """A titled table of plain text (escaped when rendered), e.g. the fleet's failures by cause."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Inventory:
    title: str
    models: tuple[InventoryModel, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (path, message)
    counts: Mapping[str, int] = field(default_factory=dict)
    columns: tuple[str, ...] = INSPECT_COLUMNS  # keys of _CELLS, in order
    sections: tuple[Section, ...] = ()


def inventory_from_inspect(report: Mapping[str, Any]) -> Inventory:
    """Adapt `tf-migrate inspect --json` (docs/inspect.md) to the typed inventory."""
    models = []
    for model in report.get("models", []):
        graphs = model.get("graphs", [])
        verdict = model.get("verdict", {})
        variables = [g.get("variables", {}) for g in graphs]
        path, version = str(model.get("path", "")), str(model.get("version") or "")
        suffix = f" @{version}" if version and not path.endswith(version) else ""
        models.append(
            InventoryModel(
                path=path + suffix,
                format=str(model.get("format", "")).replace("_", " "),
                verdict=str(verdict.get("status", "?")),
                written_by=str(model.get("written_by", {}).get("tensorflow_version") or "?"),
                tags=tuple(",".join(t) or "-" for t in model.get("tag_sets", [])),
                signatures=tuple(s["key"] for g in graphs[:1] for s in g.get("signatures", [])),
                variables=", ".join(
                    f"{v.get('ref', 0)} ref / {v.get('resource', 0)} resource"
                    for v in variables[:1]
                ),
                notes=tuple(
                    [f"blocked: {n}" for n in verdict.get("blocked", [])]
                    + [f"attention: {n}" for n in verdict.get("attention", [])]
                    + [f"convert will: {n}" for n in verdict.get("convert_will", [])]
                ),
            )
        )
    counts = {
        f"{key.replace('_', ' ')}: {sub}" if isinstance(value, dict) else key.replace("_", " "): n
        for key, value in report.get("inventory", {}).items()
        for sub, n in (value.items() if isinstance(value, dict) else [("", value)])
        if isinstance(n, int)
    }
    errors = tuple(
        (str(e.get("path", "")), str(e.get("message", ""))) for e in report.get("errors", [])
    )
    title = f"tf-migrate inspect (TensorFlow {report.get('tensorflow', '?')})"
    return Inventory(title=title, models=tuple(models), errors=errors, counts=counts)


def verdict_badge(status: str) -> str:
    css = _VERDICT_CLASS.get(status, "warn")
    return f'<span class="verdict {css}">{esc(status)}</span>'


def render_inventory(inventory: Inventory) -> str:
    """The whole inventory page; the fleet report passes its own `Inventory`."""
    statuses = [m.verdict for m in inventory.models]
    tally = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
    body = f"<h1>{esc(inventory.title)}</h1>"
    body += f'<p class="muted">{len(inventory.models)} model(s): {esc(tally or "none")}</p>'
    for section in inventory.sections:
        rows = [[esc(cell) for cell in row] for row in section.rows]
        body += f"<h2>{esc(section.title)}</h2>" + table(section.headers, rows)
    cells = [_CELLS[column] for column in inventory.columns]
    rows = [[cell(m) for _, cell in cells] for m in inventory.models]
    bad = [_VERDICT_CLASS.get(m.verdict) == "fail" for m in inventory.models]
    body += table([header for header, _ in cells], rows, bad)
    noted = [m for m in inventory.models if m.notes]
    if noted:
        body += "<h2>Notes</h2>"
    for m in noted:
        items = "".join(f"<li>{esc(n)}</li>" for n in m.notes)
        body += f"<h3>{verdict_badge(m.verdict)}{esc(m.path)}</h3><ul>{items}</ul>"
    if inventory.errors:
        items = "".join(f"<li><code>{esc(p)}</code>: {esc(m)}</li>" for p, m in inventory.errors)
        body += f'<h2>Unreadable</h2><ul class="failures">{items}</ul>'
    if inventory.counts:
        body += "<h2>Inventory</h2>" + table(
            ("what", "count"), [(esc(k), str(v)) for k, v in inventory.counts.items()]
        )
    return page(inventory.title, body)

"""The inventory page: one row per model with its verdict, then the counts over the whole fleet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from migrate.report_html.page import esc, page, table

_VERDICT_CLASS = {"ready": "pass", "attention": "warn", "blocked": "fail"}


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


@dataclass(frozen=True)
class Inventory:
    title: str
    models: tuple[InventoryModel, ...]
    errors: tuple[tuple[str, str], ...] = ()  # (path, message)
    counts: Mapping[str, int] = field(default_factory=dict)


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


def _verdict(status: str) -> str:
    css = _VERDICT_CLASS.get(status, "warn")
    return f'<span class="verdict {css}">{esc(status)}</span>'


def render_inventory(inventory: Inventory) -> str:
    """The whole inventory page; the fleet report passes its own `Inventory`."""
    statuses = [m.verdict for m in inventory.models]
    tally = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses))
    body = f"<h1>{esc(inventory.title)}</h1>"
    body += f'<p class="muted">{len(inventory.models)} model(s): {esc(tally or "none")}</p>'
    rows = [
        [
            f'<code class="path">{esc(m.path)}</code>',
            esc(m.format),
            esc(m.written_by),
            esc(" | ".join(m.tags) or "-"),
            "<br>".join(f"<code>{esc(s)}</code>" for s in m.signatures) or "-",
            esc(m.variables or "-"),
            _verdict(m.verdict),
        ]
        for m in inventory.models
    ]
    headers = ("model", "format", "written by", "tags", "signatures", "variables", "verdict")
    body += table(headers, rows, [m.verdict == "blocked" for m in inventory.models])
    noted = [m for m in inventory.models if m.notes]
    if noted:
        body += "<h2>Notes</h2>"
    for m in noted:
        items = "".join(f"<li>{esc(n)}</li>" for n in m.notes)
        body += f"<h3>{_verdict(m.verdict)}{esc(m.path)}</h3><ul>{items}</ul>"
    if inventory.errors:
        items = "".join(f"<li><code>{esc(p)}</code>: {esc(m)}</li>" for p, m in inventory.errors)
        body += f'<h2>Unreadable</h2><ul class="failures">{items}</ul>'
    if inventory.counts:
        body += "<h2>Inventory</h2>" + table(
            ("what", "count"), [(esc(k), str(v)) for k, v in inventory.counts.items()]
        )
    return page(inventory.title, body)

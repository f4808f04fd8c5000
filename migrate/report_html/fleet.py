"""The fleet report: `tf-migrate fleet --html` as an inventory page (the renderer `inspect` uses).

The input is `migrate.fleet.summary.summarise(...)`'s dict, which is also the `--json` document
(docs/fleet.md): a saved `--json` summary renders to the same page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from migrate.report_html.inventory import Inventory, InventoryModel, Section

FLEET_COLUMNS = ("relative", "format", "verdict", "cause", "seconds", "message")


def inventory_from_fleet(summary: Mapping[str, Any]) -> Inventory:
    """One row per model (its output path relative to OUT_ROOT), failures by cause, slowest."""
    models = tuple(
        InventoryModel(
            path=str(record["relative"]),
            format=str(record.get("kind", "")).replace("_", " "),
            verdict=str(record["verdict"]),
            cause=str(record.get("cause") or ""),
            seconds=float(record["seconds"]),
            message=str(record.get("message") or ""),
        )
        for record in summary.get("results", [])
    )
    sections = []
    if summary.get("causes"):
        by_cause = tuple(
            (str(item["cause"]), str(item["count"]), ", ".join(item["models"]))
            for item in summary["causes"]
        )
        sections.append(Section("Not converted, by cause", ("cause", "models", "which"), by_cause))
    if summary.get("slowest"):
        slowest = tuple(
            (str(item["relative"]), f"{float(item['seconds']):.1f}") for item in summary["slowest"]
        )
        sections.append(Section("Slowest", ("model", "seconds"), slowest))
    counts = {
        "models": int(summary.get("models", len(models))),
        "run now": int(summary.get("ran", 0)),
        "already done": int(summary.get("skipped", 0)),
        **{str(verdict): int(n) for verdict, n in summary.get("verdicts", {}).items()},
    }
    return Inventory(
        title=f"tf-migrate fleet ({len(models)} models)",
        models=models,
        counts=counts,
        columns=FLEET_COLUMNS,
        sections=tuple(sections),
    )

"""Self-contained HTML reports: inline CSS and inline SVG plots, no scripts, fonts or fetches.

One renderer for every report a reviewer opens from a CI artifact: parity (`verify`/`convert
--html`) and model inventories (`inspect --html`, the fleet report). Each function takes typed
results and returns the page; `write_report` stages and renames it into place.
"""

from __future__ import annotations

from pathlib import Path

from migrate.fsutil import atomic_write_text
from migrate.report_html.fleet import inventory_from_fleet
from migrate.report_html.inventory import (
    Inventory,
    InventoryModel,
    inventory_from_inspect,
    render_inventory,
)
from migrate.report_html.parity import render_parity

__all__ = [
    "Inventory",
    "InventoryModel",
    "inventory_from_fleet",
    "inventory_from_inspect",
    "render_inventory",
    "render_parity",
    "write_report",
]


def write_report(path: Path, page: str) -> None:
    """Write the page atomically: a reader never sees half a report."""
    atomic_write_text(Path(path), page)

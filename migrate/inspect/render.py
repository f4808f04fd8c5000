"""Rich tables for `tf-migrate inspect`: one row per model, its verdict, and a tree inventory."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

_STATUS = {
    "ready": "[green]ready[/]",
    "attention": "[yellow]attention[/]",
    "blocked": "[bold red]blocked[/]",
}


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _row(model: dict[str, Any]) -> list[str]:
    graphs = model["graphs"]
    variables = [g["variables"] for g in graphs]
    ref = max((v["ref"] for v in variables), default=0)
    resource = max((v["resource"] for v in variables), default=0)
    size = max((v["bytes"] for v in variables), default=0) or max(
        (g["constant_bytes"] for g in graphs), default=0
    )
    signatures = [
        f"{s['key']} ({s['method_name'].rsplit('/', 1)[-1] or '-'})"
        for g in graphs[:1]
        for s in g["signatures"]
    ]
    where = model["path"] + (f" @{model['version']}" if model["version"] else "")
    return [
        where,
        model["format"].replace("_", " "),
        model["written_by"]["tensorflow_version"] or "?",
        " | ".join(",".join(t) or "-" for t in model["tag_sets"]) or "-",
        "\n".join(signatures) or "-",
        f"{ref} ref / {resource} res\n{_size(size)}",
        str(sum(len(g["assets"]) for g in graphs)),
        _STATUS.get(model["verdict"]["status"], model["verdict"]["status"]),
    ]


def render(report: dict[str, Any], console: Console) -> None:
    table = Table(
        "model",
        "format",
        "written by",
        "tags",
        "signatures",
        "variables",
        "assets",
        "verdict",
        title=f"tf-migrate inspect (TensorFlow {report['tensorflow']})",
        show_lines=True,
    )
    for model in report["models"]:
        table.add_row(*_row(model))
    console.print(table)
    for model in report["models"]:
        verdict = model["verdict"]
        notes = [("red", n) for n in verdict["blocked"]] + [
            ("yellow", n) for n in verdict["attention"]
        ]
        if not notes and not verdict["convert_will"]:
            continue
        console.print(f"[bold]{model['path']}[/]", highlight=False)
        for does in verdict["convert_will"]:
            console.print(f"  convert will: {does}", highlight=False)
        for color, note in notes:
            console.print(f"  [{color}]![/] {note}", highlight=False)
    for error in report["errors"]:
        console.print(f"[bold red]unreadable:[/] {error['message']}", highlight=False)
    if report["searched_tree"] or len(report["models"]) > 1:
        _inventory(report["inventory"], console)


def _inventory(inventory: dict[str, Any], console: Console) -> None:
    table = Table("inventory", "count", title="migration inventory")
    for key, value in inventory.items():
        if isinstance(value, dict):
            for sub, count in value.items():
                table.add_row(f"{key.replace('_', ' ')}: {sub}", str(count))
        else:
            table.add_row(key.replace("_", " "), str(value))
    console.print(table)

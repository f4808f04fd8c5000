"""The fleet's summary: counts by verdict, failures by cause, slowest models; JSON and JUnit.

`summarise(records)` returns a plain dict (the `--json` document, docs/fleet.md). It is also the
only input of the `--html` page (`migrate.report_html.inventory_from_fleet`).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from xml.etree import ElementTree

from rich.console import Console
from rich.table import Table

SLOWEST = 5


def summarise(records: list[dict[str, Any]], *, done_now: int, skipped: int) -> dict[str, Any]:
    failures = [r for r in records if r["verdict"] != "converted"]
    causes = Counter(str(r["cause"]) for r in failures)
    slowest = sorted(records, key=lambda r: -float(r["seconds"]))[:SLOWEST]
    return {
        "tool": "tf-migrate fleet",
        "models": len(records),
        "ran": done_now,
        "skipped": skipped,
        "verdicts": dict(sorted(Counter(r["verdict"] for r in records).items())),
        "causes": [
            {
                "cause": cause,
                "count": count,
                "models": sorted(r["relative"] for r in failures if str(r["cause"]) == cause),
            }
            for cause, count in causes.most_common()
        ],
        "slowest": [{"relative": r["relative"], "seconds": r["seconds"]} for r in slowest],
        "results": sorted(records, key=lambda r: r["relative"]),
    }


def exit_code(summary: dict[str, Any]) -> int:
    """0 every model converted, 1 some were refused or failed parity, 2 some failed to run."""
    causes = {item["cause"] for item in summary["causes"]}
    if causes - {"scan", "parity"}:
        return 2
    return 1 if causes else 0


def to_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, indent=2, sort_keys=True) + "\n"


def to_junit(summary: dict[str, Any]) -> str:
    """One testcase per model: a refusal or parity failure is a failure, the rest errors."""
    records = summary["results"]
    suite = ElementTree.Element(
        "testsuite",
        name="tf-migrate fleet",
        tests=str(len(records)),
        failures=str(sum(r["cause"] in ("scan", "parity") for r in records)),
        errors=str(sum(r["verdict"] == "failed" and r["cause"] != "parity" for r in records)),
        time=f"{sum(float(r['seconds']) for r in records):.3f}",
    )
    for record in records:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"fleet.{record['kind']}",
            name=record["relative"],
            time=f"{float(record['seconds']):.3f}",
        )
        if record["verdict"] == "converted":
            continue
        tag = "failure" if record["cause"] in ("scan", "parity") else "error"
        ElementTree.SubElement(
            case, tag, type=str(record["cause"]), message=record["message"][:500]
        ).text = record["message"]
    return ElementTree.tostring(suite, encoding="unicode") + "\n"


def render(summary: dict[str, Any], console: Console) -> None:
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in summary["verdicts"].items())
    console.print(
        f"[bold]{summary['models']} model(s)[/]: {verdicts}"
        f" ({summary['ran']} run now, {summary['skipped']} already done)",
        highlight=False,
    )
    if summary["causes"]:
        table = Table("cause", "models", "which", title="not converted")
        for item in summary["causes"]:
            table.add_row(item["cause"], str(item["count"]), ", ".join(item["models"][:5]))
        console.print(table)
    slow = ", ".join(f"{s['relative']} {float(s['seconds']):.1f}s" for s in summary["slowest"])
    console.print(f"slowest: {slow}", highlight=False)

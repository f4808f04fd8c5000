"""Result records under OUT_ROOT/_fleet/: the resume state and the fleet's output.

Layout (docs/fleet.md has the schema):
- `results/<key>.json`: one record per model, written whole and last, after the model was
  published. Its presence marks the model done; it survives any kill of the run.
- `results.jsonl`: every record of the latest run, one a line, rebuilt when a run ends.
- `publishing/<key>`: the intent marker of a publish in progress (see storage.publish).
- `staging/`: local staging of models about to be renamed into place.
- `runs/<run id>/<n>.json`: which key each job of a run had, so the summary finds its records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from migrate.fleet import storage
from migrate.fleet.jobs import Job

SCHEMA_VERSION = 1
FLEET_DIR = "_fleet"


def record_key(digest: str, job: Job) -> str:
    """Same bytes and same options -> same key: the unit of resume."""
    options = json.dumps({"kind": job.kind, "options": job.options}, sort_keys=True)
    return hashlib.sha256(f"{digest}\n{job.relative}\n{options}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Store:
    """The _fleet folder of one OUT_ROOT."""

    out_root: str

    def path(self, *parts: str) -> str:
        return storage.join(self.out_root, FLEET_DIR, *parts)

    def record_path(self, key: str) -> str:
        return self.path("results", f"{key}.json")

    def read(self, key: str) -> dict[str, Any] | None:
        text = storage.read_text(self.record_path(key))
        return json.loads(text) if text else None

    def write(self, record: dict[str, Any]) -> None:
        storage.write_text(self.record_path(record["key"]), json.dumps(record, sort_keys=True))

    def mark_seen(self, run_id: str, index: int, key: str, skipped: bool) -> None:
        entry = json.dumps({"key": key, "skipped": skipped})
        storage.write_text(self.path("runs", run_id, f"{index}.json"), entry)

    def seen(self, run_id: str) -> list[dict[str, Any]]:
        folder = self.path("runs", run_id)
        return [
            json.loads(storage.read_text(storage.join(folder, name)) or "{}")
            for name in storage.listdir(folder)
            if name.endswith(".json")
        ]

    def recover(self) -> list[str]:
        """Remove what an interrupted run left half-done; return the destinations removed."""
        removed = []
        for key in storage.listdir(self.path("publishing")):
            marker = self.path("publishing", key)
            destination = storage.read_text(marker)
            if destination and self.read(key) is None:
                storage.remove(destination)
                removed.append(destination)
            storage.remove(marker)
        storage.remove(self.path("staging"))
        return removed

    def compact(self, records: list[dict[str, Any]]) -> str:
        """Write results.jsonl (sorted by output path) and return its path."""
        lines = [
            json.dumps(r, sort_keys=True) for r in sorted(records, key=lambda r: r["relative"])
        ]
        target = self.path("results.jsonl")
        storage.write_text(target, "".join(line + "\n" for line in lines))
        return target

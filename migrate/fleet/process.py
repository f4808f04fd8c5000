"""One model, start to finish, in the fleet worker: resume check, isolate, publish, record.

This is plain Python that any runner (Beam's DoFn, or a loop) calls once per job. The source is
copied to a local temp folder when it is remote, the child converts local to local, and only a
converted and verified model is published under OUT_ROOT; a refused or failed one leaves nothing
there but its record.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import socket
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from migrate.fleet import storage
from migrate.fleet.isolate import Isolator, Limits
from migrate.fleet.jobs import Job
from migrate.fleet.records import SCHEMA_VERSION, Store, record_key


@dataclass(frozen=True)
class FleetConfig:
    """What every worker needs to know about the run (picklable: Beam ships it to workers)."""

    out_root: str
    run_id: str
    timeout: float = 600.0
    memory: int | None = None
    retry_failed: bool = False
    force: bool = False


class ModelRunner:
    """Turns a Job into its result record; keeps one warm child between models."""

    def __init__(self, config: FleetConfig) -> None:
        self.config = config
        self.store = Store(config.out_root)
        self._isolator: Isolator | None = None

    def __call__(self, index: int, job: Job) -> dict[str, Any]:
        digest = storage.digest(_content_root(job))
        key = record_key(digest, job)
        existing = self.store.read(key)
        if existing is not None and (
            existing["verdict"] != "failed" or not self.config.retry_failed
        ):
            self.store.mark_seen(self.config.run_id, index, key, skipped=True)
            return existing
        record = self._migrate(job, key, digest)
        self.store.write(record)  # last: the record is the model's completion marker
        storage.remove(self.store.path("publishing", key))
        self.store.mark_seen(self.config.run_id, index, key, skipped=False)
        return record

    def close(self) -> None:
        if self._isolator is not None:
            self._isolator.close()

    def _migrate(self, job: Job, key: str, digest: str) -> dict[str, Any]:
        started = time.time()
        destination = storage.join(self.config.out_root, *job.relative.split("/"))
        owner = self.store.path("published", _name(job.relative))
        if (
            storage.gfile().exists(destination)
            and storage.read_text(owner) is None
            and not self.config.force
        ):
            outcome: dict[str, Any] = {
                "verdict": "failed",
                "cause": "exists",
                "message": f"{destination} exists and was not written by the fleet; pass --force.",
                "steps": {},
            }
        else:
            outcome = self._run_child(job, key, destination, owner)
        return {
            "schema_version": SCHEMA_VERSION,
            "key": key,
            "source": job.source,
            "source_digest": digest,
            "relative": job.relative,
            "kind": job.kind,
            "options": job.options,
            "destination": destination if outcome["verdict"] == "converted" else None,
            "verdict": outcome["verdict"],
            "cause": outcome.get("cause"),
            "message": outcome.get("message", ""),
            "exit_code": outcome.get("exit_code"),
            "steps": outcome.get("steps", {}),
            "started": started,
            "seconds": round(time.time() - started, 3),
            "worker": f"{socket.gethostname()}:{os.getpid()}",
        }

    def _run_child(self, job: Job, key: str, destination: str, owner: str) -> dict[str, Any]:
        if self._isolator is None:
            self._isolator = Isolator(Limits(self.config.timeout, self.config.memory))
        with tempfile.TemporaryDirectory(prefix="tf-migrate-fleet-") as temp:
            local_source = _local_copy(job, temp)
            local_out = os.path.join(temp, "out", "model")
            os.makedirs(os.path.dirname(local_out))
            work = {
                "job": job.to_json(),
                "local_source": local_source,
                "local_out": local_out,
                "outcome": os.path.join(temp, "outcome.json"),
            }
            outcome = self._isolator.run(work, job.options.get("timeout"))
            if outcome["verdict"] == "converted":
                storage.publish(
                    local_out,
                    destination,
                    intent=self.store.path("publishing", key),
                    staging=self.store.path("staging", key),
                )
                storage.write_text(owner, key)
        return outcome


def _content_root(job: Job) -> str:
    """What the digest covers: a .meta file's checkpoint lives beside it."""
    if job.kind == "meta_graph":
        return storage.dirname(job.source)
    return job.source


def _local_copy(job: Job, temp: str) -> str:
    """A local path the child can read: the source itself, or a copy of a remote one."""
    if not storage.is_remote(job.source):
        return job.source
    root = _content_root(job)
    local_root = os.path.join(temp, "source", posixpath.basename(root.rstrip("/")) or "model")
    storage.copy_tree(root, local_root)
    if root == job.source:
        return local_root
    return os.path.join(local_root, posixpath.basename(job.source))


def _name(relative: str) -> str:
    return hashlib.sha256(relative.encode()).hexdigest()[:32]

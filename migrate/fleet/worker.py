"""`python -m migrate.fleet.worker`: inspect, scan, convert and verify one model, then exit.

The process imports TensorFlow and the CLI first and only then waits for its job on stdin, so the
fleet can start it while the previous model still runs and the import overlaps that work. It runs
the CLI commands in-process (the CLI is the stable interface; TF is imported once per model, not
once per step) and writes one JSON outcome file. Forking a process after TensorFlow initialised its
thread pools is unsafe, so every model gets a fresh interpreter instead of a fork.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sys
import time
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["COLUMNS"] = "100000"  # one CLI message a line, read back by one_line


def run_cli(command: Any, args: list[str]) -> tuple[int, str, str]:
    """Run one `tf-migrate` command in this process: (exit code, stdout, stderr)."""
    import click  # noqa: PLC0415

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            value = command.main(args, prog_name="tf-migrate", standalone_mode=False)
            code = value if isinstance(value, int) else 0
        except click.exceptions.Exit as stop:
            code = stop.exit_code
        except click.ClickException as error:
            error.show()
            code = 2
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def one_line(text: str) -> str:
    """The CLI's `error: ...` line (COLUMNS is wide, so rich did not wrap it), else the tail."""
    lines = text.strip().splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    return " ".join(" ".join(errors[-1:] or lines[-3:]).split())[:1000]


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None


def _path(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("path_in_model", item.get("path", item)))
    return str(item)


def migrate_one(command: Any, work: dict[str, Any]) -> dict[str, Any]:
    """inspect -> scan -> convert (+ verify): the outcome of the first step that stops the model."""
    from migrate.fleet.jobs import option_flags  # noqa: PLC0415

    source, out = work["local_source"], work["local_out"]
    options = work["job"]["options"]
    allow = [flag for op in options.get("allow_op", []) for flag in ("--allow-op", op)]
    steps: dict[str, Any] = {}

    started = time.perf_counter()
    code, stdout, stderr = run_cli(command, ["inspect", source, "--json", *allow])
    steps["inspect"] = {"exit_code": code, "seconds": time.perf_counter() - started}
    if code == 2:
        return {"verdict": "failed", "cause": "error", "message": one_line(stderr), "steps": steps}

    started = time.perf_counter()
    code, stdout, stderr = run_cli(command, ["scan", source, "--json", *allow])
    report = _json(stdout) or {}
    findings = sorted(
        {
            finding.get("op", finding.get("path", "?"))
            for model in report.get("models", [])
            for graph in model.get("graphs", [])
            for finding in graph.get("findings", [])
        }
        | {_path(item) for model in report.get("models", []) for item in model.get("paths", [])}
    )
    steps["scan"] = {
        "exit_code": code,
        "findings": findings,
        "seconds": time.perf_counter() - started,
    }
    if code != 0:
        verdict, cause = ("refused", "scan") if code == 1 else ("failed", "error")
        message = f"scan found {', '.join(findings)}" if code == 1 else one_line(stderr)
        return {"verdict": verdict, "cause": cause, "message": message, "steps": steps}

    report_path = os.path.join(os.path.dirname(out), "convert.json")
    args = ["convert", source, out, "--report", report_path, *option_flags(options)]
    if work["job"]["kind"] == "serving_base":
        args.append("--all-versions")
    started = time.perf_counter()
    code, stdout, stderr = run_cli(command, args)
    steps["convert"] = {"exit_code": code, "seconds": time.perf_counter() - started}
    if code != 0:
        cause = "parity" if "differs from the original" in stderr else "error"
        return {"verdict": "failed", "cause": cause, "message": one_line(stderr), "steps": steps}
    converted = (_json(open(report_path, encoding="utf-8").read()) or {}).get("models", [])
    steps["verify"] = [
        {
            "destination": os.path.relpath(model["destination"], out),
            "passed": (model.get("parity") or {}).get("passed"),
            "compared": (model.get("parity") or {}).get("compared"),
        }
        for model in converted
    ]
    return {"verdict": "converted", "cause": None, "message": "", "steps": steps}


def main() -> int:
    from migrate.fleet.isolate import die_with_parent  # noqa: PLC0415

    die_with_parent()
    # Everything the commands import lazily is imported now, before --model-memory applies:
    # compiling a module under RLIMIT_AS fails with a SystemError that reads as no memory error.
    import click  # noqa: F401, PLC0415
    import tensorflow  # noqa: F401, PLC0415 - the slow import, done before the job arrives
    import typer  # noqa: PLC0415

    import migrate.converter.pipeline  # noqa: F401, PLC0415
    import migrate.converter.verification  # noqa: F401, PLC0415
    import migrate.fleet.jobs  # noqa: F401, PLC0415
    import migrate.inspect  # noqa: F401, PLC0415
    import migrate.security.scan  # noqa: F401, PLC0415
    from migrate.cli import app  # noqa: PLC0415

    command = typer.main.get_command(app)
    line = sys.stdin.readline()
    if not line:
        return 0  # the fleet shut down before giving this worker a job
    work = json.loads(line)
    if work.get("memory"):
        resource.setrlimit(resource.RLIMIT_AS, (work["memory"], work["memory"]))
    try:
        outcome = migrate_one(command, work)
    except MemoryError:
        outcome = {"verdict": "failed", "cause": "memory", "message": "MemoryError", "steps": {}}
    with open(work["outcome"] + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(outcome, handle)
    os.replace(work["outcome"] + ".tmp", work["outcome"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

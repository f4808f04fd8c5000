"""Per-file costs measured inside one process: `python -m benchmarks._inproc MODE LISTFILE`.

The CLI's wall time mixes start-up, discovery, process pools and printing. To compare the
engine with its floor (a LibCST parse plus code generation and nothing else), both loops run
over the same already-decoded texts in a fresh process and only the loop is timed. Prints
`{"seconds": ..., "files": ..., "per_file": [...]}` as JSON (per-file seconds for `floor` and
`engine`, which is how the benchmark finds the slowest files). `floor` and `engine` count the
process's CPU time, not wall time: on a shared machine other jobs' load then barely moves
their ratio (wall time of the same loop moved 1.2x-2x between runs).

Modes: `floor` (parse + codegen), `engine` (`codemods.engine.rewrite.rewrite_code`, every codemod;
both under `codemods.batch.runner.batch_gc`, the garbage-collection settings a rewrite batch uses),
`read` (read the bytes), `runner` (`codemods.batch.runner.process_file`, check mode: read, decode,
pre-filter, rewrite, no diff).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    mode, listfile = sys.argv[1], Path(sys.argv[2])
    per_file: list[float] = []  # floor and engine: seconds per file, in list order
    paths = [Path(p) for p in listfile.read_text(encoding="utf-8").splitlines() if p]
    if mode in ("floor", "engine"):
        texts = [p.read_text(encoding="utf-8") for p in paths]
        if mode == "floor":
            import libcst as cst  # noqa: PLC0415

            def one(text: str) -> object:
                return cst.parse_module(text).code

        else:
            from codemods.commands.registry import CODEMODS  # noqa: PLC0415
            from codemods.engine.rewrite import rewrite_code  # noqa: PLC0415

            commands = tuple(CODEMODS.values())

            def one(text: str) -> object:
                return rewrite_code(text, commands).code

        from codemods.batch.runner import batch_gc  # noqa: PLC0415

        with batch_gc():  # both loops with the collection settings `rewrite` itself uses
            for text in texts:
                start = time.process_time()
                one(text)
                per_file.append(time.process_time() - start)
        seconds = sum(per_file)
        # the engine must never pull TensorFlow in (issue 16): a benchmark check, not a test
        assert not any(m.split(".")[0] == "tensorflow" for m in sys.modules), "TF imported"
    elif mode == "read":
        start = time.perf_counter()
        for path in paths:
            path.read_bytes()
        seconds = time.perf_counter() - start
    elif mode == "runner":
        from codemods.batch.runner import Options, process_file  # noqa: PLC0415
        from codemods.commands.registry import CODEMODS  # noqa: PLC0415

        options = Options(commands=tuple(CODEMODS.values()), want_diff=False)
        start = time.perf_counter()
        for path in paths:
            process_file(path, options)
        seconds = time.perf_counter() - start
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"seconds": seconds, "files": len(paths), "per_file": per_file}))


if __name__ == "__main__":
    main()

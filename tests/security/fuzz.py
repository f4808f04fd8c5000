"""Mutation fuzzing of model files: every tool must succeed or fail with a clean MigrateError.

`python -m tests.security.fuzz --mutants 5000 [--seed 0] [--budget 10] [--corpus DIR]` builds a
few small corpus models (or uses DIR), then for each mutant: copies one model, mutates one of its
files (saved_model.pb, .meta, frozen GraphDef, checkpoint .index, checkpoint state) by bytes or by
protobuf field, and runs every tool in `TOOLS` on it in-process under a per-mutant time budget.
A traceback (any other exception), a timeout, a non-JSON result or output left in the tool's
scratch directory is a failure. Exit 0 when there were none, 1 otherwise.

To fuzz another tool, append `(name, fn(model_path, tmp_out))` to `TOOLS`; `fn` may write under
`tmp_out` (it must then be complete: the harness checks nothing half-written is left beside it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.errors import MigrateError

Tool = Callable[[Path, Path], Any]
SEED_CASES = ("linear_ref", "defun_library", "vocab_table", "two_tag_sets")


def _inspect(path: Path, tmp_out: Path) -> Any:
    from migrate.inspect import inspect_paths  # noqa: PLC0415

    return inspect_paths([path])


def _scan(path: Path, tmp_out: Path) -> Any:
    from migrate.security.report import scan_paths  # noqa: PLC0415

    return scan_paths([path]).to_json()


def _convert(path: Path, tmp_out: Path) -> Any:
    """`convert --no-verify`; graphs without signatures get the best-ranked candidate, as a user
    would."""
    from migrate.converter.pipeline import ConvertOptions, convert  # noqa: PLC0415
    from migrate.errors import SignatureError  # noqa: PLC0415

    try:
        reports = convert(path, tmp_out, ConvertOptions(verify=False))
    except SignatureError as error:
        if "has no signature" not in error.message:
            raise
        reports = convert(
            path, tmp_out, ConvertOptions(verify=False, definitions=(_best_guess(path),))
        )
    return [report.to_dict() for report in reports]


def _best_guess(path: Path) -> Any:
    from migrate import reader  # noqa: PLC0415
    from migrate.converter import signature_flags  # noqa: PLC0415
    from migrate.errors import SignatureError  # noqa: PLC0415
    from migrate.graphs import candidates  # noqa: PLC0415

    graph = (
        reader.read_meta_graph(path).graph_def
        if path.suffix == ".meta"
        else reader.read_graph_def(path)
    )
    ranked = candidates.rank_outputs(graph)
    if not ranked:
        raise SignatureError("no candidate outputs.", path=path)
    needs = list(ranked[0].needs)
    return signature_flags.SignatureFlag(
        "serving_default",
        tuple(zip(signature_flags.derive_keys(needs), needs, strict=False)),
        ((ranked[0].name, ranked[0].name),),
    )


TOOLS: list[tuple[str, Tool]] = [("inspect", _inspect), ("scan", _scan)]
SLOW_TOOLS: list[tuple[str, Tool]] = [("convert", _convert)]  # seconds per mutant: a smaller sample


@dataclass(frozen=True)
class Target:
    """One file to mutate inside one model, and the path the tools are given."""

    case: str
    model: Path  # directory copied per mutant
    file: str  # relative to model
    entry: str  # relative to model: what the tools receive ("." for the model dir itself)
    proto: str  # saved_model | meta_graph | graph_def | index | state


def targets(corpus: Path) -> list[Target]:
    found: list[Target] = []
    for case in SEED_CASES:
        base = corpus / case
        if (base / "saved_model").is_dir():
            sm = base / "saved_model"
            found += [
                Target(case, sm, "saved_model.pb", ".", "saved_model"),
                Target(case, sm, "variables/variables.index", ".", "index"),
            ]
        if (base / "checkpoint").is_dir():
            ck = base / "checkpoint"
            found += [
                Target(case, ck, "model.ckpt.meta", "model.ckpt.meta", "meta_graph"),
                Target(case, ck, "model.ckpt.index", "model.ckpt.meta", "index"),
                Target(case, ck, "checkpoint", "model.ckpt.meta", "state"),
            ]
        if (base / "frozen.pb").is_file():
            found.append(Target(case, base, "frozen.pb", "frozen.pb", "graph_def"))
    return found


# --------------------------------------------------------------------------- mutations

_HOSTILE_STRINGS = [
    "../../etc/passwd",
    "/etc/passwd",
    "",
    "\x00",
    "a" * 5000,
    "WriteFile",
    "ñ/∂",
    "C:\\x",
    "..",
    "save/Const:0",
]
_HOSTILE_INTS = [0, -1, 1, 2**31 - 1, -(2**31), 2**62, -(2**62), 100, 101, 9999]


def mutate_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    buf = bytearray(data)
    kind = rng.choice(
        ["flip", "truncate", "insert", "delete", "duplicate", "overwrite", "empty", "varint"]
    )
    if not buf or kind == "empty":
        return b"", "empty"
    at = rng.randrange(len(buf))
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    elif kind == "truncate":
        del buf[at:]
    elif kind == "insert":
        buf[at:at] = rng.randbytes(rng.randint(1, 64))
    elif kind == "delete":
        del buf[at : at + rng.randint(1, 64)]
    elif kind == "duplicate":
        chunk = buf[at : at + rng.randint(1, 256)]
        buf[at:at] = chunk * rng.randint(1, 4)
    elif kind == "overwrite":
        buf[at : at + 8] = rng.randbytes(8)
    else:  # an over-long varint: length fields claiming gigabytes
        buf[at:at] = b"\xff\xff\xff\xff\x0f"
    return bytes(buf), kind


def _proto_class(kind: str) -> Any:
    from tensorflow.core.framework import graph_pb2  # noqa: PLC0415
    from tensorflow.core.protobuf import meta_graph_pb2, saved_model_pb2  # noqa: PLC0415

    return {
        "saved_model": saved_model_pb2.SavedModel,
        "meta_graph": meta_graph_pb2.MetaGraphDef,
        "graph_def": graph_pb2.GraphDef,
    }[kind]


def _fields(msg: Any, depth: int = 0) -> Iterator[tuple[Any, Any, int | None]]:
    """(message, field descriptor, index or None) for every set field, recursively."""
    if depth > 12:
        return
    for fd, value in msg.ListFields():
        is_map = fd.message_type is not None and fd.message_type.GetOptions().map_entry
        if fd.is_repeated and not is_map:
            for i, item in enumerate(value):
                yield msg, fd, i
                if fd.message_type is not None:
                    yield from _fields(item, depth + 1)
        elif is_map:
            yield msg, fd, None
            if fd.message_type.fields_by_name[
                "value"
            ].message_type:  # sorted: map order varies per process
                for key in sorted(value):
                    yield from _fields(value[key], depth + 1)
        else:
            yield msg, fd, None
            if fd.message_type is not None:
                yield from _fields(value, depth + 1)


def _scalar(fd: Any, rng: random.Random) -> Any:
    if fd.type == fd.TYPE_STRING:
        return rng.choice(_HOSTILE_STRINGS)
    if fd.type == fd.TYPE_BYTES:
        return rng.choice([b"", b"\xff\xfe", rng.randbytes(16), b"x" * 4096])
    if fd.type == fd.TYPE_BOOL:
        return rng.random() < 0.5
    if fd.type in (fd.TYPE_FLOAT, fd.TYPE_DOUBLE):
        return rng.choice([0.0, -1.0, float("nan"), float("inf"), 1e38])
    value = rng.choice(_HOSTILE_INTS)
    if fd.type in (fd.TYPE_UINT32, fd.TYPE_UINT64, fd.TYPE_FIXED32, fd.TYPE_FIXED64):
        value = abs(value) % (2**32 if fd.type in (fd.TYPE_UINT32, fd.TYPE_FIXED32) else 2**64)
    elif fd.type in (fd.TYPE_INT32, fd.TYPE_SINT32, fd.TYPE_SFIXED32, fd.TYPE_ENUM):
        value = max(-(2**31), min(2**31 - 1, value))
    return value


def mutate_proto(data: bytes, kind: str, rng: random.Random) -> tuple[bytes, str]:
    """Parse, change one field (value, removal, duplication), serialize."""
    msg = _proto_class(kind).FromString(data)
    leaves = list(_fields(msg))
    if not leaves:
        return data, "proto:none"
    parent, fd, index = rng.choice(leaves)
    container = getattr(parent, fd.name)
    action = (
        rng.choice(["set", "set", "clear", "dup"])
        if fd.message_type is None
        else rng.choice(["clear", "dup", "dup"])
    )
    if action == "clear" or (action == "dup" and index is None):
        if index is None:
            parent.ClearField(fd.name)
        else:
            del container[index]
    elif action == "dup":
        if fd.message_type is None:
            container.append(container[index])
        else:
            container.add().CopyFrom(container[index])
    elif index is None:
        setattr(parent, fd.name, _scalar(fd, rng))
    else:
        container[index] = _scalar(fd, rng)
    return msg.SerializeToString(deterministic=True), f"proto:{action}:{fd.full_name}"


def mutate(data: bytes, proto: str, rng: random.Random) -> tuple[bytes, str]:
    if proto in ("saved_model", "meta_graph", "graph_def") and rng.random() < 0.6:
        try:
            return mutate_proto(data, proto, rng)
        except (
            ValueError,
            TypeError,
        ) as error:  # a value protobuf will not take: mutate bytes instead
            mutated, how = mutate_bytes(data, rng)
            return mutated, f"{how} (proto mutation refused: {type(error).__name__})"
    return mutate_bytes(data, rng)


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    mutants: int = 0
    runs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[dict[str, str]] = field(default_factory=list)
    slowest: float = 0.0
    slowest_case: str = ""
    seconds: float = 0.0


class _Timeout(BaseException):
    """Raised by SIGALRM: a hang. BaseException, so no `except Exception` in a tool swallows it."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def fire(signum: int, frame: Any) -> None:
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_one(tool: Tool, path: Path, out: Path, budget: float) -> tuple[str, str]:
    """('ok' | 'error', message) or ('crash' | 'hang' | 'partial', details)."""
    try:
        with _deadline(budget):
            value = tool(path, out)
        json.dumps(value)
        outcome = ("ok", "")
    except MigrateError as error:
        text = str(error)
        outcome = (
            ("error", text) if "\n" not in text else ("crash", f"multi-line message: {text[:300]}")
        )
    except _Timeout:
        return "hang", f"over {budget}s"
    except Exception:  # noqa: BLE001 - this is what the fuzzer is looking for
        return "crash", traceback.format_exc()[-2000:]
    leftovers = (
        [p.name for p in out.parent.iterdir() if p.name != out.name] if out.parent.exists() else []
    )
    if leftovers:
        return "partial", f"left behind: {leftovers}"
    return outcome


def fuzz(
    corpus: Path,
    mutants: int,
    seed: int = 0,
    budget: float = 10.0,
    tools: list[tuple[str, Tool]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Result:
    rng = random.Random(seed)
    pool = targets(corpus)
    if not pool:
        raise SystemExit(f"no fuzz seeds under {corpus}: build the corpus first")
    result = Result()
    import migrate.converter.pipeline  # noqa: F401, PLC0415
    import migrate.inspect.model  # noqa: F401, PLC0415 - import TF before the clock starts: not a mutant's cost
    import migrate.security.report  # noqa: F401, PLC0415

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tfm_fuzz_") as scratch:
        for number in range(mutants):
            target = rng.choice(pool)
            work = Path(scratch) / f"m{number}"
            model = work / "model"
            shutil.copytree(target.model, model)
            victim = model / target.file
            data, how = mutate(victim.read_bytes(), target.proto, rng)
            victim.write_bytes(data)
            entry = model if target.entry == "." else model / target.entry
            for name, tool in tools or TOOLS:
                box = work / f"out_{name}"
                box.mkdir()
                begin = time.perf_counter()
                kind, detail = run_one(tool, entry, box / "result", budget)
                elapsed = time.perf_counter() - begin
                if elapsed > result.slowest:
                    result.slowest, result.slowest_case = (
                        elapsed,
                        f"mutant {number} {name} {target.case}/{target.file} {how}",
                    )
                result.runs += 1
                result.outcomes[kind] += 1
                if kind not in ("ok", "error"):
                    result.failures.append(
                        {
                            "mutant": str(number),
                            "tool": name,
                            "case": target.case,
                            "file": target.file,
                            "mutation": how,
                            "outcome": kind,
                            "detail": detail,
                        }
                    )
            shutil.rmtree(work, ignore_errors=True)
            result.mutants += 1
            if progress is not None:
                progress(number)
    result.seconds = time.perf_counter() - started
    return result


def build_seeds(out: Path) -> Path:
    from corpus.models import build_in_subprocess  # noqa: PLC0415

    build_in_subprocess(out, SEED_CASES)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.security.fuzz", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--mutants", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--convert", action="store_true", help="fuzz `convert --no-verify` too (seconds per mutant)"
    )
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per tool per mutant")
    parser.add_argument(
        "--corpus", type=Path, help="prebuilt corpus dir (default: build the seed cases)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tfm_fuzz_corpus_") as tmp:
        corpus = args.corpus or build_seeds(Path(tmp))
        step = max(1, args.mutants // 20)
        tools = TOOLS + SLOW_TOOLS if args.convert else TOOLS
        result = fuzz(
            corpus,
            args.mutants,
            args.seed,
            args.budget,
            tools,
            progress=lambda n: (
                print(f"  {n + 1} mutants", file=sys.stderr) if (n + 1) % step == 0 else None
            ),
        )
    summary = (
        f"{result.mutants} mutants, {result.runs} tool runs in {result.seconds:.1f}s "
        f"(slowest {result.slowest:.2f}s: {result.slowest_case}): {dict(result.outcomes)};"
        f" failures: {len(result.failures)}"
    )
    print(summary)
    for failure in result.failures[:20]:
        print(json.dumps(failure, indent=1))
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())

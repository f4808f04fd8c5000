"""Keep TensorFlow's start-up and deprecation chatter out of the tool's output.

TensorFlow logs from C++ (absl) before Python can configure anything, so the C++ level must be
set in the environment before the first import, and the few lines absl writes before its own
initialisation are dropped while that import runs. `-v` leaves all of it alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator
from typing import Annotated

import typer

# Lines TensorFlow's native libraries write while loading: absl/glog records
# ("I0000 00:00:... port.cc:153] ...") and the banners around them.
_NATIVE_LOG = re.compile(
    r"^([IWEF]\d{4} \d\d:\d\d:\d\d|WARNING: All log messages before absl::InitializeLog"
    r"|To enable the following instructions:)"
)


def configure(verbose: bool, import_tensorflow: bool) -> None:
    """Set every TensorFlow log level; import TF now (filtered) when the command will need it."""
    if verbose:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"tensorflow|keras")
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"tensorflow|keras")
    if import_tensorflow and "tensorflow" not in sys.modules:
        with _native_stderr_filtered():
            import tensorflow  # noqa: F401, PLC0415 - first import, while stderr is filtered
    if "tensorflow" in sys.modules:
        _silence_python_loggers()


def _silence_python_loggers() -> None:
    import tensorflow as tf  # noqa: PLC0415

    tf.get_logger().setLevel(logging.ERROR)
    with contextlib.suppress(ImportError):
        from absl import logging as absl_logging  # noqa: PLC0415

        absl_logging.set_verbosity(absl_logging.ERROR)


@contextlib.contextmanager
def _native_stderr_filtered() -> Iterator[None]:
    """Route file descriptor 2 to a temporary file; replay only lines that are not TF's logs."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (embedded, captured): nothing to filter
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            kept = [
                line
                for line in sink.read().decode(errors="replace").splitlines(keepends=True)
                if not _NATIVE_LOG.match(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))


def global_options(
    ctx: typer.Context,
    verbose: Annotated[
        bool,
        typer.Option("-v", "--verbose", help="Show TensorFlow's own log and deprecation lines."),
    ] = False,
) -> None:
    """Options before the command name: `tf-migrate -v verify ...`."""
    # `rewrite` must never import TensorFlow; every other command loads it anyway.
    configure(verbose, import_tensorflow=ctx.invoked_subcommand not in (None, "rewrite"))

"""Count TF1 export call sites in a tree of files, before and after `rewrite` (issue 14).

A site is a `simple_save(...)` call or a `SavedModelBuilder(...)` / `saved_model.Builder(...)`
construction, resolved through the file's imports. A site is converted when the rewritten file
no longer calls that TF1 API there: per file, converted = sites before - sites after (a site
left behind a TODO still counts as not converted). Files are only read, never written.

    python -m codemods.commands._export.census ../shared/tf1_code/files

prints a Markdown table per API plus the files whose output does not parse, that a second
rewrite changes, and whether TensorFlow was imported. Exit code 1 if any of those happened.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import libcst as cst

from codemods.analysis.names import AliasTable
from codemods.batch.runner import Options, rewrite_text
from codemods.commands._export.signature import public_name
from codemods.commands.builder_to_module import BUILDERS
from codemods.commands.registry import CODEMODS
from codemods.commands.simple_save_to_module import SIMPLE_SAVE
from codemods.engine.node_index import find_all
from codemods.engine.rewrite import RewriteError

_MAGIC = re.compile(r"^(\s*)[%!].*$", re.MULTILINE)
APIS = ("simple_save", "SavedModelBuilder")


def _python(text: str, notebook: bool) -> str:
    """The Python code of a file: a notebook's code cells joined, IPython magics masked."""
    if not notebook:
        return text
    cells = json.loads(text).get("cells", [])
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
               for c in cells if c.get("cell_type") == "code"]  # fmt: skip
    return _MAGIC.sub(r"\1pass", "\n".join(sources))


def count_sites(code: str) -> Counter[str]:
    """TF1 export sites in `code` per API (empty if it does not parse)."""
    try:
        module = cst.parse_module(code)
    except cst.ParserSyntaxError:
        return Counter()
    aliases = AliasTable.from_module(module)
    found: Counter[str] = Counter()
    for call in find_all(module, cst.Call):
        name = public_name(aliases.qualify(call.func))
        if name == SIMPLE_SAVE:
            found["simple_save"] += 1
        elif name in BUILDERS:
            found["SavedModelBuilder"] += 1
    return found


def measure(paths: Sequence[Path]) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per API: sites found and converted; and the problems (unparsable, not idempotent)."""
    options = Options(tuple(CODEMODS.values()))
    totals: dict[str, Counter[str]] = {"found": Counter(), "converted": Counter()}
    problems: list[str] = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        notebook = path.suffix == ".ipynb"
        before = count_sites(_python(text, notebook))
        try:
            first = rewrite_text(text, path.name, options, notebook).code
        except RewriteError:
            continue  # does not parse (Python 2): left alone, as the tool should
        after = count_sites(_python(first, notebook))
        totals["found"] += before
        totals["converted"] += Counter({k: before[k] - after[k] for k in before})
        if first != text and not notebook:
            try:
                ast.parse(first)
            except SyntaxError:
                problems.append(f"{path.name}: output does not parse")
        if rewrite_text(first, path.name, options, notebook).code != first:
            problems.append(f"{path.name}: a second rewrite changes the file")
    return totals, problems


def table(totals: dict[str, Counter[str]]) -> str:
    rows = ["| API | sites | converted | share |", "|---|---|---|---|"]
    for api in (*APIS, "all"):
        found = sum(totals["found"].values()) if api == "all" else totals["found"][api]
        done = sum(totals["converted"].values()) if api == "all" else totals["converted"][api]
        share = f"{100 * done / found:.0f} %" if found else "-"
        rows.append(f"| {api} | {found} | {done} | {share} |")
    return "\n".join(rows)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m codemods.commands._export.census DIRECTORY", file=sys.stderr)
        return 2
    paths = sorted(p for p in Path(argv[0]).iterdir() if p.suffix in (".py", ".ipynb"))
    totals, problems = measure(paths)
    print(table(totals))
    imported = "tensorflow" in sys.modules
    print(f"\nfiles: {len(paths)}; TensorFlow imported: {imported}")
    for problem in problems:
        print(problem)
    return 1 if problems or imported else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

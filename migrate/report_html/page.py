"""The page skeleton every report shares: escaping, tables, sections, one inline stylesheet."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330;
       margin: 0 auto; max-width: 1100px; padding: 24px; background: #fbfbfd; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 6px; font-family: ui-monospace, monospace; }
.verdict { display: inline-block; padding: 4px 12px; border-radius: 6px; font-weight: 700;
           color: #fff; margin-right: 10px; }
.pass { background: #1f8a4c; } .fail { background: #c62828; } .warn { background: #b26a00; }
.muted { color: #5b6475; } code, .mono { font-family: ui-monospace, monospace; font-size: 13px; }
table { border-collapse: collapse; margin: 6px 0 12px; background: #fff; }
th, td { border: 1px solid #dde1ea; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f7; font-weight: 600; } td.num { text-align: right;
     font-family: ui-monospace, monospace; }
tr.bad td { background: #fdecec; } code.path { overflow-wrap: anywhere; }
td code { white-space: nowrap; }
td code.path { white-space: normal; }
ul.failures li { margin: 2px 0; } .plots { display: flex; flex-wrap: wrap; gap: 12px; }
.plots figure { margin: 0; background: #fff; border: 1px solid #dde1ea; padding: 4px; }
figcaption { font-size: 12px; color: #5b6475; padding: 0 4px; }
"""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], bad_rows: Sequence[bool] = ()
) -> str:
    """Cells are HTML already (escape text with `esc`); numeric-looking cells align right."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    head = f"<thead><tr>{head}</tr></thead>" if any(headers) else ""
    body = []
    for index, row in enumerate(rows):
        bad = index < len(bad_rows) and bad_rows[index]
        cells = "".join(
            f'<td class="num">{cell}</td>' if _numeric(cell) else f"<td>{cell}</td>" for cell in row
        )
        body.append(f'<tr class="bad">{cells}</tr>' if bad else f"<tr>{cells}</tr>")
    return f"<table>{head}<tbody>{''.join(body)}</tbody></table>"


def _numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def verdict(passed: bool, label: str | None = None) -> str:
    word = label or ("PASSED" if passed else "FAILED")
    return f'<span class="verdict {"pass" if passed else "fail"}">{esc(word)}</span>'


def page(title: str, body: str) -> str:
    """A complete document; the Content-Security-Policy forbids any fetch the page might try."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )

"""Decode and re-encode Python source exactly as it was stored.

A rewrite must not change what it did not mean to change: the declared encoding (PEP 263
coding cookie), a UTF-8 byte-order mark and the newline style all survive a round trip.
LibCST keeps each line's own newline, so only the encoding layer is handled here.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass


class SourceDecodeError(ValueError):
    """Bytes that do not decode with the file's declared (or default UTF-8) encoding."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class DecodedSource:
    """Text plus everything needed to write it back byte-compatibly."""

    text: str
    encoding: str
    bom: bool

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


def decode_source(data: bytes) -> DecodedSource:
    """Decode with the coding cookie or BOM, as Python itself would."""
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[len(codecs.BOM_UTF8) :] if bom else data
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:  # unknown codec or cookie/BOM conflict
        raise SourceDecodeError(str(error), line=getattr(error, "lineno", None) or 1) from None
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise SourceDecodeError(
            f"cannot decode byte {body[error.start]:#04x} as {encoding}; "
            "declare the encoding with a coding cookie",
            line=line,
        ) from None
    return DecodedSource(text=text, encoding=encoding, bom=bom)

"""Paths stored in a model never lead outside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrate.errors import MigrateError, UnsafeModelError
from migrate.security import check_contained_path


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "..",
        "a/../../b",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "\\\\server\\share\\x",
        "..\\..\\x",
        "a\x00b",
        "",
        "  ",
    ],
)
def test_escapes_are_refused_with_a_one_line_message(bad: str, tmp_path: Path) -> None:
    with pytest.raises(UnsafeModelError) as caught:
        check_contained_path(bad, tmp_path / "assets")
    assert isinstance(caught.value, MigrateError) and "\n" not in str(caught.value)
    assert str(tmp_path / "assets") in str(caught.value) and "Fix:" in str(caught.value)


def test_names_inside_are_resolved(tmp_path: Path) -> None:
    assert check_contained_path("vocab.txt", tmp_path) == (tmp_path / "vocab.txt").resolve()
    assert check_contained_path("sub/dir/x.txt", tmp_path) == (tmp_path / "sub/dir/x.txt").resolve()


def test_a_symlink_out_of_the_model_is_refused(tmp_path: Path) -> None:
    assets = tmp_path / "model" / "assets"
    assets.mkdir(parents=True)
    os.symlink("/etc/hostname", assets / "vocab.txt")
    with pytest.raises(UnsafeModelError, match="symlink"):
        check_contained_path("vocab.txt", assets)

"""The house's layering: Qt only in the UI package, and the core never reaches up into it."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "regional_centre"


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the file."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules_outside(*folders: str) -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if not any(path.is_relative_to(PACKAGE / folder) for folder in folders)
    ]


def test_qt_is_imported_only_in_the_ui_package() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(n for n in imports(path) if n.startswith("PySide6"))
        for path in modules_outside("ui")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_only_the_entry_points_reach_into_the_ui() -> None:
    allowed = {PACKAGE / "cli.py", PACKAGE / "selftest.py"}
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules_outside("ui")
        if path not in allowed and any(n.startswith("regional_centre.ui") for n in imports(path))
    ]
    assert offenders == []


def test_the_data_layer_does_not_use_the_services() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in (PACKAGE / "db").rglob("*.py")
        if any(
            n.startswith(("regional_centre.services", "regional_centre.demo"))
            for n in imports(path)
        )
    ]
    assert offenders == []

"""No module imports another module's private names (docs/architecture.md, "Sub-features").

A name with a leading underscore is free to change with its module. A module that others need offers them a
small public API instead (the regulation parser's document structure for `orientation.follow_up`, the API
routers' shared helpers in `api.records`).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "ausbildung"


def private_imports(source: str) -> list[str]:
    """`from module import _name` in a source text (dunder names such as `__version__` are public)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found += [
                f"{module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_the_check_finds_a_private_import() -> None:
    assert private_imports(
        "from ausbildung.core.regulations.parser import _split_document, parse_regulation"
    ) == ["ausbildung.core.regulations.parser._split_document"]
    assert private_imports("from .records import Problem, _person\nfrom . import __version__") == [
        ".records._person"
    ]


def test_no_module_imports_private_names_of_another() -> None:
    offenders = {
        str(path.relative_to(SRC)): names
        for path in sorted(SRC.rglob("*.py"))
        if (names := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}

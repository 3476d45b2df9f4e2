"""The layers import one way: entry points -> app/scheduler -> handlers -> services -> storage
and the pure core (README: Project Structure). Every import in a module counts, including
those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SLACK = ("slack_bolt", "slack_sdk")
DATABASE = ("sqlmodel", "sqlalchemy", "alembic", "psycopg", "storage")
ENTRY = ("bot.cli", "bot.lifecycle", "bot.server", "bot.startup", "bot.front_door", "bot.__main__")
ABOVE_HANDLERS = (*ENTRY, "bot.app", "bot.scheduler")

# package prefix -> module prefixes its modules may not import
RULES: dict[str, tuple[str, ...]] = {
    # The news logic: plain data in, plain data out.
    "bot.core": (
        *SLACK,
        *DATABASE,
        "bot.services",
        "bot.views",
        "bot.fetch",
        "handlers",
        "bot.app",
        "bot.settings",
        *ENTRY,
    ),
    "storage": (*SLACK, "bot.services", "bot.views", "handlers", "bot.app", *ENTRY),
    "bot.services": (*SLACK, "bot.views", "handlers", *ABOVE_HANDLERS),
    # Views are pure builders: they format what the services return.
    "bot.views": (*SLACK, *DATABASE, "handlers", "bot.fetch", *ABOVE_HANDLERS),
    "handlers": ("storage", "sqlmodel", *ABOVE_HANDLERS),
    "bot.app": (*ENTRY,),
    "bot.scheduler": (*ENTRY,),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _sources() -> list[Path]:
    files = [*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]
    files += [p for p in (ROOT / "storage").rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def _forbidden(module: str) -> tuple[str, ...]:
    rules = [prefix for prefix in RULES if module == prefix or module.startswith(prefix + ".")]
    return RULES[max(rules, key=len)] if rules else ()


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path: Path) -> None:
    module = _module_name(path)
    forbidden = _forbidden(module)
    wrong = sorted(
        name
        for name in _imports(path, module)
        if any(_within(name, f) for f in forbidden) and not _within(name, module)
    )
    assert not wrong, f"{module} may not import {', '.join(wrong)}"


def test_the_rule_catches_a_wrong_import(tmp_path: Path) -> None:
    """The checker itself: a core module importing the database is caught, lazily too."""
    source = tmp_path / "bad.py"
    source.write_text("def f():\n    from storage import queries\n    import slack_sdk\n")
    names = _imports(source, "bot.core.bad")
    assert {"storage", "storage.queries", "slack_sdk"} <= names
    assert any(_within(n, f) for n in names for f in _forbidden("bot.core.bad"))
    assert _forbidden("bot.core.claims") == RULES["bot.core"]
    assert _forbidden("bot.cli") == ()

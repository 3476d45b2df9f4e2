"""Start-up errors as one line: which setting, what is wrong with it, and no traceback.

The command line builds its settings and opens its database through these, so that a bad
`NEWSROOM_POST_INTERVAL`, an unknown time zone, a malformed `DATABASE_URL` or `--db`, or a
database that does not answer ends the command with `Error: <one line>` and exit status 1.
Passwords in database URLs are masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from pydantic import AliasChoices, ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot.settings import Settings

_SHOWN_INPUT = 80
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def env_name(field: str) -> str:
    """The environment variable that sets a Settings field."""
    info = Settings.model_fields.get(field)
    if info is None:
        return field.upper()
    alias = info.validation_alias
    if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
        return alias.choices[0]
    if isinstance(alias, str):
        return alias
    return f"{Settings.model_config.get('env_prefix', '')}{field}".upper()


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN_INPUT else f"{text[:_SHOWN_INPUT]}..."


def _problem(error: Any) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("float_parsing", "float_type"):
        return f"not a number: {_shown(value)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"not a whole number: {_shown(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"not true or false: {_shown(value)}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"must be {words} {ctx.get(key)}: {_shown(value)}"
    message = str(error.get("msg", "invalid"))
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return f"{message[:1].lower()}{message[1:]}: {_shown(value)}"


def describe_settings_error(exc: ValidationError) -> str:
    """`NEWSROOM_POST_INTERVAL: not a number: 'abc'`, one clause per bad setting."""
    parts = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error.get("loc") else "settings"
        name = env_name(field) if field in Settings.model_fields else field.upper()
        info = Settings.model_fields.get(field)
        secret = info is not None and "SecretStr" in str(info.annotation)
        problem = "invalid (value not shown: a secret)" if secret else _problem(error)
        parts.append(f"{name}: {problem}")
    return "; ".join(parts)


def load_settings() -> Settings:
    """Settings from the environment and `.env`; a bad value is a one-line click error."""
    try:
        return Settings()
    except ValidationError as exc:
        raise click.ClickException(describe_settings_error(exc)) from None


def mask_url(url: str) -> str:
    """The URL with its password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\1***@", url)


def _first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    line = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return line[:200] or type(original).__name__


@contextmanager
def database_errors(url: str, *, setting: str = "DATABASE_URL") -> Iterator[None]:
    """Turn a malformed URL, an unknown driver or a database that does not answer, met within
    the block, into a one-line click error naming `setting` and the masked URL."""
    shown = mask_url(url)
    try:
        make_url(url)
    except (ArgumentError, ValueError):
        raise click.ClickException(f"{setting}: not a database URL: {shown!r}") from None
    try:
        yield
    except NoSuchModuleError:
        raise click.ClickException(f"{setting}: no database driver for {shown!r}") from None
    except ArgumentError as exc:
        raise click.ClickException(f"{setting}: {_first_line(exc)}: {shown!r}") from None
    except OperationalError as exc:
        raise click.ClickException(f"{setting}: cannot open {shown}: {_first_line(exc)}") from None

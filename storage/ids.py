"""A filter on a long list of integer ids as one bound parameter.

``column IN (:a, :b, ...)`` with thousands of ids makes a statement with thousands of
parameters, which SQLAlchemy expands and the server parses at every call. One parameter
instead: a PostgreSQL ``bigint[]`` (``column = ANY(:ids)``), or on SQLite a JSON array
unpacked by ``json_each`` (built into SQLite since 3.38).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session


def ids_value(dialect: str, ids: Iterable[int]) -> str:
    """The value of an id-list parameter: a bigint[] literal on PostgreSQL, cast in the SQL
    (psycopg dumps a list of ints element by element in Python, ~1.7 us each: several times
    the cost of the string), else a JSON array."""
    values = [int(i) for i in ids]
    if dialect == "postgresql":
        return "{" + ",".join(map(str, values)) + "}"
    return json.dumps(values)


def ids_member(dialect: str, param: str) -> str:
    """SQL text for "is one of the ids in parameter `param`" (after the column)."""
    if dialect == "postgresql":
        return f"= ANY(CAST(:{param} AS bigint[]))"
    return f"IN (SELECT value FROM json_each(:{param}))"


def ids_rows(dialect: str, param: str) -> str:
    """SQL text for a FROM item with one row per id in parameter `param`, in column `value`."""
    if dialect == "postgresql":
        return f"unnest(CAST(:{param} AS bigint[])) AS ids(value)"
    return f"json_each(:{param})"


def id_in(session: Session, column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """`column` is one of `ids`, for the dialect of the session's connection."""
    dialect = session.get_bind().dialect.name
    value = ids_value(dialect, ids)
    if dialect == "postgresql":
        listed = cast(bindparam("ids", value, type_=Text, unique=True), ARRAY(BigInteger))
        any_of: ColumnElement[bool] = column == any_(listed)
        return any_of
    unpacked: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam("ids", value, unique=True))
    )
    within: ColumnElement[bool] = column.in_(unpacked)
    return within

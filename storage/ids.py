"""A filter on a long list of integer ids as one bound parameter.

``column IN (:a, :b, ...)`` with thousands of ids makes a statement with thousands of
parameters, which SQLAlchemy expands and the server parses at every call. One parameter
instead: a PostgreSQL ``bigint[]`` (``column = ANY(:ids)``), or on SQLite a JSON array
unpacked by ``json_each`` (built into SQLite since 3.38).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from sqlalchemy import BigInteger, Select, any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session


def id_in(session: Session, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """`column` is one of `ids`, for the dialect of the session's connection."""
    values = [int(i) for i in ids]
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", values, type_=ARRAY(BigInteger), unique=True))
    unpacked: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam("ids", json.dumps(values), unique=True))
    )
    return column.in_(unpacked)

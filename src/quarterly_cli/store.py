"""The local store: one SQLite file holding every record fetched, its source and when.

- WAL mode and a busy timeout, so many `quarterly` processes can read and write at once
  (`xargs -P 8 quarterly cite …`); each write is one transaction, so a record is stored whole
  or not at all.
- Only complete, parsed records are ever written (callers store after a successful parse).
- Full-text search over titles, authors and abstracts through an FTS5 table kept in the same
  transaction as the record.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import doi as doi_mod
from . import markup
from .errors import StoreError
from .model import FieldError, Record, record_from_dict

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0
_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    doi_key    TEXT PRIMARY KEY,
    doi        TEXT NOT NULL,
    source     TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    record     TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS records_fts USING fts5(
    doi_key UNINDEXED, title, authors, abstract, tokenize = 'unicode61 remove_diacritics 2'
);
"""


def default_path() -> Path:
    """`$QUARTERLY_HOME/quarterly.sqlite3`, else the platform's user data folder."""
    home = os.environ.get("QUARTERLY_HOME")
    if home:
        return Path(home).expanduser() / "quarterly.sqlite3"
    from platformdirs import user_data_path

    return user_data_path("quarterly", appauthor=False) / "quarterly.sqlite3"


@dataclass(frozen=True, slots=True)
class StoredRecord:
    record: Record
    source: str
    fetched_at: str


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._conn: sqlite3.Connection | None = None

    def _fail(self, exc: Exception) -> StoreError:
        return StoreError(
            f"The store {self.path} cannot be used ({exc}). If it is damaged, delete it "
            "(records will be fetched again) or point QUARTERLY_HOME at another folder."
        )

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version not in (0, SCHEMA_VERSION):
                    raise sqlite3.DatabaseError(f"schema version {version} is not supported")
                if version == 0:
                    with _transaction(conn):
                        for statement in filter(str.strip, _SCHEMA.split(";")):
                            conn.execute(statement)
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except (sqlite3.Error, OSError) as exc:
                raise self._fail(exc) from None
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def get(self, doi: str) -> StoredRecord | None:
        try:
            row = self.conn.execute(
                "SELECT record, source, fetched_at FROM records WHERE doi_key = ?",
                (doi_mod.key(doi),),
            ).fetchone()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        if row is None:
            return None
        return StoredRecord(self._load(row[0]), row[1], row[2])

    def _load(self, text: str) -> Record:
        try:
            return record_from_dict(json.loads(text))
        except (json.JSONDecodeError, FieldError) as exc:
            raise self._fail(exc) from None

    def put(self, record: Record) -> None:
        if not record.DOI:
            raise ValueError("only records with a DOI are stored")
        key = doi_mod.key(record.DOI)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        payload = json.dumps(record.to_dict(), ensure_ascii=False)
        authors = " ".join(n.literal or f"{n.given or ''} {n.full_family}" for n in record.author)
        abstract = " ".join(markup.plain(p) for s in record.abstract for p in s.paragraphs)
        try:
            with _transaction(self.conn):
                self.conn.execute(
                    "INSERT INTO records (doi_key, doi, source, fetched_at, record) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(doi_key) DO UPDATE SET "
                    "doi = excluded.doi, source = excluded.source, "
                    "fetched_at = excluded.fetched_at, record = excluded.record",
                    (key, record.DOI, record.source, now, payload),
                )
                self.conn.execute("DELETE FROM records_fts WHERE doi_key = ?", (key,))
                self.conn.execute(
                    "INSERT INTO records_fts (doi_key, title, authors, abstract) "
                    "VALUES (?, ?, ?, ?)",
                    (key, markup.plain(record.title), authors, abstract),
                )
        except sqlite3.Error as exc:
            raise self._fail(exc) from None

    def all(self) -> Iterator[StoredRecord]:
        yield from self._rows("SELECT record, source, fetched_at FROM records ORDER BY fetched_at, rowid", ())

    def search(self, text: str) -> Iterator[StoredRecord]:
        # Each word becomes a quoted FTS5 string, so user input is never FTS5 syntax.
        terms = " ".join('"' + w.replace('"', '""') + '"' for w in text.split())
        if not terms:
            return
        yield from self._rows(
            "SELECT r.record, r.source, r.fetched_at FROM records_fts f "
            "JOIN records r ON r.doi_key = f.doi_key WHERE records_fts MATCH ? ORDER BY f.rank",
            (terms,),
        )

    def _rows(self, sql: str, params: tuple) -> Iterator[StoredRecord]:
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        for record, source, fetched_at in rows:
            yield StoredRecord(self._load(record), source, fetched_at)


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error (the connection is in autocommit mode,
    so Python's sqlite3 opens no transactions of its own)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

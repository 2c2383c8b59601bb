"""The local store: one SQLite file holding every record fetched, its source and when.

- WAL mode and a busy timeout, so many `quarterly` processes can read and write at once
  (`xargs -P 8 quarterly cite …`); each write is one transaction, so a record is stored whole
  or not at all.
- Records are validated before they are written (`model.validate`): nothing is stored that could
  not be read back. A row that still cannot be read (written by hand, or by a future release) is
  that record's problem only: looking it up fails with a hint to `--refresh` it, and `list`
  skips it with a warning.
- A record is found by any identifier it carries (DOI, PMID, PMCID: the `identifiers` table);
  storing a record that shares an identifier with stored ones replaces them, so a PubMed record
  and the Crossref record of the same DOI end up as one row.
- Full-text search over titles, authors and abstracts through an FTS5 table kept in the same
  transaction as the record (its rowid is the record's id).
- Schema version in `PRAGMA user_version`; older stores are migrated in place, in one
  transaction, the first time a newer release opens them (see `_migrate_1_to_2`).
- A store that cannot be written (a read-only folder or file) is opened read-only: `--offline`,
  `list` and `search` still work, and fetched records are simply not kept.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import markup
from .errors import DamagedRecordError, StoreError
from .identifiers import Identifier, of_record
from .model import FieldError, Record, record_from_dict, validate

SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 30.0
_SCHEMA = """
CREATE TABLE records (
    id         INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    checked_at TEXT,
    record     TEXT NOT NULL
);
CREATE TABLE identifiers (
    kind      TEXT NOT NULL,
    value     TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_by_record ON identifiers (record_id);
CREATE VIRTUAL TABLE records_fts USING fts5(
    title, authors, abstract, tokenize = 'unicode61 remove_diacritics 2'
);
"""

# SQLite's words for a file it cannot trust; only then is deleting the store the advice.
_CORRUPT = ("file is not a database", "malformed", "corrupt")


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
    checked_at: str | None = None  # when its notices were last checked


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._conn: sqlite3.Connection | None = None
        self.read_only = False

    def _fail(self, exc: Exception) -> StoreError:
        text = str(exc)
        if any(word in text for word in _CORRUPT):
            return StoreError(
                f"The store {self.path} is damaged ({text}). Delete it (records will be fetched "
                "again) or point QUARTERLY_HOME at another folder.")
        if "disk is full" in text or "No space left" in text:
            return StoreError(
                f"The disk holding the store {self.path} is full. Free some space, or point "
                "QUARTERLY_HOME at another folder.")
        if "readonly" in text or "read-only" in text:
            return StoreError(
                f"The store {self.path} is read-only. Make it writable, or use --offline to "
                "read it as it is.")
        return StoreError(f"The store {self.path} cannot be used ({text}). Check the file and "
                          "its folder, or point QUARTERLY_HOME at another folder.")

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                self._conn = self._open()
            except (sqlite3.Error, OSError) as exc:
                raise self._fail(exc) from None
        return self._conn

    def _open(self) -> sqlite3.Connection:
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            conn = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                break
            except (sqlite3.OperationalError, PermissionError) as exc:
                if conn is not None:
                    conn.close()
                # While another process creates a new store, SQLite answers the switch to WAL
                # with "database is locked" at once, without waiting out busy_timeout: that is a
                # moment to wait for, not a read-only place.
                if "locked" in str(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                conn = self._open_read_only(exc)
                self._check_version(conn, writable=False)
                return conn
        conn.execute("PRAGMA synchronous = NORMAL")
        self._check_version(conn, writable=True)
        return conn

    def _open_read_only(self, why: Exception) -> sqlite3.Connection:
        """A store in a read-only place: read it as it is (WAL needs a writable folder for its
        shared-memory file, hence `immutable` when plain read-only mode cannot open it)."""
        if not self.path.is_file():
            raise why
        for flags in ("mode=ro", "immutable=1"):
            try:
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?{flags}", uri=True,
                                       timeout=BUSY_TIMEOUT_S, isolation_level=None)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError:
                continue
            self.read_only = True
            return conn
        raise why

    def _check_version(self, conn: sqlite3.Connection, writable: bool) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"it was written by a newer quarterly (schema {version}); upgrade quarterly")
        if not writable:
            raise sqlite3.OperationalError(
                f"it needs upgrading to schema {SCHEMA_VERSION}, and it is readonly")
        with _transaction(conn):
            # Another process may have migrated it while this one waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0:
                _create(conn)
            elif version == 1:
                _migrate_1_to_2(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- reading --
    def get(self, doi: str) -> StoredRecord | None:
        return self.find(Identifier("doi", doi))

    def find(self, identifier: Identifier) -> StoredRecord | None:
        """The stored record carrying this identifier, or None. DamagedRecordError (that
        reference fails alone) when the row cannot be read."""
        try:
            row = self.conn.execute(
                "SELECT r.record, r.source, r.fetched_at, r.checked_at FROM identifiers i "
                "JOIN records r ON r.id = i.record_id WHERE i.kind = ? AND i.value = ?",
                (identifier.kind, identifier.key),
            ).fetchone()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        if row is None:
            return None
        return StoredRecord(self._load(row[0], str(identifier)), row[1], row[2], row[3])

    def _load(self, text: str, what: str) -> Record:
        try:
            return record_from_dict(json.loads(text))
        except (json.JSONDecodeError, FieldError, RecursionError) as exc:
            raise DamagedRecordError(
                f"the stored record for {what} cannot be read ({exc}). Fetch it again with "
                "--refresh.") from None

    def all(self, on_damaged: Callable[[str], None] | None = None) -> Iterator[StoredRecord]:
        """Every stored record in the order fetched; unreadable rows are reported to
        `on_damaged` (a message) and skipped."""
        yield from self._rows(
            "SELECT id, record, source, fetched_at, checked_at FROM records "
            "ORDER BY fetched_at, id", (), on_damaged)

    def search(self, text: str,
               on_damaged: Callable[[str], None] | None = None) -> Iterator[StoredRecord]:
        # Each word becomes a quoted FTS5 string, so user input is never FTS5 syntax.
        terms = " ".join('"' + w.replace('"', '""') + '"' for w in text.split())
        if not terms:
            return
        yield from self._rows(
            "SELECT r.id, r.record, r.source, r.fetched_at, r.checked_at FROM records_fts f "
            "JOIN records r ON r.id = f.rowid WHERE records_fts MATCH ? ORDER BY f.rank",
            (terms,), on_damaged)

    def _rows(self, sql: str, params: tuple,
              on_damaged: Callable[[str], None] | None) -> Iterator[StoredRecord]:
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self._fail(exc) from None
        for row_id, record, source, fetched_at, checked_at in rows:
            try:
                loaded = self._load(record, f"row {row_id}")
            except DamagedRecordError as exc:
                if on_damaged is None:
                    raise
                on_damaged(str(exc))
                continue
            yield StoredRecord(loaded, source, fetched_at, checked_at)

    # -- writing --
    def put(self, record: Record, checked_at: str | None = None,
            fetched_at: str | None = None) -> None:
        """Store a record (validated first), replacing any stored record that shares one of
        its identifiers. `checked_at`: when its notices were checked (default: now);
        `fetched_at`: when it was fetched (default: now; `check` keeps it when it only adds
        notices)."""
        identifiers = of_record(record)
        if not identifiers:
            raise ValueError("only records with a DOI, PMID or PMCID are stored")
        try:
            payload = json.dumps(validate(record).to_dict(), ensure_ascii=False)
        except (FieldError, RecursionError) as exc:
            raise StoreError(f"Not storing a record that could not be read back ({exc}).") from None
        now = _now()
        try:
            with _transaction(self.conn):
                _write(self.conn, record, payload, identifiers, fetched_at or now,
                       checked_at or now)
        except sqlite3.Error as exc:
            raise self._fail(exc) from None

    def mark_checked(self, identifier: Identifier, when: str | None = None) -> None:
        """Remember that the notices of this record were checked (now, by default)."""
        try:
            with _transaction(self.conn):
                self.conn.execute(
                    "UPDATE records SET checked_at = ? WHERE id = (SELECT record_id FROM "
                    "identifiers WHERE kind = ? AND value = ?)",
                    (when or _now(), identifier.kind, identifier.key))
        except sqlite3.Error as exc:
            raise self._fail(exc) from None


def _fts_row(record: Record) -> tuple[str, str, str]:
    authors = " ".join(n.literal or f"{n.given or ''} {n.full_family}" for n in record.author)
    abstract = " ".join(markup.plain(p) for s in record.abstract for p in s.paragraphs)
    return markup.plain(record.title), authors, abstract


def _write(conn: sqlite3.Connection, record: Record, payload: str,
           identifiers: list[Identifier], fetched_at: str, checked_at: str | None) -> int:
    """Insert or replace one record inside the caller's transaction; returns its row id."""
    keys = [(i.kind, i.key) for i in identifiers]
    existing = sorted({
        row[0] for kind, value in keys for row in conn.execute(
            "SELECT record_id FROM identifiers WHERE kind = ? AND value = ?", (kind, value))})
    if existing:
        row_id = existing[0]
        conn.execute("UPDATE records SET source = ?, fetched_at = ?, checked_at = ?, record = ? "
                     "WHERE id = ?", (record.source, fetched_at, checked_at, payload, row_id))
        for other in existing[1:]:  # the same work stored twice, under different identifiers
            conn.execute("DELETE FROM records WHERE id = ?", (other,))
            conn.execute("DELETE FROM records_fts WHERE rowid = ?", (other,))
        # Identifiers the replaced rows had and this record lacks still name the same work.
        conn.execute(f"UPDATE identifiers SET record_id = ? WHERE record_id IN "
                     f"({','.join('?' * len(existing))})", (row_id, *existing))
        conn.execute("DELETE FROM records_fts WHERE rowid = ?", (row_id,))
    else:
        row_id = conn.execute(
            "INSERT INTO records (source, fetched_at, checked_at, record) VALUES (?, ?, ?, ?)",
            (record.source, fetched_at, checked_at, payload)).lastrowid or 0
    conn.executemany("INSERT OR REPLACE INTO identifiers (kind, value, record_id) VALUES (?, ?, ?)",
                     [(kind, value, row_id) for kind, value in keys])
    conn.execute("INSERT INTO records_fts (rowid, title, authors, abstract) VALUES (?, ?, ?, ?)",
                 (row_id, *_fts_row(record)))
    return row_id


def _create(conn: sqlite3.Connection) -> None:
    for statement in filter(str.strip, _SCHEMA.split(";")):
        conn.execute(statement)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Schema 1 (release 0.1.0: records keyed by DOI alone) → 2 (records found by any
    identifier). Every row is kept: rows that load are rewritten in today's JSON shape; a row that
    does not load is kept as it was, under its DOI, to fail alone when looked up."""
    conn.execute("ALTER TABLE records RENAME TO records_v1")
    conn.execute("DROP TABLE IF EXISTS records_fts")
    _create(conn)
    rows = conn.execute(
        "SELECT doi, source, fetched_at, record FROM records_v1 ORDER BY rowid").fetchall()
    for doi, source, fetched_at, text in rows:
        try:
            record = record_from_dict(json.loads(text))
            payload = json.dumps(validate(record).to_dict(), ensure_ascii=False)
        except (json.JSONDecodeError, FieldError, RecursionError):
            row_id = conn.execute(
                "INSERT INTO records (source, fetched_at, record) VALUES (?, ?, ?)",
                (source, fetched_at, text)).lastrowid
            conn.execute("INSERT OR REPLACE INTO identifiers VALUES ('doi', ?, ?)",
                         (Identifier("doi", doi).key, row_id))
            continue
        identifiers = of_record(record) or [Identifier("doi", doi)]
        _write(conn, record, payload, identifiers, fetched_at, None)
    conn.execute("DROP TABLE records_v1")


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

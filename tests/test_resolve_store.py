"""The store as the chain uses it from many processes at once: a store being created by another
process is waited for, never mistaken for a read-only one."""

from __future__ import annotations

import sqlite3
import threading

from quarterly_cli.model import Record
from quarterly_cli.store import Store


def test_a_store_another_process_is_creating_is_waited_for(tmp_path):
    """A new store file is still in rollback-journal mode while its creator holds a write lock;
    SQLite then refuses the switch to WAL at once ("database is locked"), busy_timeout or not.
    Opening it waits for the creator instead of falling back to read-only."""
    path = tmp_path / "quarterly.sqlite3"
    creator = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    creator.execute("PRAGMA journal_mode = DELETE")
    creator.execute("BEGIN IMMEDIATE")
    creator.execute("CREATE TABLE scratch (x)")
    done = threading.Timer(0.3, lambda: creator.execute("ROLLBACK"))
    done.start()
    store = Store(path)
    store.put(Record(title="Kept", DOI="10.5555/kept", source="crossref"))
    done.join()
    creator.close()
    assert not store.read_only
    assert store.get("10.5555/kept").record.title == "Kept"

"""Reading a whole file freezes the records out of the cyclic collector's sight while they are
handed on (readers._read_whole), and leaves nothing frozen afterwards."""

from __future__ import annotations

import gc

from quarterly_cli.readers import iter_path, read_path

RIS = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n"


def test_nothing_stays_frozen(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS, encoding="utf-8")
    assert gc.get_freeze_count() == 0
    records = iter_path(str(path))
    assert next(records).title == "One"
    assert gc.get_freeze_count() > 0  # while they are handed on
    assert [r.title for r in records] == ["Two"]
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    records = iter_path(str(path))
    next(records)
    records.close()  # a reader left half-way (the writer failed) unfreezes too
    assert gc.get_freeze_count() == 0


def test_objects_the_process_froze_stay_frozen(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS, encoding="utf-8")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert [r.title for r in read_path(str(path))] == ["One", "Two"]
        # neither frozen with them nor unfrozen (a frozen object may have been freed meanwhile)
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()

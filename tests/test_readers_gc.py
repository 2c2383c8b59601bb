"""Reading a whole file freezes the records out of the cyclic collector's sight while they are
handed on (readers._read_whole), and leaves nothing frozen afterwards; an APA render moves what
it leaves alive to the oldest generation (apa._age_survivors)."""

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


def _apa_library():
    from quarterly_cli.model import Name, Record

    return [Record(type="article-journal", title=f"Peer Support in Health Service {n}",
                   names={"author": [Name(f"Family{n}", "Given", None)]},
                   variables={"container-title": "The Milbank Quarterly"}) for n in range(300)]


def test_an_apa_render_leaves_its_survivors_old():
    """What the APA render leaves alive (cache entries, made while the collector was paused) is
    moved to the oldest generation, so the first collection after it does not walk them; nothing
    is left frozen and the collector is on again."""
    from quarterly_cli.formats import Options, apa

    records = _apa_library()
    gc.collect()
    assert gc.get_freeze_count() == 0
    text = apa.render(records, Options())
    assert "Family299, G." in text
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < 50  # without the move: thousands of young survivors


def test_an_apa_render_unfreezes_nothing_the_process_froze():
    from quarterly_cli.formats import Options, apa

    records = _apa_library()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        apa.render(records, Options())
        # still frozen (a frozen object may have been freed meanwhile: not `>= frozen`)
        assert 0 < gc.get_freeze_count() and frozen > 0
    finally:
        gc.unfreeze()

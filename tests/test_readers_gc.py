"""Reading a whole file pauses the cyclic collector while its records are made and handed on,
then moves what is left alive to the oldest generation (readers._read_whole); an APA render does
the same with what it leaves alive (apa._age_survivors)."""

from __future__ import annotations

import gc

import pytest

from quarterly_cli.errors import InputFormatError
from quarterly_cli.readers import iter_path, read_path

RIS = "TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nER  - \n"
BIB = "@article{one, title = {One}}\n@article{two, title = {Two}}\n"


@pytest.mark.parametrize(("name", "text"), [("refs.ris", RIS), ("refs.bib", BIB)])
def test_the_collector_is_paused_while_records_are_handed_on(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert gc.isenabled()
    records = iter_path(str(path))
    assert next(records).title == "One"
    assert not gc.isenabled()  # while they are handed on
    assert [r.title for r in records] == ["Two"]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    records = iter_path(str(path))
    next(records)
    records.close()  # a reader left half-way (the writer failed) turns it on again too
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_paused_collector_stays_paused(tmp_path):
    path = tmp_path / "refs.ris"
    path.write_text(RIS, encoding="utf-8")
    gc.disable()
    try:
        assert [r.title for r in read_path(str(path))] == ["One", "Two"]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_records_kept_after_reading_are_old(tmp_path):
    """What a caller keeps (as a style that sorts them does) is in the oldest generation once
    the file is read: the first collections after it do not walk the records."""
    path = tmp_path / "refs.ris"
    path.write_text(RIS * 500, encoding="utf-8")
    gc.collect()
    records = read_path(str(path))
    assert len(records) == 1000
    assert gc.get_count()[0] < 50  # without the move: thousands of young objects
    oldest = {id(obj) for obj in gc.get_objects(generation=2)}
    assert all(id(record.names) in oldest for record in records if gc.is_tracked(record.names))


def test_ris_records_are_made_as_they_are_asked_for(tmp_path, monkeypatch):
    """A RIS record is made when the scan reaches its ER, and handed on at once: the records
    before one that cannot be read come out before its error, and the ones after it are never
    made."""
    from quarterly_cli.readers import ris

    made = []

    def record_from_tags(ty, tags):
        if tags.values["TI"] == ["Three"]:
            raise ValueError("no reason")
        made.append(tags.values["TI"][0])
        return real(ty, tags)

    real = ris.record_from_tags
    monkeypatch.setattr(ris, "record_from_tags", record_from_tags)
    path = tmp_path / "refs.ris"
    path.write_text(RIS + "TY  - JOUR\nTI  - Three\nER  - \nTY  - JOUR\nTI  - Four\nER  - \n",
                    encoding="utf-8")
    records = iter_path(str(path))
    assert next(records).title == "One"
    assert made == ["One"]
    assert next(records).title == "Two"
    with pytest.raises(InputFormatError, match=r"refs\.ris: record 3 \(JOUR: Three\) cannot "):
        next(records)
    assert made == ["One", "Two"] and gc.isenabled()


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

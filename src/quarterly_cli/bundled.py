"""The article shipped with the package, read from reviewable JSON in `quarterly_cli/data/`."""

from __future__ import annotations

from functools import cache

from . import data_path
from .errors import RecordFileError
from .model import FieldError, Record, record_from_dict

BUNDLED_FILE = "mathers2014challenge.json"
BUNDLED_DOI = "10.1111/1468-0009.12090"


def load_record_file(path: str, text: str) -> Record:
    """Parse one record file; errors name the file and the field."""
    import json  # not at the top: a conversion of a file never reads the bundled record

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
            " Restore the file from the package or fix the syntax."
        ) from None
    try:
        return record_from_dict(data)
    except FieldError as exc:
        raise RecordFileError(f"{path}: {exc}. Fix that field or reinstall the package.") from None


@cache
def bundled_record() -> Record:
    resource = data_path(BUNDLED_FILE)
    try:
        with open(resource, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise RecordFileError(
            f"{resource}: cannot read the bundled article ({exc.strerror}). Reinstall quarterly-cli."
        ) from None
    return load_record_file(resource, text)

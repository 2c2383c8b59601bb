"""quarterly: read and cite journal articles from the command line."""

import os

__version__ = "0.1.0"

# Package data (the bundled article, the proper-noun lexicon, CSL styles). A plain os.path
# string rather than importlib.resources or pathlib: those imports alone cost ~15 ms of start-up,
# and the package is always installed as files (wheel or editable), never zipped.
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def data_path(*parts: str) -> str:
    return os.path.join(DATA_DIR, *parts)

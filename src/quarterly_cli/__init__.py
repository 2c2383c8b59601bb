"""quarterly: read and cite journal articles from the command line."""

__version__ = "0.1.0"

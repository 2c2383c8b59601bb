"""Word lists shared by sentence case and citation keys (kept apart: both are on start-up paths)."""

# Words that title case leaves in lower case (Chicago 8.159, APA 6.17); they do not count as
# evidence either way when deciding whether a title is in title case, nor as a citation key's word.
MINOR_WORDS = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via vs vs. from into "
    "onto over with than upon out down".split()
)

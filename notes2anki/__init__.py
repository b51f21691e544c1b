"""notes2anki: Markdown study notes to Anki decks, and a linter that keeps the notes honest."""

__version__ = "0.1.0"

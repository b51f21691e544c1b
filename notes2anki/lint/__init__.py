"""``notes2anki lint``: what breaks flashcards and terminology, with almost no noise."""

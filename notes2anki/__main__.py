import sys

from notes2anki.cli import main

sys.exit(main())

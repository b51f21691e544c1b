"""Every lint rule, one module each: its docs, CODE, NAME, FIX and ``check(document, corpus)``.

FIX says what ``--fix`` can do: "safe" (meaning kept), "unsafe" (needs ``--unsafe-fixes``) or None.
A rule is added by adding its module here (named ``n<code>_<name>.py``): it is found by name.
"""

from __future__ import annotations

import importlib
import pkgutil

RULES = [
    importlib.import_module(f"{__name__}.{module.name}")
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name)
    if module.name.startswith("n")
]
BY_CODE = {rule.CODE: rule for rule in RULES}
BY_NAME = {rule.NAME: rule for rule in RULES}

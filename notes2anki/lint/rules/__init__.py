"""Every lint rule, one module each: its docs, CODE, NAME, FIX and ``check(document, corpus)``.

FIX says what ``--fix`` can do: "safe" (meaning kept), "unsafe" (needs ``--unsafe-fixes``) or None.
"""

from __future__ import annotations

from notes2anki.lint.rules import (
    n001_front_matter_yaml,
    n002_front_matter_required,
    n003_front_matter_date,
    n004_front_matter_unknown_key,
    n101_acronym_mismatch,
    n102_duplicate_label,
    n103_dangling_reference,
    n104_empty_side,
    n105_identity_clash,
    n201_term_variant,
    n202_term_dictionary,
    n301_unbalanced_bracket,
    n302_mixed_width_bracket,
    n303_unrendered_bold,
    n304_broken_cloze,
    n305_missing_image,
    n306_unclosed_fence,
    n401_mixed_space,
    n402_trailing_whitespace,
    n403_tab_indent,
)

RULES = [
    n001_front_matter_yaml,
    n002_front_matter_required,
    n003_front_matter_date,
    n004_front_matter_unknown_key,
    n101_acronym_mismatch,
    n102_duplicate_label,
    n103_dangling_reference,
    n104_empty_side,
    n105_identity_clash,
    n201_term_variant,
    n202_term_dictionary,
    n301_unbalanced_bracket,
    n302_mixed_width_bracket,
    n303_unrendered_bold,
    n304_broken_cloze,
    n305_missing_image,
    n306_unclosed_fence,
    n401_mixed_space,
    n402_trailing_whitespace,
    n403_tab_indent,
]
BY_CODE = {rule.CODE: rule for rule in RULES}
BY_NAME = {rule.NAME: rule for rule in RULES}

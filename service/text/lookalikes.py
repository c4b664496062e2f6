"""Latin and Cyrillic letters drawn alike, which MT output and pasted text mix inside one word."""

from __future__ import annotations

# Pair by pair: each Latin letter above the Cyrillic letter that looks the same ("Сирськi" with
# a Latin i, "Kиїв" with a Latin K). One character for one, so offsets survive a translation.
LATIN = "aceiopxyABCEHIKMOPTX"
CYRILLIC = "асеіорхуАВСЕНІКМОРТХ"
LATIN_TO_CYRILLIC = str.maketrans(LATIN, CYRILLIC)
CYRILLIC_TO_LATIN = str.maketrans(CYRILLIC, LATIN)
LATIN_LOOKALIKES = frozenset(LATIN)
CYRILLIC_LOOKALIKES = frozenset(CYRILLIC)

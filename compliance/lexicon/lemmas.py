"""Lemma-aware matching without building Docs: spaCy's lookup tables, inverted.

spacy-lookups-data ships, per language, the table spaCy's lookup lemmatizer uses (word form ->
lemma). Inverting it gives every form of a lemma ("sembuh" -> "menyembuhkan", "kesembuhan", ...;
"cure" -> "cured", "cures", "curing"), so a lexicon entry written as a lemma matches all its
inflections through the same fast literal prefilter as any phrase.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from functools import lru_cache
from pathlib import Path


def _table_path(lang: str) -> Path | None:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = (
        Path(next(iter(spec.submodule_search_locations))) / "data" / f"{lang}_lemma_lookup.json.gz"
    )
    return path if path.is_file() else None


@lru_cache(maxsize=16)
def inverted_table(lang: str) -> dict[str, tuple[str, ...]]:
    """lemma -> its word forms (lower case), from spaCy's lookup table for `lang`."""
    path = _table_path(lang)
    if path is None:
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table: dict[str, str | list[str]] = json.load(handle)
    out: dict[str, set[str]] = {}
    for form, lemmas in table.items():
        for lemma in [lemmas] if isinstance(lemmas, str) else lemmas:
            out.setdefault(lemma.lower(), set()).add(form.lower())
    return {k: tuple(sorted(v)) for k, v in out.items()}


def forms(lang: str, lemma: str) -> list[str]:
    """The lemma itself and every form spaCy's table maps to it."""
    lemma = lemma.lower()
    found = set(inverted_table(lang).get(lemma, ()))
    found.add(lemma)
    return sorted(found, key=lambda f: (-len(f), f))

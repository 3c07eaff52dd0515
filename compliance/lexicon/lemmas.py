"""Lemma-aware matching without building Docs: spaCy's lookup tables, inverted.

spacy-lookups-data ships, per language, the table spaCy's lookup lemmatizer uses (word form ->
lemma). Inverting it gives every form of a lemma ("sembuh" -> "menyembuhkan", "kesembuhan", ...;
"cure" -> "cured", "cures", "curing"), so a lexicon entry written as a lemma matches all its
inflections through the same fast literal prefilter as any phrase.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path

import orjson

from compliance.userdirs import cache_dir


def _table_path(lang: str) -> Path | None:
    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = (
        Path(next(iter(spec.submodule_search_locations))) / "data" / f"{lang}_lemma_lookup.json.gz"
    )
    return path if path.is_file() else None


@lru_cache(maxsize=16)
def _table(lang: str) -> dict[str, str | list[str]]:
    path = _table_path(lang)
    if path is None:
        return {}
    with gzip.open(path, "rb") as handle:
        table: dict[str, str | list[str]] = orjson.loads(handle.read())
    return table


@lru_cache(maxsize=32)
def lemma_forms(lang: str, lemmas: tuple[str, ...]) -> dict[str, list[str]]:
    """lemma -> the lemma and every form spaCy's table maps to it (lower case, longest
    first), for the given lemmas only. Reading the tables costs seconds (the German one has
    355,000 forms), so the result is kept in the cache directory, keyed by the table file and
    the lemmas asked for; a cache that cannot be read or written is simply not used."""
    path = _table_path(lang)
    if path is None:
        return {lemma.lower(): [lemma.lower()] for lemma in lemmas}
    stat = path.stat()
    key = hashlib.sha256(
        orjson.dumps([lang, str(path), stat.st_size, stat.st_mtime_ns, sorted(lemmas)])
    ).hexdigest()[:32]
    cached = cache_dir() / f"lemma-forms-{lang}-{key}.json"
    try:
        loaded: dict[str, list[str]] = orjson.loads(cached.read_bytes())
        return loaded
    except (OSError, orjson.JSONDecodeError):
        pass
    out = _scan(lang, lemmas)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps(out))
        os.replace(tmp, cached)
    except OSError:
        pass
    return out


def _scan(lang: str, lemmas: tuple[str, ...]) -> dict[str, list[str]]:
    """One pass over the table collecting the forms of `lemmas` (no full inversion)."""
    wanted: dict[str, str] = {}
    for lemma in lemmas:
        low = lemma.lower()
        for variant in (low, low.capitalize(), low.upper()):
            wanted.setdefault(variant, low)
    found: dict[str, set[str]] = {low: {low} for low in wanted.values()}
    get = wanted.get
    for form, value in _table(lang).items():
        if isinstance(value, str):
            key = get(value)
            if key is not None:
                found[key].add(form.lower())
        else:
            for item in value:
                key = get(item)
                if key is not None:
                    found[key].add(form.lower())
    return {k: sorted(v, key=lambda f: (-len(f), f)) for k, v in found.items()}


def forms(lang: str, lemma: str) -> list[str]:
    """The lemma itself and every form spaCy's table maps to it."""
    return lemma_forms(lang, (lemma,))[lemma.lower()]

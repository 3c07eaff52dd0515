"""Post language from function words, using the stop-word lists that ship with spaCy.

Captions are short and full of hashtags, names and emoji; statistical detectors trained on
prose do poorly on them and cost far more than the rest of a check. Function words ("the",
"und", "yang", "och") are what a caption has plenty of, so we score each language by the
function words it shares with the text, weighting words that belong to fewer languages more.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from compliance.text.surface import Surface

LANGUAGES = ("en", "id", "de", "fr", "es", "nl", "sv", "fi", "it", "pt")
MIN_SCORE = 1.5
MIN_MARGIN = 1.25


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    code: str  # "und" when undetermined
    confidence: float
    scores: dict[str, float] | None = None  # function-word evidence per language


def _stop_words(lang: str) -> set[str]:
    """spaCy's stop-word list for `lang`, read from its source file without importing spaCy
    (importing spacy.lang.* costs seconds; the lists are plain string literals)."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / lang / "stop_words.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "STOP_WORDS" for t in node.targets
        ):
            for const in ast.walk(node.value):
                if isinstance(const, ast.Constant) and isinstance(const.value, str):
                    words.update(const.value.split())
    return words


@lru_cache(maxsize=1)
def _weights() -> dict[str, tuple[tuple[str, float], ...]]:
    """word -> ((language, weight), ...); a word in k languages weighs 1/k in each."""
    owners: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        for word in _stop_words(lang):
            if len(word) >= 2 or lang in ("en",):
                owners.setdefault(word.lower(), []).append(lang)
    # English "a"/"i" are too weak alone; single letters count only as weak evidence
    out: dict[str, tuple[tuple[str, float], ...]] = {}
    for word, langs in owners.items():
        w = 1.0 / len(langs)
        if len(word) == 1:
            w *= 0.3
        out[word] = tuple((lang, w) for lang in langs)
    return out


def detect(surfaces: list[Surface]) -> LanguageGuess:
    weights = _weights()
    scores: dict[str, float] = {}
    for surface in surfaces:
        # only the function words reach the Python loop (most words of a caption are not)
        for hit in filter(None, map(weights.get, surface.prose_word_texts)):
            for lang, w in hit:
                scores[lang] = scores.get(lang, 0.0) + w
    if not scores:
        return LanguageGuess("und", 0.0, {})
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    best, best_score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < MIN_SCORE or best_score < second * MIN_MARGIN:
        return LanguageGuess(
            "und", round(best_score / (best_score + second + 1e-9), 2), dict(scores)
        )
    confidence = min(0.99, best_score / (best_score + second + 1.0))
    return LanguageGuess(best, round(confidence, 2), dict(scores))

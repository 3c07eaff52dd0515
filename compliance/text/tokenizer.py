"""spaCy tokenisation for social text, built lazily and recycled to keep memory flat.

A `spacy.blank` pipeline per language (no statistical model, nothing downloaded) whose
tokenizer keeps hashtags (#AdPartner), @mentions, URLs and emoji sequences whole. spaCy's
`Vocab` keeps every new string it sees, so a long-running worker rebuilds its pipelines after
`RECYCLE_AFTER` documents instead of growing without bound.
"""

from __future__ import annotations

import threading
from typing import Any

import regex

from compliance.text.surface import split_camel

RECYCLE_AFTER = 20_000
SPACY_LANGS = frozenset({"en", "id", "de", "fr", "es", "nl", "sv", "fi", "it", "pt"})

# hashtag, mention, URL (with or without scheme), emoji sequence (with modifiers and joiners)
_SPECIAL = regex.compile(
    r"(?<![\p{L}\p{N}_&/#])#[\p{L}\p{N}_]+"
    r"|(?<![\p{L}\p{N}_@.])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?"
    r"|(?:https?://|www\.)[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,!?;:]"
    r"|(?:\p{Extended_Pictographic}|\p{Regional_Indicator})"
    r"(?:[\U0001F3FB-\U0001F3FF\uFE0F\u20E3\p{Regional_Indicator}]"
    r"|\u200D\p{Extended_Pictographic})*",
    regex.IGNORECASE,
)


class SocialTokenizer:
    """spaCy's rule-based tokenizer for prose; hashtags, mentions, URLs and emoji kept whole."""

    def __init__(self, nlp: Any) -> None:
        self.base = nlp.tokenizer
        self.vocab = nlp.vocab

    def __call__(self, text: str) -> Any:
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []

        def prose(start: int, end: int) -> None:
            if end <= start:
                return
            for tok in self.base(text[start:end]):
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))

        pos = 0
        for m in _SPECIAL.finditer(text):
            prose(pos, m.start())
            words.append(m.group(0))
            follow = m.end() < len(text) and text[m.end()] == " "
            spaces.append(follow)
            pos = m.end() + (1 if follow else 0)
        prose(pos, len(text))
        return Doc(self.vocab, words=words, spaces=spaces)


def _build(lang: str) -> Any:
    import spacy

    nlp = spacy.blank(lang if lang in SPACY_LANGS else "xx")
    nlp.tokenizer = SocialTokenizer(nlp)
    return nlp


class _Pipelines:
    def __init__(self) -> None:
        self._nlp: dict[str, Any] = {}
        self._count = 0
        self._lock = threading.Lock()

    def get(self, lang: str) -> Any:
        with self._lock:
            self._count += 1
            if self._count > RECYCLE_AFTER:
                self._nlp.clear()
                self._count = 0
            key = lang if lang in SPACY_LANGS else "xx"
            nlp = self._nlp.get(key)
            if nlp is None:
                nlp = self._nlp[key] = _build(key)
            return nlp


_PIPELINES = _Pipelines()


def tokenize(text: str, lang: str = "en") -> Any:
    """A spaCy Doc of `text`; hashtags, mentions, URLs and emoji are single tokens."""
    return _PIPELINES.get(lang)(text)


def hashtag_parts(token_text: str) -> list[str]:
    """Words of a CamelCase or snake_case hashtag token: '#AdPartner' -> ['Ad', 'Partner']."""
    return split_camel(token_text.lstrip("#"))

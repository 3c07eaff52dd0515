"""Unicode normalisation with an offset map back to the original text.

Creators decorate and dodge: styled letters (𝐚𝐝, ᴀᴅ), full-width forms (＃ａｄ), zero-width
characters inside words (#a\u200bd), Cyrillic or Greek look-alikes (#аd). Detectors run on the
normalised text; every span they report is mapped back to the original text with `to_original`.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

import regex

# Removed entirely: zero-width and invisible formatting characters (not the emoji joiner
# inside emoji sequences matters for display only; removing it changes no word).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064")

# Small capitals and other letter-likes that NFKC leaves alone.
_SMALL_CAPS = dict(
    zip(
        "ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢ",
        "abcdefghijklmnopqrstuvwyz",
        strict=True,
    )
)
# Cyrillic and Greek look-alikes: mapped only when written next to a Latin letter or '#'
# (so Russian or Greek words stay as they are).
_CONFUSABLES = dict(
    zip(
        "аеорсхуіѕԁјһАВЕКМНОРСТХІЅЈοαρνκτΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcxyisdjhABEKMHOPCTXISJoapvktABEZHIKMNOPTYX",
        strict=True,
    )
)
# Typographic punctuation that keyboards and phones insert: same meaning, plain form.
_PUNCT = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2032": "'"}


def _latin_or_hash(ch: str) -> bool:
    return ch == "#" or ("a" <= ch.lower() <= "z")


class NormText(NamedTuple):
    """Normalised text, its lower-case twin (same length) and the map to the original."""

    original: str
    text: str
    lower: str
    # starts[i] / ends[i]: original offsets of the character that produced text[i];
    # None when the text did not change (identity map).
    starts: list[int] | None = None
    ends: list[int] | None = None
    # Indices of normalised characters that came from a styled / look-alike / full-width form.
    styled: frozenset[int] = frozenset()

    @property
    def changed(self) -> bool:
        return self.starts is not None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= len(self.text):
            return len(self.original), len(self.original)
        if end <= start:
            o = self.starts[start]
            return o, o
        return self.starts[start], self.ends[end - 1]

    def obfuscation(self, start: int, end: int) -> str | None:
        """Why the original of this span differs from its normalised form, if it does."""
        if self.starts is None:
            return None
        if any(i in self.styled for i in range(start, end)):
            return "styled_unicode"
        o_start, o_end = self.to_original(start, end)
        if o_end - o_start != end - start and any(
            c in ZERO_WIDTH for c in self.original[o_start:o_end]
        ):
            return "zero_width"
        return None


_CHAR_CACHE: dict[str, str] = {}


def _nfkc(ch: str) -> str:
    out = _CHAR_CACHE.get(ch)
    if out is None:
        out = unicodedata.normalize("NFKC", ch)
        if len(_CHAR_CACHE) < 50_000:
            _CHAR_CACHE[ch] = out
    return out


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_ONE_TO_ONE = str.maketrans(_PUNCT)
_HAS_PUNCT = regex.compile("[" + "".join(_PUNCT) + "]")
# characters that need the slow path (a set: testing a text against it is ~4x faster than a
# regex character class of them)
_SLOW = frozenset(ZERO_WIDTH) | frozenset(_SMALL_CAPS) | frozenset(_CONFUSABLES)


def normalize(text: str) -> NormText:
    """Normalise `text`: NFKC, no zero-width characters, plain letters for look-alikes."""
    if text.isascii() or (unicodedata.is_normalized("NFKC", text) and _SLOW.isdisjoint(text)):
        # at most typographic punctuation to replace, one character for one: offsets unchanged
        plain = text.translate(_ONE_TO_ONE) if _HAS_PUNCT.search(text) else text
        return NormText(original=text, text=plain, lower=_lower_same_length(plain))

    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    styled: set[int] = set()
    n = len(text)
    for i, ch in enumerate(text):
        if ch in ZERO_WIDTH:
            continue
        if ch.isascii():
            out.append(ch)
            starts.append(i)
            ends.append(i + 1)
            continue
        if ch in _PUNCT:
            out.append(_PUNCT[ch])
            starts.append(i)
            ends.append(i + 1)
            continue
        repl = _SMALL_CAPS.get(ch)
        if repl is None and ch in _CONFUSABLES:
            prev_c = text[i - 1] if i > 0 else ""
            next_c = text[i + 1] if i + 1 < n else ""
            if _latin_or_hash(prev_c) or _latin_or_hash(next_c):
                repl = _CONFUSABLES[ch]
        if repl is None:
            repl = _nfkc(ch)
            is_styled = (repl != ch and repl.isascii() and repl.isalnum()) or repl == "#"
        else:
            is_styled = True
        for r in repl:
            if is_styled:
                styled.add(len(out))
            out.append(r)
            starts.append(i)
            ends.append(i + 1)
    norm = "".join(out)
    if norm == text:
        return NormText(original=text, text=text, lower=_lower_same_length(text))
    return NormText(
        original=text,
        text=norm,
        lower=_lower_same_length(norm),
        starts=starts,
        ends=ends,
        styled=frozenset(styled),
    )

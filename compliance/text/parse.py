"""Post -> ParsedPost: every surface normalised once, language known, tokens built lazily."""

from __future__ import annotations

from typing import Any

from compliance.models.post import Post
from compliance.text.langid import LanguageGuess, detect
from compliance.text.surface import Surface, join_segments

TEXT_SURFACES = ("text", "title")
MEDIA_SURFACES = ("transcript", "on_screen_text")


class ParsedPost:
    """What every detector reads. Detectors never re-parse; they ask this object."""

    def __init__(self, post: Post, platform_config: dict[str, Any]) -> None:
        self.post = post
        self.platform = str(post.platform)  # a StrEnum's str() is its value, read in C
        conf = platform_config.get(self.platform) or platform_config.get("other") or {}
        self.platform_conf = conf
        # worked out on first use (see Surface)
        self._media: set[str] | None = None
        self._language_guess: LanguageGuess | None = None
        self._language: tuple[str, float, str] | None = None
        self._doc: Any | None = None
        self.surfaces: dict[str, Surface] = {
            "text": Surface("text", post.text, conf.get("fold_chars"), conf.get("fold_lines"))
        }
        if post.title:
            self.surfaces["title"] = Surface("title", post.title)
        for name in MEDIA_SURFACES:
            segments = getattr(post, name)
            if segments:
                joined, segs = join_segments([(s.text, s.start, s.end) for s in segments])
                self.surfaces[name] = Surface(name, joined, segments=segs)

    @property
    def text(self) -> Surface:
        return self.surfaces["text"]

    @property
    def media(self) -> set[str]:
        """What kind of content this is: text, video, livestream, story."""
        got = self._media
        if got is None:
            got = self._media = self._compute_media()
        return got

    def _compute_media(self) -> set[str]:
        kinds = {"text"}
        if self.post.is_livestream:
            kinds.add("livestream")
        if self.platform_conf.get("video") or self.post.transcript or self.post.on_screen_text:
            kinds.add("video")
        if self.post.is_livestream:
            kinds.add("video")
        if self.platform_conf.get("story"):
            kinds.add("story")
        return kinds

    @property
    def _guess(self) -> LanguageGuess:
        got = self._language_guess
        if got is None:
            got = self._language_guess = detect(
                [s for name, s in self.surfaces.items() if name in ("text", "title", "transcript")]
            )
        return got

    @property
    def language(self) -> tuple[str, float, str]:
        """(code, confidence, how we know): declared > detected > undetermined."""
        got = self._language
        if got is None:
            got = self._language = self._compute_language()
        return got

    def _compute_language(self) -> tuple[str, float, str]:
        if self.post.language:
            return self.post.language, 1.0, "declared"
        guess = self._guess
        return guess.code, guess.confidence, "detected" if guess.code != "und" else "default"

    def language_evidence(self, code: str) -> float:
        """How much function-word evidence of language `code` the post has (mixed posts)."""
        return (self._guess.scores or {}).get(code, 0.0)

    @property
    def doc(self) -> Any:
        """spaCy Doc of the main text, built on first use only (see text/tokenizer.py)."""
        got = self._doc
        if got is None:
            got = self._doc = self._compute_doc()
        return got

    def _compute_doc(self) -> Any:
        from compliance.text.tokenizer import tokenize

        return tokenize(self.text.text, self.language[0])

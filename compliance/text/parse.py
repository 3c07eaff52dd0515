"""Post -> ParsedPost: every surface normalised once, language known, tokens built lazily."""

from __future__ import annotations

from typing import Any

from mypy_extensions import mypyc_attr

from compliance.lazy import lazy
from compliance.models.post import Post
from compliance.text.langid import LanguageGuess, detect
from compliance.text.surface import Surface, join_segments

TEXT_SURFACES = ("text", "title")
MEDIA_SURFACES = ("transcript", "on_screen_text")


@mypyc_attr(native_class=False)  # its `lazy` attributes live in the instance dict
class ParsedPost:
    """What every detector reads. Detectors never re-parse; they ask this object."""

    def __init__(self, post: Post, platform_config: dict[str, Any]) -> None:
        self.post = post
        self.platform = post.platform.value
        conf = platform_config.get(self.platform) or platform_config.get("other") or {}
        self.platform_conf = conf
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

    @lazy
    def media(self) -> set[str]:
        """What kind of content this is: text, video, livestream, story."""
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

    @lazy
    def _guess(self) -> LanguageGuess:
        return detect(
            [s for name, s in self.surfaces.items() if name in ("text", "title", "transcript")]
        )

    @lazy
    def language(self) -> tuple[str, float, str]:
        """(code, confidence, how we know): declared > detected > undetermined."""
        if self.post.language:
            return self.post.language, 1.0, "declared"
        guess = self._guess
        return guess.code, guess.confidence, "detected" if guess.code != "und" else "default"

    def language_evidence(self, code: str) -> float:
        """How much function-word evidence of language `code` the post has (mixed posts)."""
        return (self._guess.scores or {}).get(code, 0.0)

    @lazy
    def doc(self) -> Any:
        """spaCy Doc of the main text, built on first use only (see text/tokenizer.py)."""
        from compliance.text.tokenizer import tokenize

        return tokenize(self.text.text, self.language[0])

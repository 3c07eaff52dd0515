"""What a check sees (CheckContext) and what it returns (Draft): rules supply the parameters."""

from __future__ import annotations

from typing import Any, NamedTuple, get_args

from compliance.detectors.claims import FoundClaim
from compliance.detectors.connection import Signal
from compliance.detectors.disclosures import FoundDisclosure
from compliance.detectors.quantities import Quantity
from compliance.lexicon.schema import DisclosureKind
from compliance.lexicon.store import Lexicons
from compliance.models.report import Severity
from compliance.rules.schema import PackSettings, Rule
from compliance.text.parse import ParsedPost

# every disclosure kind says there is a deal, except a bare "thanks" and a denial
REVEALING_KINDS = frozenset(get_args(DisclosureKind)) - {"thanks", "contradiction"}
# ambiguous terms that still show the creator has a deal (#sp, #collab, #aff, #partner)
REVEALING_AMBIGUOUS = frozenset({"sponsored", "affiliate", "partnership"})
# what to say, by the nature of the connection ({brand} is filled in)
EXAMPLES = {
    "paid": "{brand} paid me for this post",
    "ad": "{brand} paid me for this post",
    "sponsored": "this post is sponsored by {brand}",
    "paid_partnership": "Paid partnership with {brand}",
    "partnership": "Paid partnership with {brand}",
    "free_product": "{brand} sent me this for free",
    "gift": "{brand} sent me this for free",
    "affiliate": "I earn a commission on purchases through the links in this post",
    "employee": "I work for {brand}",
    "owner": "{brand} is my own company",
    "family": "{brand} is my family's business",
    "contest": "#contest: this post is an entry to {brand}'s contest",
    "event": "{brand} paid for my trip",
    "loan": "{brand} lent me this",
    "other": "{brand} gave me something in return for this post",
}
CONNECTION_WORDS = {
    "paid": "paid",
    "free_product": "free product",
    "affiliate": "affiliate commission",
    "employee": "employment",
    "owner": "ownership",
    "family": "family",
    "contest": "contest entry",
    "event": "trip / event",
    "other": "other benefit",
}


class Edit(NamedTuple):
    """A fix on a surface, in normalised offsets (the engine maps them to the original)."""

    surface: str
    start: int
    end: int
    replacement: str


class Draft:
    """A finding before the rule's metadata is attached. (A plain class, not a dataclass:
    the compiled build makes its `__init__` native; a dataclass's is generated Python.)"""

    def __init__(
        self,
        surface: str = "text",
        start: int = 0,
        end: int = 0,
        start_s: float | None = None,
        end_s: float | None = None,
        values: dict[str, Any] | None = None,
        evidence: list[tuple[str, str, str, int, int, str | None]] | None = None,
        edits: list[Edit] | None = None,
        confidence: float = 1.0,
        reasons: list[str] | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.surface = surface
        self.start = start
        self.end = end
        self.start_s = start_s
        self.end_s = end_s
        self.values: dict[str, Any] = {} if values is None else values
        # (detector, pattern, surface, start, end, source)
        self.evidence = [] if evidence is None else evidence
        self.edits = [] if edits is None else edits
        self.confidence = confidence
        self.reasons = [] if reasons is None else reasons
        self.severity = severity


class Connection:
    """The post's material connection: as declared, or inferred from its signals."""

    def __init__(
        self, status: str, kinds: list[str], confidence: float, signals: list[Signal]
    ) -> None:
        self.status = status  # declared | inferred | none | unknown
        self.kinds = kinds
        self.confidence = confidence
        self.signals = signals


class CheckContext:
    def __init__(
        self,
        parsed: ParsedPost,
        settings: PackSettings,
        lexicons: Lexicons,
        disclosures: list[FoundDisclosure],
        connection: Connection,
        timeouts: list[str],
        claims: list[FoundClaim] | None = None,
        quantities: list[Quantity] | None = None,
    ) -> None:
        self.parsed = parsed
        self.post = parsed.post
        self.settings = settings
        self.lexicons = lexicons
        self.disclosures = disclosures
        self.connection = connection
        self.timeouts = timeouts
        self.claims = claims or []
        self.quantities = quantities or []
        # worked out on first use (see Surface)
        self._self_disclosed: bool | None = None
        self._connected: bool | None = None
        self._language: str | None = None
        self._brand: str | None = None
        self._of: dict[tuple[tuple[str, ...], tuple[str, ...] | None], list[FoundDisclosure]] = {}

    # --- connection -------------------------------------------------------------------------
    @property
    def self_disclosed(self) -> bool:
        """The post itself says there is a deal (a clear / uncertain / revealing term)."""
        got = self._self_disclosed
        if got is None:
            got = self._self_disclosed = self._compute_self_disclosed()
        return got

    def _compute_self_disclosed(self) -> bool:
        for d in self.disclosures:
            if d.clarity in ("clear", "uncertain") and d.kind in REVEALING_KINDS:
                return True
            if d.clarity == "ambiguous" and d.kind in REVEALING_AMBIGUOUS:
                return True
        return False

    @property
    def connected(self) -> bool:
        got = self._connected
        if got is None:
            got = self._connected = self._compute_connected()
        return got

    def _compute_connected(self) -> bool:
        c = self.connection
        if c.status == "declared":
            return True
        if c.status == "none":
            return False
        return c.status == "inferred" or self.self_disclosed

    def severity(self, rule: Rule) -> tuple[Severity, float, list[str]]:
        """Rule severity, lowered to a warning when the connection is only inferred
        (REGULATIONS.md §0.4: unknown connection -> WARN), with confidence and why."""
        c = self.connection
        if c.status == "declared":
            return rule.severity, 1.0, ["connection declared by the caller"]
        if self.self_disclosed:
            return rule.severity, 0.95, ["the post's own wording shows a commercial connection"]
        sev = Severity.warning if rule.severity == Severity.error else rule.severity
        return (
            sev,
            c.confidence,
            [
                f"connection inferred from the text (confidence {c.confidence:.2f}); "
                "declare material_connection to make this definite"
            ],
        )

    # --- disclosures ------------------------------------------------------------------------
    def of(self, *clarities: str, surfaces: tuple[str, ...] | None = None) -> list[FoundDisclosure]:
        """Disclosures of these clarities (on these surfaces), memoised per context."""
        if not self.disclosures:
            return []
        key = (clarities, surfaces)
        found = self._of.get(key)
        if found is None:
            found = self._of[key] = [
                d
                for d in self.disclosures
                if d.clarity in clarities and (surfaces is None or d.surface in surfaces)
            ]
        return found

    @property
    def language(self) -> str:
        got = self._language
        if got is None:
            got = self._language = self._compute_language()
        return got

    def _compute_language(self) -> str:
        code, conf, _how = self.parsed.language
        return code if code != "und" and conf >= 0.5 else "und"

    def label(self, kind: str = "ad", language: str | None = None) -> str:
        """The wording a fix inserts, in the post's language where we have one."""
        lang = language or self.language
        labels = self.lexicons.labels.get(lang) or self.lexicons.labels.get(
            self.settings.preferred_language, {}
        )
        key = {"free_product": "gift", "affiliate": "affiliate"}.get(kind, "ad")
        text = labels.get(key) or labels.get("ad") or "#ad"
        return text.replace("{brand}", self.brand)

    @staticmethod
    def as_prefix(label: str) -> str:
        """How a label reads at the start of a post: '#ad ...', 'Werbung: ...'."""
        if label.startswith("#") or label.rstrip().endswith((":", "|", ".", ")")):
            return label + " "
        return label + ": "

    def insert_label(self, kind: str = "ad", language: str | None = None) -> Edit:
        return Edit("text", 0, 0, self.as_prefix(self.label(kind, language)))

    def delete(self, surface: str, start: int, end: int) -> Edit:
        """Delete text[start:end] and one space next to it, so no double space is left."""
        text = self.parsed.surfaces[surface].text
        if end < len(text) and text[end] == " ":
            end += 1
        elif start > 0 and text[start - 1] == " ":
            start -= 1
        return Edit(surface, start, end, "")

    @property
    def brand(self) -> str:
        """The brand to name in fixes: declared, else the first tagged account, else generic."""
        got = self._brand
        if got is None:
            got = self._brand = self._compute_brand()
        return got

    def _compute_brand(self) -> str:
        if self.post.brands:
            return self.post.brands[0]
        for s in self.connection.signals:
            if s.detector == "brand-endorsement":
                return s.text
        mentions = self.parsed.text.mentions
        return (
            self.parsed.text.text[mentions[0].start : mentions[0].end] if mentions else "the brand"
        )

    def example(self, kind: str | None = None) -> str:
        if kind is None:
            kind = self.connection.kinds[0] if self.connection.kinds else "paid"
        return EXAMPLES.get(kind, EXAMPLES["paid"]).replace("{brand}", self.brand)

    def connection_words(self) -> str:
        kinds = self.connection.kinds or ["paid"]
        return ", ".join(CONNECTION_WORDS.get(k, k) for k in kinds)

    def evidence_of(self, d: FoundDisclosure) -> tuple[str, str, str, int, int, str | None]:
        return ("disclosures", d.pattern, d.surface, d.start, d.end, d.source)

"""Claim detection mechanics on a small lexicon written here: contexts, negation, hedging,
lemma expansion, overlaps, quantities."""

from types import SimpleNamespace

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compliance.detectors.claims import find_claims
from compliance.detectors.quantities import _WEIGHT_HINT, MONEY_RE, WEIGHT_RE, find_quantities
from compliance.lexicon.claims import _occurrence_form, compile_claims, compile_context
from compliance.lexicon.lemmas import forms
from compliance.lexicon.schema import ClaimLexicon
from compliance.models.post import Post
from compliance.text.parse import ParsedPost

LEX = ClaimLexicon.model_validate(
    {
        "language": "en",
        "contexts": {"disease": ["cancer", "diabetes", "acne"], "serious": ["cancer", "diabetes"]},
        "claims": [
            {
                "term": "cure",
                "match": "lemma",
                "category": "health_claim",
                "subtype": "cure",
                "severity": "warning",
                "requires": ["disease"],
                "escalate": {"serious": "error"},
                "source": "test",
            },
            {
                "term": "clinically proven",
                "match": "phrase",
                "category": "unsubstantiated_efficacy",
                "subtype": "establishment",
                "severity": "warning",
                "source": "test",
            },
        ],
        "qualifiers": {"negation": ["not", "won't", "doesn't", "no"], "hedge": ["may", "might"]},
    }
)
ID_LEX = ClaimLexicon.model_validate(
    {
        "language": "id",
        "contexts": {"disease": ["diabetes", "kanker"]},
        "claims": [
            {
                "term": "sembuh",
                "match": "lemma",
                "category": "health_claim",
                "subtype": "cure",
                "severity": "warning",
                "requires": ["disease"],
                "source": "test",
            }
        ],
        "qualifiers": {"negation": ["tidak", "bukan"]},
    }
)
CLAIMS, LANGS = compile_claims([LEX, ID_LEX])
LEXICONS = SimpleNamespace(claims=CLAIMS, claim_languages=LANGS)
PLATFORMS = {"other": {}}


def claims(text: str, lang: str = "en") -> list:  # type: ignore[type-arg]
    parsed = ParsedPost(Post(text=text, language=lang), PLATFORMS)
    return find_claims(parsed, LEXICONS, [])  # type: ignore[arg-type]


def test_lemma_forms_come_from_spacy_lookup_tables() -> None:
    assert {"cure", "cured", "cures", "curing"} <= set(forms("en", "cure"))
    assert "menyembuhkan" in forms("id", "sembuh")


@pytest.mark.parametrize(
    "text,severity",
    [
        ("This tea cured my diabetes", "error"),
        ("It cures acne overnight", "warning"),
        ("It may cure acne", "warning"),
        ("It may cure diabetes", "warning"),
        ("Cures acne. Clinically proven!", "warning"),
    ],
)
def test_claims_found_with_severity(text: str, severity: str) -> None:
    found = claims(text)
    assert found and found[0].severity == severity


@pytest.mark.parametrize(
    "text",
    [
        "Cured meats and cheese tonight",
        "This won't cure acne, it just smells nice",
        "It does not cure diabetes",
        "The cure for boredom is a good book",
    ],
)
def test_not_a_claim(text: str) -> None:
    assert [c for c in claims(text) if c.category == "health_claim"] == []


def test_context_must_be_in_the_same_sentence() -> None:
    assert claims("I have acne. This lotion is the cure for my bad mood") == []


def test_indonesian_affixed_forms_match_through_the_lemma() -> None:
    assert claims("Teh ini menyembuhkan diabetes!", "id")
    assert claims("Teh ini tidak menyembuhkan diabetes", "id") == []


def test_spans_point_at_the_claim() -> None:
    text = "Honestly? This cures acne ✨"
    found = claims(text)
    assert text[found[0].start : found[0].end] == "cures"


# Backtracking with a back-reference: 44 "a"s take seconds unbounded (see test_watchdog.py)
RUNAWAY = r"re:(?:(a+)\1)+b"
HOSTILE = "a" * 44
RUNAWAY_LEX = ClaimLexicon.model_validate(
    {
        "language": "en",
        "contexts": {"disease": ["acne", RUNAWAY]},
        "claims": [
            {
                "term": "cure",
                "match": "lemma",
                "category": "health_claim",
                "subtype": "cure",
                "severity": "error",
                "requires": ["disease"],
                "source": "test",
            }
        ],
        "qualifiers": {"negation": ["not"], "hedge": ["may", RUNAWAY]},
    }
)


def runaway_claims(text: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    compiled, langs = compile_claims([RUNAWAY_LEX])
    lexicons = SimpleNamespace(claims=compiled, claim_languages=langs)
    notes: list[str] = []
    parsed = ParsedPost(Post(text=text, language="en"), PLATFORMS)
    return find_claims(parsed, lexicons, notes), notes  # type: ignore[arg-type]


def test_a_context_pattern_out_of_time_is_noted_once_per_post() -> None:
    found, notes = runaway_claims(f"It cures {HOSTILE}. And it cures {HOSTILE} again")
    assert found == []  # the context could not be shown to be there
    assert notes == ["claims/en: disease"]  # tried once: the second claim does not wait again
    found, notes = runaway_claims("It cures acne")  # a word of the context: no pattern needed
    assert [c.text for c in found] == ["cures"] and notes == []


def test_a_qualifier_pattern_out_of_time_is_noted_and_the_claim_kept() -> None:
    found, notes = runaway_claims(f"{HOSTILE} cures acne")
    assert [(c.text, c.hedged, c.severity) for c in found] == [("cures", False, "error")]
    assert notes == ["claims/en: hedge"]
    found, notes = runaway_claims("It may cure acne")
    assert [(c.hedged, c.severity) for c in found] == [(True, "warning")] and notes == []


@pytest.mark.parametrize(
    "pattern,form",
    [
        (r"\w*covid\w*", "covid"),
        (r"kipu\w*|kivu\w*|\w*kipuj", "kipu|kivu|kipuj"),
        (r"#\w*(?:tea|slim)\w*", r"#\w*(?:tea|slim)"),  # only at the ends of an alternative
        (r"(?:a|b\w*)", r"(?:a|b\w*)"),  # inside a group: kept
        (r"x\\w*", r"x\\w*"),  # a backslash, then "w"s: not a word-character class
        (r"\w*", r"\w*"),  # nothing else: kept
    ],
)
def test_context_patterns_drop_word_runs_at_their_ends(pattern: str, form: str) -> None:
    assert _occurrence_form(pattern) == form


@pytest.mark.parametrize(
    "window,present",
    [("post covid era", True), ("postcovid19 era", True), ("co vid", False), ("kivulias", True)],
)
def test_context_patterns_occur_where_they_did(window: str, present: bool) -> None:
    ctx = compile_context([r"re:\w*covid\w*", r"re:kipu\w*|kivu\w*"], {})
    notes: list[str] = []
    assert ctx.search(window, set(window.split()), notes, "test") is present
    # one 30,000-letter word: searched as written, "\w*covid" runs out of time on it
    assert ctx.search("x" * 30_000, set(), notes, "test") is False
    assert notes == []


def test_a_money_scan_out_of_time_is_noted() -> None:
    # "1..1..1..": each "1" begins a scan to the end of the run (the look-behind of MONEY_RE
    # only skips starts a digit or two into a number); 60,000 characters run out of time
    notes: list[str] = []
    text = "Made $5000 " + "1.." * 20_000
    assert find_quantities(ParsedPost(Post(text=text), PLATFORMS), notes) == []
    assert notes == ["quantities: money"]
    assert find_quantities(ParsedPost(Post(text="I made $8,000 last month"), PLATFORMS), [])


def test_a_long_run_of_digits_is_scanned_in_time() -> None:
    # each digit of the run began a scan to its end: 4,000 digits took 1.8 s, 20,000 ran out
    # of time
    notes: list[str] = []
    text = "Made $5000 " + "1" * 20_000
    found = find_quantities(ParsedPost(Post(text=text), PLATFORMS), notes)
    assert notes == [] and [q.kind for q in found] == ["money"]


_MONEY_FREE = regex.compile(MONEY_RE.pattern.replace(r"(?<!\d[\d,.]?)", ""), regex.IGNORECASE)


@settings(max_examples=400)
@given(
    st.lists(
        st.sampled_from(["1", "25", ",", ".", " ", "k", "jt", "juta", "per", "/", "x"]),
        max_size=10,
    ).map("".join)
)
@example("...5 juta per bulan")  # a number after separators: its first digit must start
@example("x,1k per")
@example("1,1,1,2k per")
def test_the_money_look_behind_finds_what_each_start_would(text: str) -> None:
    """Without a currency sign, skipping starts a digit or two into a number changes nothing:
    a start earlier in the same run reached the same end and read the same after it."""
    assert MONEY_RE.pattern != _MONEY_FREE.pattern
    assert [m.span() for m in MONEY_RE.finditer(text)] == [
        m.span() for m in _MONEY_FREE.finditer(text)
    ]


@pytest.mark.parametrize(
    "text,kind,amount,rate",
    [
        ("I lost 20 lbs in 2 weeks", "weight", 20.0, 10.0),
        ("Turun 5 kg dalam 1 bulan", "weight", 11.0, 2.53),
        ("lost nearly 4 stone", "weight", 56.0, None),
        ("I've lost 2st since June", "weight", 28.0, None),  # a unit right after the number
        ("down 12 whole pounds", "weight", 12.0, None),  # one word between number and unit
        ("I made $8,000 last month", "money", 8000.0, None),
        ("penghasilan 10 juta per bulan", "money", 10_000_000.0, None),
    ],
)
def test_quantities(text: str, kind: str, amount: float, rate: float | None) -> None:
    qs = find_quantities(ParsedPost(Post(text=text), PLATFORMS))
    assert qs and qs[0].kind == kind and qs[0].amount == pytest.approx(amount, rel=0.01)
    if rate is not None:
        assert qs[0].rate_per_week == pytest.approx(rate, rel=0.02)


@pytest.mark.parametrize("text", ["These boots were $80", "I lost my keys", "Top 10 kg lifts"])
def test_no_result_quantities(text: str) -> None:
    assert find_quantities(ParsedPost(Post(text=text), PLATFORMS)) == []


_SPACES = st.sampled_from(["", " ", "  ", "\n", "\t", "\u00a0"])


@given(
    st.tuples(
        st.sampled_from(["", "x", "Lost", "down", "-", "turun", "#"]),
        _SPACES,
        st.sampled_from(["", "nearly ", "über "]),
        st.sampled_from(["12", "3.5", "٣", "2,5", "a"]),
        _SPACES,
        st.sampled_from(["", "whole ", "é ", "kilo\n", "½ "]),
        st.sampled_from(["LBS", "st", "stone", "pounds", "kg", "Kilo", "ſt", "x"]),
        st.sampled_from(["", " in 2 weeks", "y", "_", "!"]),
    ).map("".join)
)
def test_weight_hint_is_found_wherever_a_weight_is(text: str) -> None:
    """The cheap hint that lets WEIGHT_RE run must hold wherever WEIGHT_RE matches."""
    if WEIGHT_RE.search(text):
        assert _WEIGHT_HINT.search(text), text

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import regex

from compliance.errors import ComplianceError
from compliance.lexicon.prefilter import required_literals
from compliance.lexicon.schema import DisclosureLexicon, SignalLexicon, load_yaml_model
from compliance.lexicon.store import load_lexicons
from compliance.rules.pack import default_rules_dir

RULES = default_rules_dir()
LANGS = ("en", "id", "de", "fr", "es", "nl", "sv", "fi", "it", "pt")


def test_every_language_has_a_disclosure_lexicon_with_an_ad_label() -> None:
    lex = load_lexicons(RULES)
    for lang in LANGS:
        assert lang in lex.labels, f"no disclosure lexicon for {lang}"
        assert lex.labels[lang].get("ad"), f"{lang} has no 'ad' label for fixes"


@pytest.mark.parametrize(
    "path", sorted((RULES / "lexicons" / "disclosure").glob("*.yaml")), ids=lambda p: p.stem
)
def test_disclosure_lexicon_entries(path: Path) -> None:
    lex = load_yaml_model(path, DisclosureLexicon)
    assert lex.language == path.stem
    seen = set()
    for e in lex.entries:
        assert (e.term, e.match) not in seen, f"duplicate {e.term!r}"
        seen.add((e.term, e.match))
        assert e.source.strip()
        if e.match == "regex":
            regex.compile(e.term.replace("{brand}", "X"), regex.I)


@pytest.mark.parametrize(
    "path", sorted((RULES / "lexicons" / "signals").glob("*.yaml")), ids=lambda p: p.stem
)
def test_signal_lexicon_entries(path: Path) -> None:
    lex = load_yaml_model(path, SignalLexicon)
    assert lex.language == path.stem
    assert lex.signals


def test_every_lexicon_pattern_compiles() -> None:
    lex = load_lexicons(RULES)
    for compiled in (lex.disclosures, lex.signals, lex.claims):
        compiled.compile_all()
        assert all(p is not None for p in compiled._compiled)


def test_a_broken_pattern_is_named_when_compiled() -> None:
    from compliance.errors import ComplianceError
    from compliance.lexicon.matcher import CompiledLexicon
    from compliance.lexicon.schema import SignalEntry

    entry = SignalEntry.model_validate(
        {
            "term": "free (stuff",
            "match": "regex",
            "kind": "free_product",
            "strength": "weak",
            "source": "test",
        }
    )
    compiled = CompiledLexicon([("en", entry)], "signals")
    with pytest.raises(ComplianceError) as info:
        compiled.compile_all()
    assert info.value.code == "E106" and "free (stuff" in str(info.value)


def test_prefilter_covers_most_patterns() -> None:
    lex = load_lexicons(RULES)
    for compiled in (lex.disclosures, lex.signals):
        assert len(compiled.always) <= max(3, len(compiled.patterns) // 10), [
            compiled.patterns[i][2].term for i in compiled.always
        ]


@pytest.mark.parametrize(
    "pattern,text",
    [
        (r"(thanks|thank you|ty) (to )?\w+", "ty acme"),
        (r"sponsored\s+by\s+\w+", "Sponsored   by Acme"),
        (r"(i|we) (get|earn) (a )?commissions?", "We earn a commission"),
        (r"not (a )?(sponsored|an ad)", "not an ad"),
    ],
)
def test_required_literals_are_in_every_match(pattern: str, text: str) -> None:
    lits = required_literals(pattern)
    assert lits
    m = regex.search(pattern, text, regex.I)
    assert m and any(lit in m.group(0).lower() for lit, _word_start in lits)


def test_broken_lexicon_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "xx.yaml"
    bad.write_text(
        "language: xx\nlabels: {ad: '#ad'}\nentries:\n  - {term: ad, match: hashtag, "
        "kind: ad, clarity: crystal, source: s}\n"
    )
    with pytest.raises(ComplianceError) as err:
        load_yaml_model(bad, DisclosureLexicon)
    assert err.value.code == "E103" and "clarity" in err.value.message


def test_affiliate_networks() -> None:
    aff = load_lexicons(RULES).affiliate
    assert aff.match("https://amzn.to/3xYz12") is not None
    assert aff.match("https://www.amazon.com/dp/B0?tag=mia-20") is not None
    assert aff.match("https://www.amazon.com/dp/B0") is None
    assert aff.match("https://liketk.it/4abc") is not None
    assert aff.match("https://example.com/page") is None


def test_a_made_up_host_is_not_looked_up_but_its_parameters_are() -> None:
    aff = load_lexicons(RULES).affiliate
    host = "shop." + "a." * 130 + "amazon.com"  # 275 characters: longer than a host can be
    assert aff.match(f"https://{host}/dp/B0?tag=mia-20") is None  # amazon.com's parameter
    assert aff.match(f"https://{host}/dp/B0?aff_id=7") is not None  # any network's
    assert aff.match(f"https://{host[-200:]}/dp/B0?tag=mia-20") is not None


def test_literal_index_never_hides_a_match() -> None:
    """Over labeled fixture posts: every pattern that matches is a candidate of the literal
    index (a claim pattern: when the contexts it requires occur in the text, as it can only be
    a claim then), and when it is tried only at its leading offsets, every match starts at
    one."""
    import json

    from compliance.text.surface import WORD_RE, Surface

    lex = load_lexicons(RULES)
    texts = []
    for path in sorted((Path(__file__).parent.parent / "fixtures" / "labeled").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        texts += [r["text"] for r in rows[::6] if r.get("text")]
    assert len(texts) > 60
    checked = 0
    for text in texts:
        surface = Surface("text", text)
        possible = partial(_contexts_occur, lex, surface.lower, set(WORD_RE.findall(surface.lower)))
        checked += _matches_are_candidates(lex.disclosures, surface)
        checked += _matches_are_candidates(lex.signals, surface)
        checked += _matches_are_candidates(lex.claims, surface, possible)
    assert checked > 50


def _contexts_occur(lex: Any, lower: str, words: set[str], lang: str, entry: Any) -> bool:
    contexts = lex.claim_languages[lang].contexts
    notes: list[str] = []
    found = all(contexts[n].search(lower, words, notes, n) for n in entry.requires)
    assert notes == []
    return found


def _matches_are_candidates(
    compiled: Any, surface: Any, possible: Callable[[str, Any], bool] | None = None
) -> int:
    """Asserts that every pattern of `compiled` that matches in `surface` (and that `possible`
    lets count) is a candidate of the literal index, and, when it is tried at its leading
    offsets only, that every match starts at one; returns how many patterns matched."""
    index = compiled.index
    cands, pairs = index.search(surface.lower, surface.word_text, None)
    checked = 0
    for idx in range(len(compiled.patterns)):
        starts = [m.start() for m in compiled.matches(idx, surface.text)]
        if not starts:
            continue
        lang, entry = compiled.patterns[idx][1:]
        if possible is not None and not possible(lang, entry):
            continue
        checked += 1
        assert idx in cands or idx in compiled.always, entry.term
        offsets = index.lead_offsets(idx, index.occurrences(pairs))
        if offsets is not None:
            assert set(starts) <= set(offsets), entry.term
    return checked


def test_digit_runs_give_literals_in_every_script() -> None:
    """`\\d+k` yields "0k".."9k" as a literal group, and the word text writes a decimal digit of
    any script in ASCII, so the prefilter still finds "٣k weeks" (Arabic-Indic three)."""
    from compliance.lexicon.prefilter import literal_groups
    from compliance.text.surface import Surface

    groups = literal_groups(r"\b\d+k\s+(?:months?|weeks?)\b")
    assert {(f"{d}k", False) for d in "0123456789"} in groups
    assert " 3k weeks" in Surface("text", "made ٣k weeks").word_text
    assert " 3k weeks" in Surface("text", "made 3k weeks").word_text
    assert "k weeks" in Surface("text", "made ok weeks").word_text
    assert "0k" not in Surface("text", "made ok weeks").word_text


def test_long_literals_are_cut_and_still_find_their_phrase() -> None:
    """Automaton keys are at most MAX_KEY_CHARS long (a prefix occurs wherever its literal
    does); a phrase whose literals are longer than that is still a candidate, tried where it
    begins."""
    from compliance.lexicon.literals import MAX_KEY_CHARS
    from compliance.text.surface import Surface

    lex = load_lexicons(RULES)
    keys = [key for by_key in lex.disclosures.index._keys.values() for key in by_key]
    assert keys and max(map(len, keys)) == MAX_KEY_CHARS
    text = "Urlaubsgrüße! Dieser Beitrag enthält bezahlte Werbung für @hotelalpen"
    assert _matches_are_candidates(lex.disclosures, Surface("text", text))

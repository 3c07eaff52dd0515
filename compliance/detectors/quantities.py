"""Detector: quantified results: weight lost (and how fast) and money made.

"I lost 30 lbs in 2 weeks", "-10 kg dalam sebulan", "nearly 4 stone", "£1730 profits in the
last 2 days", "$8k a month", "penghasilan 10 juta per bulan". The numbers decide whether a
result is dramatic (FTC Gut Check: more than 15 lb, or 2 lb a week for a month or more; more
than 3 lb a week is not credible) and whether people must be told what is typical.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import regex

from compliance.lexicon.matcher import bounded_finditer
from compliance.text.parse import ParsedPost

LB_PER = {"lb": 1.0, "kg": 2.2046, "stone": 14.0}
WEEKS_PER = {"day": 1 / 7, "week": 1.0, "month": 4.345, "year": 52.18}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "satu": 1,
    "se": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}

_UNIT = r"(?P<unit>lbs?|pounds?|kgs?|kilos?|kilograms?|kilogram|stones?|st)"
WEIGHT_RE = regex.compile(
    r"(?<![\p{L}\p{N}])(?P<verb>lost|lose|losing|loses|dropped|drop|shed|shedding|down|minus|"
    r"turun|susut|berkurang|hilang|abnehmen|abgenommen|perdu|perdre|perdí|perder|perso|"
    r"afgevallen|gått ner|laihduin|-)\s*(?:almost|nearly|over|about|around|up to|more than|"
    r"hampir|sekitar|lebih dari|fast|über|près de|plus de|casi|más de|quasi|bijna|ungefär|"
    r"lähes)?\s*(?P<num>\d+(?:[.,]\d+)?)\s*(?:[\p{L}]+\s+)?" + _UNIT + r"(?![\p{L}])",
    regex.IGNORECASE,
)
TIME_RE = regex.compile(
    r"^.{0,30}?(?:in|within|dalam|selama|after|over|in just|in only|en|in nur|på|i)\s+"
    r"(?:the\s+)?(?:last\s+|past\s+|first\s+)?(?:just\s+|only\s+|nur\s+)?(?P<tnum>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|twelve|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|se)\s*-?\s*"
    r"(?P<tunit>days?|weeks?|months?|years?|hari|minggu|pekan|bulan|tahun|tage?n?|wochen?|"
    r"monate?n?|jours?|semaines?|mois|días?|semanas?|meses?|dagar|veckor|månader)\b",
    regex.IGNORECASE,
)
_TIME_UNIT = {
    "day": "day",
    "hari": "day",
    "tag": "day",
    "jour": "day",
    "día": "day",
    "dag": "day",
    "week": "week",
    "minggu": "week",
    "pekan": "week",
    "woche": "week",
    "semaine": "week",
    "semana": "week",
    "vecka": "week",
    "veck": "week",
    "month": "month",
    "bulan": "month",
    "monat": "month",
    "mois": "month",
    "mes": "month",
    "månad": "month",
    "year": "year",
    "tahun": "year",
}
# The second form does not begin a digit or two into a number ("(?<!\d[\d,.]?)"). A start
# earlier in the same run reached the same end (no amount word begins with a digit or a
# separator) and read the same after it, so a later one finds nothing new; only where the
# first form ended inside a run ("$5" of "$5,000kper") is a later start skipped that would
# have found something ("000kper", no amount). Without the look-behind, each digit of a long
# run began a scan to the run's end: 4,000 digits took 1.8 s.
MONEY_RE = regex.compile(
    r"(?P<cur>[$£€]|rp\.?\s?|usd\s?|idr\s?|eur\s?)(?P<num>\d[\d,.]*)\s?(?P<mult>k|m|rb|ribu|juta|jt"
    r"|million|thousand|grand)?(?![\p{L}\p{N}])"
    r"|(?<!\d[\d,.]?)(?P<num2>\d[\d,.]*)\s?(?P<mult2>juta|jt|ribu|rb|k)\s?"
    r"(?:rupiah|per|/|sehari|sebulan)",
    regex.IGNORECASE,
)
EARN_CONTEXT = regex.compile(
    r"(?<![\p{L}])(?:made|make|makes|making|earn|earns|earned|earning|earnings|profit|profits|"
    r"income|revenue|paid me|pays me|cash|commission|payout|per day|per week|per month|a day|"
    r"a week|a month|/day|/week|/month|/mo|monthly|weekly|daily|passive|penghasilan|cuan|"
    r"untung|omzet|gaji|dapat|dapet|verdient|verdiene|gagné|gagne|gané|gano|guadagnato|"
    r"tjänat|ansaitsin)(?![\p{L}])",
    regex.IGNORECASE,
)
# What every WEIGHT_RE match holds, found by the standard library's engine in far less time
# than WEIGHT_RE takes to scan a caption: a number, then (past at most one word) a unit. It
# allows more than WEIGHT_RE ([^\W\d_] holds every letter and a few other characters), never
# less, so a caption it does not match has no weight result.
_WEIGHT_HINT = re.compile(r"\d\s*(?:[^\W\d_]+\s+)?(?:lb|pound|kg|kilo|st)", re.IGNORECASE)
# the word text writes every decimal digit in ASCII (Surface.word_text)
_ASCII_DIGIT = re.compile(r"[0-9]")
_MONEY_HINTS = ("$", "£", "€", "rp", "usd", "idr", "eur", "juta", "jt", "ribu", "rb")
_MULT = {
    "k": 1e3,
    "thousand": 1e3,
    "grand": 1e3,
    "rb": 1e3,
    "ribu": 1e3,
    "m": 1e6,
    "million": 1e6,
    "juta": 1e6,
    "jt": 1e6,
}


class Quantity(NamedTuple):
    kind: str  # weight | money
    surface: str
    start: int
    end: int
    text: str
    amount: float  # lb for weight, currency units for money
    weeks: float | None  # over how long, when said
    rate_per_week: float | None


_GROUPED = regex.compile(r"\d{1,3}(?:[.,]\d{3})+")  # "1,250" / "1.250.000": separators of thousands
_SEPARATOR = regex.compile(r"[.,]")


def _number(raw: str) -> float:
    raw = raw.strip()
    if _GROUPED.fullmatch(raw):
        return float(_SEPARATOR.sub("", raw))
    return float(raw.replace(",", "."))


def _weeks(after: str) -> float | None:
    m = TIME_RE.search(after)
    if not m:
        return None
    raw = m.group("tnum").lower()
    n = float(raw) if raw.isdigit() else float(NUMBER_WORDS.get(raw, 1))
    unit = m.group("tunit").lower().rstrip("s")
    for key, norm in _TIME_UNIT.items():
        if unit.startswith(key):
            return n * WEEKS_PER[norm]
    return None


def find_quantities(parsed: ParsedPost, timeouts: list[str] | None = None) -> list[Quantity]:
    """Weight and money results in every surface; the two scans are time-bounded (a long run
    of digits after a currency sign made the money scan quadratic), a scan out of time is
    noted in `timeouts` (E301 without it)."""
    out: list[Quantity] = []
    for name in ("title", "text", "transcript", "on_screen_text"):
        surface = parsed.surfaces.get(name)
        if surface is None:
            continue
        if _ASCII_DIGIT.search(surface.word_text) is None:
            continue
        text = surface.text
        has_weight = _WEIGHT_HINT.search(text) is not None
        low = surface.lower
        has_money = any(u in low for u in _MONEY_HINTS)
        for m in (
            bounded_finditer(WEIGHT_RE, text, "quantities: weight", timeouts) if has_weight else ()
        ):
            unit = m.group("unit").lower()
            key = "kg" if unit.startswith("k") else "stone" if unit.startswith("st") else "lb"
            amount = _number(m.group("num")) * LB_PER[key]
            weeks = _weeks(text[m.end() : m.end() + 60])
            rate = amount / weeks if weeks else None
            out.append(
                Quantity(
                    "weight",
                    name,
                    m.start(),
                    m.end(),
                    m.group(0),
                    round(amount, 1),
                    weeks,
                    round(rate, 2) if rate else None,
                )
            )
        for m in (
            bounded_finditer(MONEY_RE, text, "quantities: money", timeouts) if has_money else ()
        ):
            line_start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 60)
            near = text[line_start : m.end() + 60]
            if not EARN_CONTEXT.search(near):
                continue
            raw = m.group("num") or m.group("num2")
            mult = (m.group("mult") or m.group("mult2") or "").lower()
            try:
                amount = _number(raw.rstrip(".,")) * _MULT.get(mult, 1.0)
            except ValueError:
                continue
            out.append(
                Quantity(
                    "money",
                    name,
                    m.start(),
                    m.end(),
                    m.group(0),
                    amount,
                    _weeks(text[m.end() : m.end() + 60]),
                    None,
                )
            )
    return out

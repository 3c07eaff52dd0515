"""Numbered engine errors. The API and CLI return these codes; never reuse a number.

E0xx input, E1xx rule packs and lexicons, E2xx evaluation, E3xx runtime limits.
"""

from __future__ import annotations

from typing import Any

ERRORS: dict[str, str] = {
    "E001": "The post is not valid: {detail}",
    "E002": "The input line is not valid JSON: {detail}",
    "E003": "The text is longer than the limit of {limit} characters ({length} given) in field '{field}'",
    "E004": "The input file could not be read: {detail}",
    "E005": "Unknown input format '{detail}'",
    "E006": "The CSV file '{path}' has no column for the post text (looked for {looked}); name it with --column text=COLUMN",
    "E007": "'{path}' is not in the shape of a {fmt} export: {detail}",
    "E008": "The output folder '{path}' holds an audit of other inputs or options ({detail}); add --restart to start it again, or choose another folder",
    "E009": "A column mapping is not valid: {detail}",
    "E010": "The CSV record at line {line} of '{path}' is not valid: {detail}",
    "E011": "Checking this post failed inside the engine ({detail}); the rest of the batch goes on",
    "E101": "Rule pack '{pack}' not found (looked in {where})",
    "E102": "Rule file '{path}' is not valid: {detail}",
    "E103": "Lexicon file '{path}' is not valid: {detail}",
    "E104": "Rule id '{rule_id}' is defined twice in pack '{pack}'",
    "E105": "Rule '{rule_id}' uses unknown check kind '{kind}'",
    "E106": "Pattern in '{where}' does not compile: {detail}",
    "E107": "Rule '{rule_id}' has no must-flag or no must-not-flag example",
    "E108": "Unknown rule id '{rule_id}'",
    "E109": "Platform configuration '{path}' is not valid: {detail}",
    "E201": "Evaluation corpus '{path}' line {line} is not valid: {detail}",
    "E301": "A pattern timed out after {seconds}s in '{where}'",
}


class ComplianceError(Exception):
    """An error with a stable code (``E###``) and a message naming what is wrong."""

    def __init__(self, code: str, **fields: Any) -> None:
        if code not in ERRORS:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.fields = fields
        try:
            self.message = ERRORS[code].format(**fields)
        except KeyError as missing:  # a programming error: keep the code, say what is missing
            self.message = f"{ERRORS[code]} (missing field {missing})"
        super().__init__(f"{code}: {self.message}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            **{k: v for k, v in self.fields.items() if isinstance(v, str | int | float)},
        }

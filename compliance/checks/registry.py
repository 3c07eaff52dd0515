"""The closed set of check kinds. Rules name one of these; new behaviour is code plus tests.

Explicit registration in one place (a test pins the set); importing a module registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from compliance.checks import claims, custom, disclosure, media
from compliance.checks.base import CheckContext, Draft
from compliance.rules.schema import Rule

CheckFn = Callable[[CheckContext, Rule], list[Draft]]

CHECKS: dict[str, CheckFn] = {
    "connection-without-disclosure": disclosure.connection_without_disclosure,
    "disclosure-term-clarity": disclosure.disclosure_term_clarity,
    "disclosure-placement": disclosure.disclosure_placement,
    "disclosure-language": disclosure.disclosure_language,
    "disclosure-contradicted": disclosure.disclosure_contradicted,
    "disclosure-obfuscated": disclosure.disclosure_obfuscated,
    "connection-nature": disclosure.connection_nature,
    "affiliate-link-position": disclosure.affiliate_link_position,
    "amazon-associates-statement": disclosure.amazon_associates_statement,
    "disclosure-channel": media.disclosure_channel,
    "claim-phrase": claims.claim_phrase,
    "claim-quantity": claims.claim_quantity,
    "claim-typicality": claims.claim_typicality,
    "required-term": custom.required_term,
    "forbidden-term": custom.forbidden_term,
}

CHECK_KINDS = frozenset(CHECKS)

# What a check kind cannot do without: the engine skips it when the post lacks it (a check
# would return nothing anyway; skipping saves the call on the many posts that have neither).
NEEDS: dict[str, frozenset[str]] = {
    "connection-without-disclosure": frozenset({"connection"}),
    "disclosure-term-clarity": frozenset({"connection", "disclosures"}),
    "disclosure-placement": frozenset({"connection", "disclosures"}),
    "disclosure-language": frozenset({"connection", "disclosures"}),
    "disclosure-contradicted": frozenset({"connection", "disclosures"}),
    "disclosure-obfuscated": frozenset({"disclosures"}),
    "connection-nature": frozenset({"connection", "disclosures"}),
    "affiliate-link-position": frozenset({"disclosures", "affiliate_links"}),
    "amazon-associates-statement": frozenset({"affiliate_links"}),
    "disclosure-channel": frozenset({"connection"}),
    "claim-phrase": frozenset({"claims"}),
    "claim-quantity": frozenset({"quantities"}),
    "claim-typicality": frozenset({"claims_or_quantities"}),
    "required-term": frozenset(),
    "forbidden-term": frozenset(),
}


def rule_needs(rule: Rule) -> frozenset[str]:
    """What a rule cannot do without: its check kind's needs, narrowed for a claim rule of
    one category to a claim of that category ("claims:health_claim"), so the claim rules of
    other categories are not run on a post that has only one kind of claim."""
    needs = NEEDS[rule.check]
    categories = rule.params.get("categories")
    if rule.check == "claim-phrase" and isinstance(categories, list) and len(categories) == 1:
        return (needs - {"claims"}) | {f"claims:{categories[0]}"}
    return needs

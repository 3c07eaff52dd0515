"""Affiliate links: hosts, path prefixes and query parameters of affiliate networks."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from compliance.lexicon.schema import AffiliateHost, AffiliateLexicon, AffiliateParam

# The longest a host name can be (RFC 1035 §2.3.4, in its written form); a longer "host" is
# made up, and trying each of its parents costs time quadratic in its length (5.8 s for
# 99,000 characters of "www.a")
MAX_HOST_CHARS = 253


@dataclass(frozen=True, slots=True)
class LinkMatch:
    network: str
    strength: str  # strong | moderate
    reason: str  # which host / parameter matched
    source: str


def split_url(url: str) -> tuple[str, str, dict[str, str]]:
    """(host without www., path, query parameters in lower case) of a possibly scheme-less URL."""
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", "", {}
    if host.startswith("www."):
        host = host[4:]
    params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    return host, parts.path or "/", params


class AffiliateMatcher:
    def __init__(self, lexicon: AffiliateLexicon | None = None) -> None:
        """With no lexicon: matches nothing (what unpickling starts from in the compiled
        build, which calls `__init__()` and then sets the pickled attributes)."""
        if lexicon is None:
            lexicon = AffiliateLexicon(hosts=[], params=[])
        self.exact: dict[str, list[AffiliateHost]] = {}
        self.suffix: dict[str, list[AffiliateHost]] = {}  # "*.sjv.io" -> key "sjv.io"
        self.any_tld: dict[str, list[AffiliateHost]] = {}  # "amazon.*" -> key "amazon"
        for h in lexicon.hosts:
            host = h.host.lower()
            if host.startswith("www."):
                host = host[4:]
            if host.startswith("*."):
                self.suffix.setdefault(host[2:], []).append(h)
            elif host.endswith(".*"):
                self.any_tld.setdefault(host[:-2], []).append(h)
            else:
                self.exact.setdefault(host, []).append(h)
        self.params: dict[str, AffiliateParam] = {p.name.lower(): p for p in lexicon.params}

    def _candidates(self, host: str) -> list[AffiliateHost]:
        if len(host) > MAX_HOST_CHARS:
            return []  # not a host name: and each parent below would be a join of the rest
        out = list(self.exact.get(host, ()))
        labels = host.split(".")
        for i in range(len(labels) - 1):
            parent = ".".join(labels[i:])
            out.extend(self.suffix.get(parent, ()))
            if i > 0:
                out.extend(self.exact.get(parent, ()) if parent != host else ())
        for i in range(1, len(labels)):
            out.extend(self.any_tld.get(".".join(labels[:i]), ()))
        return out

    def match(self, url: str) -> LinkMatch | None:
        host, path, params = split_url(url)
        if not host:
            return None
        for h in self._candidates(host):
            if h.path and not path.lower().startswith(h.path.lower()):
                continue
            if h.param and h.param.lower() not in params:
                continue
            reason = h.host + (h.path or "") + (f"?{h.param}=" if h.param else "")
            return LinkMatch(h.network, "strong", reason, h.source)
        for name in params:
            p = self.params.get(name)
            if p is not None:
                return LinkMatch(
                    p.network or "unknown network", p.strength, f"?{p.name}=", p.source
                )
        return None

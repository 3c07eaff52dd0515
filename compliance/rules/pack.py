"""Rule packs: a folder of rule files plus a manifest, validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from compliance.errors import ComplianceError
from compliance.lexicon.schema import SAFE_LOADER, load_yaml_model
from compliance.rules.schema import PackManifest, Rule

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_rules_dir() -> Path:
    """The rules shipped with the package (wheel) or beside it (source checkout)."""
    for candidate in (PACKAGE_DIR / "_rules", PACKAGE_DIR.parent / "rules"):
        if (candidate / "lexicons").is_dir():
            return candidate
    raise ComplianceError(
        "E101", pack="(all)", where=f"{PACKAGE_DIR / '_rules'}, {PACKAGE_DIR.parent / 'rules'}"
    )


@dataclass(frozen=True)
class Pack:
    manifest: PackManifest
    rules: tuple[Rule, ...]
    path: Path

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def version(self) -> str:
        return self.manifest.version

    def rule(self, rule_id: str) -> Rule:
        rule_id = self.manifest.redirects.get(rule_id, rule_id)
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise ComplianceError("E108", rule_id=rule_id)


def _load_rule(path: Path) -> Rule:
    rule: Rule = load_yaml_model(path, Rule, code="E102")
    if rule.id != path.stem:
        raise ComplianceError(
            "E102", path=str(path), detail=f"id '{rule.id}' must equal the file name"
        )
    return rule


def load_pack_dir(path: Path, known_checks: frozenset[str]) -> Pack:
    manifest_path = path / "pack.yaml"
    if not manifest_path.is_file():
        raise ComplianceError("E101", pack=path.name, where=str(path))
    manifest: PackManifest = load_yaml_model(manifest_path, PackManifest, code="E102")
    rules: list[Rule] = []
    if manifest.extends:
        parent = load_pack_dir(path.parent / manifest.extends, known_checks)
        rules.extend(parent.rules)
    seen = {r.id for r in rules}
    for rule_path in sorted(path.glob("*.yaml")):
        if rule_path.name == "pack.yaml":
            continue
        rule = _load_rule(rule_path)
        if rule.id in seen:
            raise ComplianceError("E104", rule_id=rule.id, pack=manifest.name)
        if rule.check not in known_checks:
            raise ComplianceError("E105", rule_id=rule.id, kind=rule.check)
        if not rule.examples.must_flag or not rule.examples.must_not_flag:
            raise ComplianceError("E107", rule_id=rule.id)
        seen.add(rule.id)
        rules.append(rule)
    return Pack(manifest=manifest, rules=tuple(rules), path=path)


def resolve_pack(name_or_path: str, rules_dir: Path | None = None) -> Path:
    candidate = Path(name_or_path)
    if (candidate / "pack.yaml").is_file():
        return candidate.resolve()
    base = rules_dir or default_rules_dir()
    if (base / name_or_path / "pack.yaml").is_file():
        return (base / name_or_path).resolve()
    raise ComplianceError("E101", pack=name_or_path, where=str(base))


@lru_cache(maxsize=16)
def load_pack(path: Path, known_checks: frozenset[str]) -> Pack:
    return load_pack_dir(path, known_checks)


def available_packs(rules_dir: Path | None = None) -> list[str]:
    base = rules_dir or default_rules_dir()
    return sorted(p.parent.name for p in base.glob("*/pack.yaml"))


def read_platforms(rules_dir: Path) -> dict[str, dict[str, object]]:
    path = rules_dir / "platforms.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        platforms = data["platforms"]
        if not isinstance(platforms, dict):
            raise TypeError("'platforms' must be a mapping")
        return platforms
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ComplianceError("E109", path=str(path), detail=str(exc)) from exc

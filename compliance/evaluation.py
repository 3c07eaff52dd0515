"""Accuracy over labeled posts: per-category precision / recall / F1 and verdict confusion."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from compliance.engine import Checker
from compliance.errors import ComplianceError
from compliance.io.readers import split_record
from compliance.models.report import CLAIM_CATEGORIES, DISCLOSURE_CATEGORIES, Category

# corpus label -> finding category (shared/corpus/README.md uses a few older names)
LABEL_MAP = {"ambiguous_term": "ambiguous_disclosure", "fake_review": "review_integrity"}
NEUTRAL_LABELS = frozenset({"disclosure_ok", "no_issue", "other"})
DISCLOSURE_POSITIVE = frozenset({"undisclosed", "inadequate"})
DISCLOSURE_NEGATIVE = frozenset({"adequate", "no_connection"})
LABEL_FIELDS = ("verdict", "labels", "reason", "source_kind", "source_url", "year", "partial")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, gold: bool, pred: bool) -> None:
        if gold and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif gold:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class EvalResult:
    posts: int = 0
    disclosure: Counts = field(default_factory=Counts)
    any_claim: Counts = field(default_factory=Counts)
    categories: dict[str, Counts] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "disclosure_problem": self.disclosure.as_dict(),
            "any_claim": self.any_claim.as_dict(),
            "categories": {k: v.as_dict() for k, v in sorted(self.categories.items())},
            "verdict_confusion": {f"{g} -> {p}": n for (g, p), n in sorted(self.confusion.items())},
            "misclassified": self.errors,
        }


def gold_categories(labels: list[str]) -> set[str]:
    out = set()
    for label in labels:
        label = LABEL_MAP.get(label, label)
        if label in NEUTRAL_LABELS:
            continue
        out.add(label)
    return out


def _load(paths: list[Path]) -> list[tuple[str, int, dict[str, Any]]]:
    rows = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ComplianceError("E004", detail=f"{path}: {exc.strerror}") from exc
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ComplianceError("E201", path=str(path), line=n, detail=exc.msg) from exc
            if "verdict" not in rec or "labels" not in rec:
                raise ComplianceError(
                    "E201", path=str(path), line=n, detail="needs 'verdict' and 'labels'"
                )
            rows.append((str(path), n, rec))
    return rows


def evaluate(checker: Checker, paths: list[Path], use_declared: bool = True) -> EvalResult:
    result = EvalResult()
    known = {c.value for c in Category}
    for path, n, rec in _load(paths):
        labels = {k: rec[k] for k in LABEL_FIELDS if k in rec}
        record = {k: v for k, v in rec.items() if k not in LABEL_FIELDS and k != "language"}
        if not use_declared:
            record["material_connection"] = "unknown"
        report = checker.check(split_record(record))
        result.posts += 1
        predicted = {f.category.value for f in report.findings if f.severity.value != "info"}
        gold = gold_categories(labels["labels"])
        for cat in sorted(known & (gold | predicted)):
            result.categories.setdefault(cat, Counts()).add(cat in gold, cat in predicted)
        verdict = labels["verdict"]
        pred_disc = bool(predicted & {c.value for c in DISCLOSURE_CATEGORIES})
        if verdict in DISCLOSURE_POSITIVE | DISCLOSURE_NEGATIVE:
            result.disclosure.add(verdict in DISCLOSURE_POSITIVE, pred_disc)
        claims = {c.value for c in CLAIM_CATEGORIES}
        result.any_claim.add(bool(gold & claims), bool(predicted & claims))
        result.confusion[(verdict, report.verdict.value)] += 1
        gold_disc = verdict in DISCLOSURE_POSITIVE
        if (verdict in DISCLOSURE_POSITIVE | DISCLOSURE_NEGATIVE and gold_disc != pred_disc) or (
            bool(gold & claims) != bool(predicted & claims)
        ):
            result.errors.append(
                {
                    "id": rec.get("id"),
                    "file": path,
                    "line": n,
                    "verdict": verdict,
                    "gold": sorted(gold),
                    "predicted": sorted(predicted),
                    "text": str(rec.get("text", ""))[:100],
                }
            )
    return result


def _cells(c: Counts) -> list[str]:
    return [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn)]


def print_tables(result: EvalResult, console: Console, show_errors: bool = False) -> None:
    head = Table(title=f"Evaluation over {result.posts} posts")
    for col in ("measure", "precision", "recall", "F1", "tp", "fp", "fn", "tn"):
        head.add_column(col, justify="right" if col != "measure" else "left")
    for name, c in (("disclosure problem", result.disclosure), ("any claim", result.any_claim)):
        head.add_row(name, *_cells(c), str(c.tn))
    console.print(head)
    cats = Table(title="Per category (findings of warning or error severity)")
    for col in ("category", "precision", "recall", "F1", "tp", "fp", "fn"):
        cats.add_column(col, justify="right" if col != "category" else "left")
    for name, c in sorted(result.categories.items()):
        cats.add_row(name, *_cells(c))
    console.print(cats)
    conf = Table(title="Verdicts: labeled (rows) vs engine (columns)")
    golds = sorted({g for g, _ in result.confusion})
    preds = ["pass", "needs_review", "fail"]
    conf.add_column("labeled")
    for p in preds:
        conf.add_column(p, justify="right")
    for g in golds:
        conf.add_row(g, *[str(result.confusion.get((g, p), 0)) for p in preds])
    console.print(conf)
    if show_errors:
        for e in result.errors:
            console.print(
                f"[dim]{e['id']}[/dim] {e['verdict']} gold={e['gold']} "
                f"pred={e['predicted']} :: {e['text']!r}",
                markup=True,
                highlight=False,
            )

"""Human-readable report for a terminal (rich): verdict, findings with the text they point at."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from compliance.models.report import Report

VERDICT_STYLE = {"pass": "bold green", "needs_review": "bold yellow", "fail": "bold red"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def _excerpt(text: str, start: int, end: int, width: int = 60) -> Text:
    lo = max(0, start - width // 2)
    hi = min(len(text), end + width // 2)
    out = Text()
    out.append(("…" if lo else "") + text[lo:start].replace("\n", "⏎"), style="dim")
    out.append(text[start:end].replace("\n", "⏎") or "▸", style="bold reverse")
    out.append(text[end:hi].replace("\n", "⏎") + ("…" if hi < len(text) else ""), style="dim")
    return out


def render(report: Report, text: str, console: Console) -> None:
    verdict = report.verdict.value
    head = Text()
    head.append(f"{report.id}  ", style="bold")
    head.append(verdict.upper().replace("_", " "), style=VERDICT_STYLE[verdict])
    c = report.connection
    connection = c.status
    if c.status in ("declared", "inferred") and c.kinds:
        connection += f" ({', '.join(c.kinds)}" + (
            f", confidence {c.confidence:.2f})" if c.status == "inferred" else ")"
        )
    head.append(
        f"   {report.platform} · language {report.language.code} · connection {connection}",
        style="dim",
    )
    console.print(head)
    if report.disclosures:
        found = ", ".join(f"'{d.text}' ({d.clarity})" for d in report.disclosures[:6])
        console.print(Text("  disclosures: ", style="dim") + Text(found))
    order = {"error": 0, "warning": 1, "info": 2}
    for f in sorted(report.findings, key=lambda f: order[f.severity.value]):
        line = Text("  ")
        line.append(f"{f.severity.value:<7}", style=SEVERITY_STYLE[f.severity.value])
        line.append(f" {f.rule_id}", style="bold")
        line.append(f"  [{f.category.value}]", style="dim")
        console.print(line)
        console.print(Text("    " + f.message))
        if f.span.field == "text" and text:
            console.print(Text("    ") + _excerpt(text, f.span.start, f.span.end))
        elif f.span.start_s is not None:
            quoted = f" '{f.evidence[0].text}'" if f.evidence else ""
            console.print(
                Text(
                    f"    at {f.span.start_s:g}s–{(f.span.end_s or 0):g}s "
                    f"in {f.span.field}{quoted}",
                    style="dim",
                )
            )
        console.print(Text("    fix: ", style="green") + Text(f.remedy))
        console.print(
            Text(
                f"    {f.citation} · {f.legal_weight} · confidence {f.confidence:.2f}", style="dim"
            )
        )
        if f.confidence_reasons and "inferred" in f.confidence_reasons[0]:
            console.print(Text(f"    why not an error: {f.confidence_reasons[0]}", style="dim"))
    if not report.findings:
        console.print(Text("  no problems found", style="green"))
    elif report.verdict.value == "pass":
        console.print(Text("  nothing to fix (notes only)", style="green"))
    console.print()


__all__ = ["render"]

"""Human-readable report for a terminal (rich): verdict, findings with the text they point at."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
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
    head.append(
        f"   {report.platform} · language {report.language.code} · connection {c.status}"
        + (f" ({', '.join(c.kinds)}, {c.confidence:.2f})" if c.kinds else ""),
        style="dim",
    )
    console.print(head)
    if report.disclosures:
        found = ", ".join(f"'{d.text}' ({d.clarity})" for d in report.disclosures[:6])
        console.print(Text("  disclosures: ", style="dim") + Text(found))
    for f in report.findings:
        line = Text("  ")
        line.append(f"{f.severity.value:<7}", style=SEVERITY_STYLE[f.severity.value])
        line.append(f" {f.rule_id}", style="bold")
        line.append(f"  [{f.category.value}]", style="dim")
        console.print(line)
        console.print(Text("    " + f.message))
        if f.span.field == "text" and text:
            console.print(Text("    ") + _excerpt(text, f.span.start, f.span.end))
        elif f.span.start_s is not None:
            console.print(
                Text(
                    f"    at {f.span.start_s:.0f}s–{(f.span.end_s or 0):.0f}s in {f.span.field}",
                    style="dim",
                )
            )
        console.print(Text("    fix: ", style="green") + Text(f.remedy))
        console.print(
            Text(
                f"    {f.citation} · {f.legal_weight} · confidence {f.confidence:.2f}", style="dim"
            )
        )
    if not report.findings:
        console.print(Text("  no problems found", style="green"))
    console.print()


__all__ = ["escape", "render"]

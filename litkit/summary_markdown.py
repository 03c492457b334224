"""Summaries as Markdown for people: the evidence summary of a treatment or topic, the summary of
one article, and the one-row-per-treatment table.

Rendering only: the figures come from `litkit.summarize`, and every text from the documents is
escaped (`litkit.output.markdown_text`), so a page can show a summary without running HTML from
an article.
"""

from __future__ import annotations

from typing import Any

from .output import markdown_cell, markdown_text
from .vocab import DIRECTIONS


def treatment_table_markdown_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-treatment rows with list cells joined, for a readable Markdown table."""
    return [
        {key: ", ".join(value) if isinstance(value, list) else value for key, value in row.items()}
        for row in rows
    ]


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"


def _quote_line(quote: dict[str, Any]) -> str:
    text = markdown_text(" ".join(quote["text"].split()))
    concepts = "; ".join(quote["concepts"]) or "no concept"
    direction = f", {quote['direction']}" if quote["direction"] else ""
    citation = markdown_text(quote["citation"])
    return (
        f"- [{quote['lang']}] {text} — *{concepts}*{direction} ({citation}, `{quote['claim_id']}`)"
    )


def _patients_line(patients: dict[str, int]) -> str:
    if not patients["documents"]:
        return "not stated"
    count = patients["documents"]
    return f"{patients['total']} (stated by {count} document{'s' if count > 1 else ''})"


def evidence_markdown(summary: dict[str, Any]) -> str:
    """The evidence summary as Markdown a reviewer can paste."""
    subject = summary["subject"]
    names = ", ".join(f"{c['label']} ({c['id']})" for c in subject["concepts"])
    heading = f"## Evidence: {subject['query']}" + (f" — {names}" if names else "")
    lines = [markdown_text(heading), ""]
    lines += [
        f"- Documents: {len(summary['documents'])} ({_counts(summary['designs'])})",
        f"- Patients: {_patients_line(summary['patients'])}",
        f"- Claims: {summary['claims']} ({_counts(summary['claims_by_type'])})",
        f"- Languages: {_counts(summary['languages'])}",
        f"- Outcome direction: {_counts(summary['outcome_directions'])}",
        "",
    ]
    if summary["documents"]:
        lines += ["| document | year | design | patients | languages | claims |"]
        lines += ["|---|---|---|---|---|---|"]
        for doc in summary["documents"]:
            cells = [
                doc["title"] or doc["source"],
                doc["year"],
                doc["design"],
                doc["patients"],
                doc["langs"],
                doc["claims"],
            ]
            lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        lines.append("")
    if summary["quotes"]:
        lines += ["Representative quotes:", ""]
        lines += [_quote_line(q) for q in summary["quotes"]]
        lines.append("")
    return "\n".join(lines)


def document_markdown(summary: dict[str, Any]) -> str:
    """The one-article summary as Markdown."""
    doc = summary["document"]
    lines = [f"## {markdown_text(doc['title'] or doc['source'])}", ""]
    meta = [
        ("Source", doc["source"]), ("DOI", doc["doi"]), ("PMID", doc["pmid"]),
        ("Journal", doc["journal"]), ("Year", doc["year"]), ("Design", doc["design"] or "unknown"),
        ("Patients", doc["patients"]),
        ("Languages", ", ".join(doc["langs"])),
    ]  # fmt: skip
    lines += [
        f"- {key}: {markdown_text(str(value))}" for key, value in meta if value not in (None, "")
    ]
    lines += [f"- Claims: {summary['claims']} ({_counts(summary['claim_languages'])})", ""]
    if summary["treatments"]:
        lines += [
            "| treatment | claims | improved | not improved | worsened | no difference"
            " | uncertain | direction |"
        ]
        lines += ["|---|---|---|---|---|---|---|---|"]
        for t in summary["treatments"]:
            cells = [t["treatment"], t["claims"], *(t[d] for d in DIRECTIONS), t["direction"]]
            lines.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        lines.append("")
    for claim_type, quotes in summary["key_claims"].items():
        if quotes:
            lines += [f"Key {claim_type} claims:", ""]
            lines += [_quote_line(q) for q in quotes]
            lines.append("")
    return "\n".join(lines)

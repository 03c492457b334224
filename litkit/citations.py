"""Citations of stored documents: the short form every claim and quote carries, and the full
record (RIS, BibTeX) a review team takes back into Zotero, EndNote or Rayyan.

A claim is only usable in a review if the reader can tell which study said it, so every export
record and summary quote names its study the way a paper's text does ("Hofmann 2016",
"Hofmann et al. 2016"); the full reference is one join away through the document id. The
reference export writes the studies behind a filter with litkit's own labels (treatments,
claim types, outcome directions) as keywords, which every reference manager keeps on import,
so a screening decision made in litkit travels with the record.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

# The documents columns a full citation is made of (those added by 0011_citations included).
CITATION_COLUMNS = (
    "id", "source", "title", "authors", "journal", "year", "volume", "issue", "pages", "doi",
    "pmid", "pmcid", "record_id", "url", "lang", "design",
)  # fmt: skip
TITLE_WORDS = 4  # words of the title that stand for a study without authors
REFERENCE_FORMATS = ("ris", "bibtex")
LABEL_PREFIX = "litkit:"  # keywords litkit adds, told apart from the authors' own keywords


def family_name(author: str) -> str:
    """The family name of an author as readers store it ("First Last", "Last, First", "Last FM").

    PubMed and JATS readers store "First Last"; a reference export may keep "Last, First".
    CJK names are written family name first without a space, so the whole name is kept."""
    author = " ".join(author.split())
    if "," in author:
        return author.split(",", 1)[0].strip()
    parts = author.split(" ")
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,3}", parts[-1]):  # MEDLINE "Hofmann SR"
        return " ".join(parts[:-1])
    return parts[-1]


def short_citation(authors: Sequence[str], year: int | None, title: str | None) -> str:
    """How a paper's text cites a study: "Hofmann 2016", "Hofmann and Kapplusch 2016",
    "Hofmann et al. 2016"; the start of the title when there is no author; "n.d." without year."""
    names = [family_name(a) for a in authors if a and a.strip()]
    if not names:
        words = (title or "").split()
        who = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
        who = who or "Untitled"
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {year if year else 'n.d.'}"


def _json_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return json.loads(value) if value else []


def citation_of(document: dict[str, Any]) -> str:
    """The short citation of a documents row (authors as stored: a JSON list)."""
    return short_citation(_json_list(document.get("authors")), document.get("year"),
                          document.get("title"))  # fmt: skip


def _available(db: Database, table: str, wanted: Iterable[str]) -> list[str]:
    """The wanted columns the table has: a database not yet migrated lacks the newest."""
    present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    return [c for c in wanted if c in present]


def citation_rows(db: Database, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Full citation rows of these documents, in export order (source, id)."""
    columns = _available(db, "documents", CITATION_COLUMNS)
    rows: list[dict[str, Any]] = []
    ids = sorted(set(doc_ids))
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        cursor = db.execute(
            f"SELECT {', '.join(columns)} FROM documents"
            f" WHERE id IN ({','.join('?' * len(batch))})",
            batch,
        )
        names = [c[0] for c in cursor.description]
        rows += [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["authors"] = _json_list(row.get("authors"))
        for column in CITATION_COLUMNS:
            row.setdefault(column, None)
    return sorted(rows, key=lambda r: (r["source"], r["id"]))


@dataclass
class StudyLabels:
    """What litkit found in one study's claims, written into its reference record."""

    treatments: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    directions: list[str] = field(default_factory=list)
    claims: int = 0

    def add(self, record: dict[str, Any]) -> None:
        """Fold in one export record (litkit.export) of the study."""
        self.claims += 1
        for name, values in (
            ("treatments", record.get("treatments") or []),
            ("types", record.get("types") or []),
            ("directions", [record["direction"]] if record.get("direction") else []),
        ):
            target = getattr(self, name)
            target += [v for v in values if v not in target]

    def keywords(self) -> list[str]:
        """`litkit:treatment=...` keywords: one per label, sorted, so imports can filter on them."""
        return [
            f"{LABEL_PREFIX}{kind}={value}"
            for kind, values in (
                ("treatment", self.treatments),
                ("type", self.types),
                ("direction", self.directions),
            )
            for value in sorted(values)
        ]


def labels_by_document(records: Iterable[dict[str, Any]]) -> dict[str, StudyLabels]:
    """The labels of each document from its export records (the filter already applied)."""
    labels: dict[str, StudyLabels] = {}
    for record in records:
        labels.setdefault(record["doc_id"], StudyLabels()).add(record)
    return labels


def _ris_line(tag: str, value: object) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris_record(row: dict[str, Any], labels: StudyLabels) -> str:
    """One RIS record (journal article) with litkit's labels as `KW` and a note (`N1`)."""
    lines = [_ris_line("TY", "JOUR")]
    lines.append(_ris_line("ID", row["record_id"] or row["id"]))
    if row["title"]:
        lines.append(_ris_line("TI", row["title"]))
    lines += [_ris_line("AU", author) for author in row["authors"]]
    for tag, column in (("JO", "journal"), ("PY", "year"), ("VL", "volume"), ("IS", "issue"),
                        ("DO", "doi"), ("AN", "pmid"), ("C2", "pmcid"), ("UR", "url"),
                        ("LA", "lang")):  # fmt: skip
        if row[column]:
            lines.append(_ris_line(tag, row[column]))
    if row["pages"]:
        first, _, last = str(row["pages"]).partition("-")
        lines.append(_ris_line("SP", first))
        if last:
            lines.append(_ris_line("EP", last))
    lines += [_ris_line("KW", keyword) for keyword in labels.keywords()]
    lines.append(_ris_line("N1", _note(row, labels)))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def _note(row: dict[str, Any], labels: StudyLabels) -> str:
    design = f"; design {row['design']}" if row.get("design") else ""
    return (
        f"litkit: {labels.claims} claim(s) in document {row['id']} (source {row['source']}){design}"
    )


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bibtex_value(value: object) -> str:
    """A braced BibTeX value: TeX specials escaped, braces kept balanced."""
    return "{" + _BIBTEX_SPECIAL.sub(r"\\\1", " ".join(str(value).split())) + "}"


def bibtex_key(row: dict[str, Any]) -> str:
    """The record's own key when it had one, else family name + year + document id start."""
    if row["record_id"] and re.fullmatch(r"[\w:.\-/+]+", row["record_id"]):
        return row["record_id"]
    name = family_name(row["authors"][0]) if row["authors"] else "litkit"
    ascii_name = re.sub(r"[^A-Za-z0-9]", "", name) or "litkit"
    return f"{ascii_name}{row['year'] or ''}_{row['id'][:8]}"


def bibtex_record(row: dict[str, Any], labels: StudyLabels) -> str:
    """One `@article` entry; authors joined with `and`, labels in `keywords`, the note in `note`."""
    fields: list[tuple[str, object]] = []
    if row["title"]:
        fields.append(("title", row["title"]))
    if row["authors"]:
        fields.append(("author", " and ".join(row["authors"])))
    for name in ("journal", "year", "volume"):
        if row[name]:
            fields.append((name, row[name]))
    for name, column in (("number", "issue"), ("pages", "pages"), ("doi", "doi"),
                         ("pmid", "pmid"), ("pmcid", "pmcid"), ("url", "url"),
                         ("langid", "lang")):  # fmt: skip
        if row[column]:
            value = str(row[column]).replace("-", "--") if name == "pages" else row[column]
            fields.append((name, value))
    if labels.keywords():
        fields.append(("keywords", ", ".join(labels.keywords())))
    fields.append(("note", _note(row, labels)))
    body = ",\n".join(f"  {name} = {_bibtex_value(value)}" for name, value in fields)
    return f"@article{{{bibtex_key(row)},\n{body}\n}}\n"


def write_references(db: Database, records: Iterable[dict[str, Any]], fmt: str, fp: Any) -> int:
    """Write the studies behind these export records as RIS or BibTeX; returns how many."""
    labels = labels_by_document(records)
    rows = citation_rows(db, list(labels))
    render = ris_record if fmt == "ris" else bibtex_record
    for number, row in enumerate(rows):
        fp.write(("\n" if number else "") + render(row, labels[row["id"]]))
    return len(rows)

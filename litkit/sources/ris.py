"""RIS (Ovid, Cochrane, Web of Science, EndNote, Zotero) and PubMed MEDLINE (`.nbib`) records."""

from __future__ import annotations

import re

from litkit.sources.records import Record, _first

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}- ?(.*)$")
_MEDLINE_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- (.*)$")

_RIS_FIELDS = {
    "TI": "title", "T1": "title", "AB": "abstract", "N2": "abstract", "DO": "doi",
    "PY": "year", "Y1": "year", "DA": "date", "Y2": "date", "AU": "authors", "A1": "authors",
    "JO": "journal", "JF": "journal", "T2": "journal", "JA": "journal", "VL": "volume",
    "KW": "keywords", "AD": "affiliations", "LA": "language", "UR": "url", "AN": "accession",
    "TY": "type", "IS": "issue", "SP": "start_page", "EP": "end_page", "ID": "record_id",
    "C2": "pmcid",
}  # fmt: skip
_MEDLINE_FIELDS = {
    "PMID": "pmid", "TI": "title", "AB": "abstract", "FAU": "authors", "AD": "affiliations",
    "LA": "language", "JT": "journal", "VI": "volume", "DP": "year", "LID": "doi_candidates",
    "AID": "doi_candidates", "MH": "keywords", "OT": "keywords", "PT": "publication_types",
    "OAB": "other_abstracts", "IP": "issue", "PG": "pages", "PMC": "pmcid",
}  # fmt: skip


def parse_ris(text: str) -> list[Record]:
    """RIS records (`TY  -` ... `ER  -`); untagged lines continue the previous field.

    Lines outside a record (Ovid's `<1>`, Cochrane's `Record #3 of 18`, `Provider:`) are
    skipped; a `TY` line also starts a new record when the previous one lacked its `ER`.
    """
    records: list[Record] = []
    record: Record = {}
    last: str | None = None
    for line in text.splitlines():
        match = _RIS_LINE.match(line.strip("\ufeff"))
        if match:
            tag, value = match.groups()
            if tag == "ER" or (tag == "TY" and any(record.values())):
                if any(record.values()):
                    records.append(record)
                record, last = {}, None
                if tag == "ER":
                    continue
            last = _RIS_FIELDS.get(tag)
            if last and value.strip():
                record.setdefault(last, []).append(value.strip())
        elif line.strip() and last and record.get(last):
            record[last][-1] += " " + line.strip()
        elif not line.strip():
            last = None  # a blank line ends a field: what follows is a header, not its text
    if any(record.values()):
        records.append(record)
    for record in records:  # AN holds the PMID in PubMed-derived RIS files
        accession = (record.get("accession") or [""])[0]
        if accession.isdigit() and "pmid" not in record:
            record["pmid"] = [accession]
        first, last = _first(record, "start_page"), _first(record, "end_page")
        if first:  # SP/EP: pages as citations print them ("12-19")
            record["pages"] = [f"{first}-{last}" if last and last != first else first]
    return records


def parse_medline(text: str) -> list[Record]:
    """PubMed's MEDLINE format (.nbib): `TAG - value`, six-space continuation lines."""
    records: list[Record] = []
    record: Record = {}
    last: str | None = None
    for line in text.splitlines():
        match = _MEDLINE_LINE.match(line)
        if match and not line.startswith(" "):
            tag, value = match.groups()
            if tag == "PMID" and record:
                records.append(record)
                record = {}
            last = _MEDLINE_FIELDS.get(tag)
            if last:
                record.setdefault(last, []).append(value.strip())
        elif line.startswith(" ") and line.strip() and last and record.get(last):
            record[last][-1] += " " + line.strip()
    if record:
        records.append(record)
    for record in records:
        dois = [
            value.split(" ")[0]
            for value in record.pop("doi_candidates", [])
            if value.endswith("[doi]")
        ]
        if dois:
            record["doi"] = dois[:1]
    return records

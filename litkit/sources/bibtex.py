"""BibTeX records: entries, @string macros, concatenation, LaTeX accents and symbols."""

from __future__ import annotations

import logging
import re
import unicodedata

from litkit.sources.records import Record, _bibtex_name, _literal

_BIBTEX_FIELDS = {
    "title": "title", "abstract": "abstract", "doi": "doi", "year": "year",
    "journal": "journal", "journaltitle": "journal", "booktitle": "journal",
    "volume": "volume", "author": "authors", "keywords": "keywords", "pmid": "pmid",
    "language": "language", "langid": "language", "url": "url", "affiliation": "affiliations",
    "number": "issue", "issue": "issue", "pages": "pages", "pmcid": "pmcid",
}  # fmt: skip
_LATEX_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "c": "\u0327", "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c",
}  # fmt: skip
# `\'e`, `\'{e}`, `{\'e}`, `\c c`: the closing brace goes with the accent, a space after the
# letter does not (`caf\'e au lait` is "café au lait")
_LATEX_ACCENT = re.compile(r"\\([`'^\"~=.]|[cuv](?=[\s{]))\s*\{?\s*(\\?[A-Za-z])(?:\s*\})?")
_LATEX_SYMBOLS = {
    r"\oe": "œ", r"\OE": "Œ", r"\ae": "æ", r"\AE": "Æ", r"\ss": "ß", r"\o": "ø",
    r"\O": "Ø", r"\&": "&", r"\%": "%", r"\_": "_", r"\$": "$", "---": "—", "--": "–",
    "~": " ",
}  # fmt: skip


def parse_bibtex(text: str) -> list[Record]:
    """Entries of a BibTeX file, parsed by bibtexparser 2; `@string` macros and `#`
    concatenations resolved here, LaTeX accents decoded by `_latex_to_text`.

    bibtexparser keeps escaped braces (`Thi\\{'ebaux`) inside their field, where a brace
    counter swallowed every later entry. An entry it cannot parse is reported as a record
    of its own (`_error`), never silently dropped.
    """
    import bibtexparser

    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings = {string.key.lower(): string.value for string in library.strings}
    records: list[Record] = []
    for block in library.blocks:
        if isinstance(block, bibtexparser.model.ParsingFailedBlock):
            line = (block.start_line or 0) + 1
            records.append({"_error": [f"BibTeX entry could not be parsed (line {line})"]})
            continue
        if not isinstance(block, bibtexparser.model.Entry):
            continue
        record: Record = {"type": [block.entry_type.lower()]}
        if block.key:  # the citation key: the reviewer's own id of the record
            record["record_id"] = [block.key]
        for entry_field in block.fields:
            field = _BIBTEX_FIELDS.get(entry_field.key.lower())
            if field:
                value = _latex_to_text(_bibtex_value(str(entry_field.value), strings))
                record.setdefault(field, []).extend(_split_bibtex(field, value))
        records.append(record)
    return records


def _bibtex_value(value: str, strings: dict[str, str], depth: int = 0) -> str:
    """A raw field value with `{..}` / `".."` removed, macros expanded and `#` parts joined."""
    parts = []
    for part in _concatenated_parts(value.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            parts.append(part[1:-1])
        elif part.lower() in strings and depth < 10:
            parts.append(_bibtex_value(strings[part.lower()], strings, depth + 1))
        else:
            parts.append(part)  # a number, or a macro never defined (`jan`): kept as written
    return "".join(parts)


def _concatenated_parts(value: str) -> list[str]:
    """`ped # " " # {Reviews}` -> [`ped`, `" "`, `{Reviews}`]; `#` inside braces or quotes
    (and an escaped `\\#`) is text."""
    parts, start, depth, quoted, index = [], 0, 0, False, 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
        index += 1
    parts.append(value[start:].strip())
    return [part for part in parts if part]


def _latex_to_text(value: str) -> str:
    """Undo the LaTeX that BibTeX exports use for accents and protection braces."""

    def accent(match: re.Match[str]) -> str:
        letter = match.group(2).lstrip("\\")
        letter = "i" if letter == "i" else letter
        return unicodedata.normalize("NFC", letter + _LATEX_ACCENTS[match.group(1)])

    value = _LATEX_ACCENT.sub(accent, value)
    for command, replacement in _LATEX_SYMBOLS.items():
        # `\oe uvre` and `\oe{}uvre`: a letter command swallows the space or {} ending it
        ending = r"(?![A-Za-z])(?:\{\}| )?" if command[-1].isalpha() else ""
        value = re.sub(re.escape(command) + ending, _literal(replacement), value)
    value = re.sub(r"\\(?:textit|textbf|emph|mathrm|textsubscript|textsuperscript)\s*", "", value)
    value = re.sub(r"\\([{}#])", r"\1", value)  # escaped braces and hashes are characters
    value = value.replace("{", "").replace("}", "")
    return " ".join(value.split())


def _split_bibtex(field: str, value: str) -> list[str]:
    if field == "authors":
        return [_bibtex_name(name) for name in re.split(r"\s+and\s+", value) if name.strip()]
    if field == "keywords":
        return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
    return [value] if value else []

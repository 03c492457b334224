"""Read plain text and Markdown, and find the bibliographic metadata a text carries.

Text files collected from the web start with front matter in no fixed order: breadcrumbs,
a title (often twice), author and affiliation lines, a citation line such as
"Eur J Pediatr. 2024 Nov 27;184(1):48. doi: 10.1007/...". The heuristics here look only at
that front matter (the first lines, before the first long paragraph), because DOIs and
citations further down belong to the references, not to the article.
"""

from __future__ import annotations

import re

from litkit.models import DocumentMeta, ParsedText, RawSource
from litkit.scripts import HAN, HAN_CLASS
from litkit.sources.biblio import DOI, find_doi
from litkit.sources.encoding import declared_charset, decode

FRONT_MATTER_LINES = 30
FRONT_MATTER_CHARS = 20_000
LONG_PARAGRAPH = 400  # the first line this long is body text: front matter is over
MAX_TITLE = 250
MAX_AFFILIATION = 300

_PMID = re.compile(r"\bPMID\s*:\s*(\d{1,9})\b")
_CITATION_PATTERNS = (
    # NLM/PubMed: "Eur J Pediatr. 2024 Nov 27;184(1):48."
    re.compile(
        r"^(?P<journal>[A-Z][^.;:\n]{1,100}?)\.\s+(?P<year>(?:18|19|20)\d{2})"
        r"(?:\s+[A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?:\s+\d{1,2})?)?\s*;\s*(?P<volume>\d+[A-Za-z]?)"
    ),
    # Chinese journals: "中华儿科杂志, 2020, 58(3): 123-127"
    re.compile(
        rf"^(?P<journal>[{HAN_CLASS}]{{2,30}})\s*[,，]\s*(?P<year>(?:18|19|20)\d{{2}})\s*[,，]\s*"
        r"(?P<volume>\d+)"
    ),
    # "Vol. 26 No. 2 2015"
    # (`\bVol`, written literal-first: `re` then jumps from one "Vol" to the next, ~20x faster)
    re.compile(
        r"Vol(?<!\wVol)\.?\s*(?P<volume>\d+)\s*(?:No\.?\s*\d+\s*)?(?P<year>(?:18|19|20)\d{2})\b"
    ),
)
_AFFILIATION_CUE = re.compile(
    r"Universit|Hospital|Hôpital|H[oô]pitaux|Department|Département|Departamento|Institut|"
    r"Faculty|Faculté|Facultad|School of|College|Clinic|Clinique|Centre|Center|\bCHU\b|"
    r"Division|Laborator|医院|大学|学院|研究所|研究院|研究中心|醫院|大學|學院"
)
_AUTHORS_LABEL = re.compile(r"^(?:Authors?|Auteurs?|作者)\s*[:：]\s*(.+)$")
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_BREADCRUMB = re.compile(r"^(?:Home|Accueil|首页)\s*(?:>>|>|»|›|/)\s*")
_CJK = HAN


def read_text(raw: RawSource) -> list[ParsedText]:
    """Plain text, exactly as decoded (offsets into it are offsets into the file's text)."""
    decoded = decode(raw.data, raw.locator, declared=declared_charset(raw.media_type))
    return [
        ParsedText(
            text=decoded.text,
            meta=text_metadata(decoded.text, final_url=raw.final_url),
            media_type="text/plain",
            encoding=decoded.encoding,
        )
    ]


def read_markdown(raw: RawSource) -> list[ParsedText]:
    """Markdown with its markup markers removed, so they do not end up inside sentences."""
    decoded = decode(raw.data, raw.locator, declared=declared_charset(raw.media_type))
    text = markdown_to_text(decoded.text)
    return [
        ParsedText(
            text=text,
            meta=text_metadata(text, final_url=raw.final_url),
            media_type="text/markdown",
            encoding=decoded.encoding,
        )
    ]


_MD_INLINE = (
    (re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),  # link -> its text
    (re.compile(r"(\*\*|__)(?=\S)([^\n]*?\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])"), r"\1"),  # italic
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)
_MD_LIST = re.compile(r"^ {0,6}[-*+][ \t]+")
_MD_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+")
_MD_RULE = re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$|^ {0,3}(?:=+|-+)[ \t]*$")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def markdown_to_text(markdown: str) -> str:
    """One block per line: headings (with a blank line before), paragraphs, items, cells."""
    lines: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or _MD_RULE.match(line) or _MD_TABLE_SEPARATOR.match(line):
            continue
        heading = _MARKDOWN_HEADING.match(line)
        if heading:
            if lines and lines[-1]:
                lines.append("")
            line = heading.group(1)
        else:
            line = _MD_LIST.sub("", _MD_QUOTE.sub("", line))
        if line.strip().startswith("|") and line.strip().endswith("|"):
            lines.extend(cell.strip() for cell in line.strip().strip("|").split("|"))
            continue
        for pattern, replacement in _MD_INLINE:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)


def text_metadata(text: str, final_url: str | None = None) -> DocumentMeta:
    """Title, DOI, PMID, journal, year, volume, authors and affiliations from front matter."""
    head = text[:FRONT_MATTER_CHARS]
    front = _front_matter(head)
    journal = year = volume = None
    for line in front:
        for pattern in _CITATION_PATTERNS:
            found = pattern.search(line)
            if found:
                fields = found.groupdict()
                journal = journal or (fields.get("journal") or "").strip() or None
                year = year or int(fields["year"])
                volume = volume or fields.get("volume")
                break
        if year:
            break
    pmid = _PMID.search(head) if "PMID" in head else None  # substring test: no regex scan
    return DocumentMeta(
        title=guess_title(front),
        doi=find_doi(head),
        pmid=pmid.group(1) if pmid else None,
        journal=journal,
        year=year,
        volume=volume,
        authors=_authors(front),
        affiliations=tuple(dict.fromkeys(line for line in front if is_affiliation(line))),
        final_url=final_url,
    )


def _front_matter(head: str) -> list[str]:
    lines: list[str] = []
    for raw_line in head.splitlines():
        line = _BREADCRUMB.sub("", raw_line.strip())
        if not line:
            continue
        if len(line) >= LONG_PARAGRAPH or len(lines) >= FRONT_MATTER_LINES:
            break
        lines.append(line)
    return lines


def guess_title(front: list[str]) -> str | None:
    """A line repeated near the top (pages repeat their title), else the first title-like one."""
    candidates = [line for line in front[:8] if _looks_like_title(line)]
    for line in candidates:
        if front.count(line) > 1:
            return line
    return candidates[0] if candidates else None


def _looks_like_title(line: str) -> bool:
    if len(line) > MAX_TITLE or is_affiliation(line) or _is_author_line(line):
        return False
    if any(pattern.search(line) for pattern in _CITATION_PATTERNS):
        return False
    if "10." in line and DOI.search(line):  # a DOI starts with "10.": no scan without one
        return False
    if line[0].islower() or line.endswith(("-", ",", ";", ":")) or "://" in line:
        return False
    if re.search(r"[.!][\s)]|[。！？]|[.!]$", line):  # sentences, not titles
        return False
    if _CJK.search(line) and not re.search(r"[A-Za-z]{3}", line):
        return len(_CJK.findall(line)) >= 8
    return len(re.findall(r"[^\W\d_]{2,}", line)) >= 4


def _is_author_line(line: str) -> bool:
    """`Hu Y W, Liu R, Luo L`: comma-separated names with initials."""
    if _AUTHORS_LABEL.match(line):
        return True
    parts = [p.strip() for p in re.split(r"[,;]", line) if p.strip()]
    if len(parts) < 2:
        return False
    with_initials = sum(1 for p in parts if len(p.split()) <= 4 and re.search(r"\b[A-Z]{1,3}\b", p))
    return with_initials >= 0.8 * len(parts)


def is_affiliation(line: str) -> bool:
    """An institution line: a cue word, an address shape, and mostly capitalised words."""
    if len(line) > MAX_AFFILIATION or not _AFFILIATION_CUE.search(line):
        return False
    if _CJK.search(line) and not re.search(r"[A-Za-z]{4}", line):
        return len(line) <= 120
    if "," not in line:
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    capitalised = sum(1 for w in words if w[0].isupper())
    # "Dept. of X, University of Y, City, Country": the parts, the last above all, are names
    parts = [p.strip() for p in line.rstrip(".").split(",") if p.strip()]
    named = [p for p in parts if p[0].isupper() or p[0].isdigit()]
    return (
        capitalised / len(words) >= 0.35 and len(named) >= 0.6 * len(parts) and parts[-1] in named
    )


def _authors(front: list[str]) -> tuple[str, ...]:
    for line in front:
        labelled = _AUTHORS_LABEL.match(line)
        if labelled:
            names = re.split(r"\s*[;,]\s*", labelled.group(1))
            cleaned = (re.sub(r"[\s\d,*]+$", "", name).strip() for name in names)
            return tuple(name for name in cleaned if name)
    return ()

"""The role of every sentence: title, heading, body, caption, reference, keywords, ...

Only `body` and `caption` sentences carry claims (litkit.vocab.CLAIM_ROLES): a reference-list
entry naming a drug, a keyword line, a section label or a journal line is not evidence, but it
stays searchable and is exported with its role. Readers that know the structure (JATS, PubMed,
HTML, PDF layout) set `ParsedText.roles`; this module decides the rest from the lines of the
clean text, with the words of the `roles.json` of each language folder (all languages at once: a
role is decided before, and independently of, a sentence's language, and the label words of
the three languages do not collide).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from litkit.boilerplate import is_ui_chrome
from litkit.languages import languages_with, own_data
from litkit.models import Assessment, CleanText, Span
from litkit.scripts import HAN
from litkit.sources.biblio import DOI_MARK
from litkit.vocab import CLAIM_ROLES, DEFAULT_ROLE

ROLE_LANGS = languages_with("roles.json")
_TERMINAL = frozenset(".!?。！？;；")
_NUMBERING = re.compile(
    r"^\s*(?:(?:\d{1,2}(?:[.．]\d{1,2})*[.．)、]?)|(?:[IVX]{1,4}[.)])|(?:[一二三四五六七八九十]{1,3}[、.．])"
    r"|(?:[(（][一二三四五六七八九十\d]{1,3}[)）]))\s*"
)
_BRACKETED = re.compile(r"^\s*[\[【〔［]([^\]】〕］]{1,12})[\]】〕］]")
_COUNT = re.compile(r"\s*[(（]\d{1,5}[)）]\s*$")
_LIST_MARK = re.compile(r"^\s*[-–—•►*#>]+\s*")
_CITATION_NUMBER = re.compile(r"^\s*(?:\[\d{1,4}\]|\d{1,4}[.)]|[(（]\d{1,4}[)）])\s*\S")
# "2019;12:34–56", "2020 Dec 18;52(6):1140", "2015, 30(2): 389-392", "(2019) 12, 34-56"
_CITATION_SIGNATURE = re.compile(
    r"(?:19|20)\d\d[a-z]?(?:\s+[A-Z][a-z]{2,8}(?:\s+\d{1,2})?)?\s*[;,]\s*\d{1,4}\s*"
    r"(?:[(（]\s*[\w-]{1,6}\s*[)）])?\s*[:：]\s*[eE]?\d{1,6}"
)
_DOC_TYPE_MARK = re.compile(r"\[(?:J|M|C|D|N|R|S|P|Z|EB/OL|J/OL|M/OL)\]")  # GB/T 7714
_ET_AL = re.compile(r"\bet\s+al\b\.?|\bet\s+coll\b|等\s*[.．]")
_DOI = DOI_MARK
_ISSUE_ZH = re.compile(r"(?:19|20)\d\d\s*年\s*(?:第\s*)?\d{1,3}\s*[期卷]")
_ISSUE_LATIN = re.compile(
    r"\bvol(?:ume)?\.?\s*\d+\b.*\b(?:no|n°|num|issue)\.?\s*\d+", re.IGNORECASE
)
_DATE_LINE = re.compile(
    r"^\s*(?:\d{1,2}\s+[^\W\d]{3,12}\.?\s+(?:19|20)\d\d|[^\W\d]{3,12}\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}|(?:19|20)\d\d\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?)\s*$"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE_ZH = re.compile(r"(?<!\d)\d{6}(?!\d)")
_NAME = r"[A-Z][a-zà-ÿ'’-]+(?:[ -][A-Z][a-zà-ÿ'’-]+)?"
_INITIALS = r"[A-Z](?:\.?-?[A-Z]){0,2}\.?"  # one token: "J", "JM", "J.-M.", "A.B."
# "Smith JM", "Smith J M", "J. Smith": whitespace-separated tokens, bounded repeats (no
# nested quantifiers, so no catastrophic backtracking on "Smith A. A. A. … !").
_AUTHOR = re.compile(rf"^(?:{_NAME}(?:\s+{_INITIALS}){{1,3}}|{_INITIALS}\s+{_NAME})\s*[\d,*†‡§]*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CJK = HAN
_MAX_LABEL_CHARS = 60
_HEAD_CHARS = 400  # how much of a line its label rules look at


@dataclass(frozen=True)
class RoleWords:
    """The label words of every language, normalised (lowercase) for matching."""

    section_labels: frozenset[str]
    reference_headings: frozenset[str]
    keyword_labels: tuple[str, ...]
    metadata_labels: tuple[str, ...]
    metadata_words: tuple[str, ...]
    affiliation_words: frozenset[str]
    affiliation_cjk: tuple[str, ...]
    minor_words: frozenset[str]  # "of", "de": left out when judging Title Case
    opening_labels: frozenset[str]  # labels that open an article: "Abstract", "背景"
    affiliation_pattern: re.Pattern[str]  # any Latin affiliation word, as a whole word


@cache
def role_words() -> RoleWords:
    """Load and merge the `roles.json` of every language folder once."""
    merged: dict[str, list[str]] = {}
    for lang in ROLE_LANGS:
        data = own_data(lang, "roles.json")
        for key, values in data.items():
            if isinstance(values, list):  # section_kinds and the result cues: sections.py
                merged.setdefault(key, []).extend(v.lower() for v in values)

    def cjk(key: str) -> tuple[str, ...]:
        return tuple(w for w in merged[key] if _CJK.search(w))

    def latin(key: str) -> frozenset[str]:
        return frozenset(w for w in merged[key] if not _CJK.search(w))

    longest_first = sorted(set(merged["metadata_labels"]), key=len, reverse=True)
    return RoleWords(
        section_labels=frozenset(merged["section_labels"]),
        reference_headings=frozenset(merged["reference_headings"]),
        keyword_labels=tuple(sorted(set(merged["keyword_labels"]), key=len, reverse=True)),
        metadata_labels=tuple(longest_first),
        metadata_words=tuple(merged["metadata_words"]),
        affiliation_words=latin("affiliation_words"),
        affiliation_cjk=cjk("affiliation_words"),
        minor_words=frozenset(merged["minor_words"]),
        opening_labels=frozenset(merged["opening_labels"]),
        affiliation_pattern=re.compile(
            r"\b(?:" + "|".join(map(re.escape, sorted(latin("affiliation_words")))) + r")\b",
            re.IGNORECASE,
        ),
    )


def label_text(line: str) -> str:
    """A line reduced to its label: numbering, list marks, brackets, final colon removed,
    lowercase ("1.1 臨床資料" -> "臨床資料", "[摘要]" -> "摘要", "RESULTS:" -> "results")."""
    text = _LIST_MARK.sub("", line.strip())
    text = _NUMBERING.sub("", text, count=1)
    bracket = _BRACKETED.match(text)
    if bracket and not text[bracket.end() :].strip(" :："):
        text = bracket.group(1)
    if text.endswith((")", "）")):  # "References (23)", "Cited by (89)"
        text = text[:-12] + _COUNT.sub("", text[-12:])
    return " ".join(text.strip().rstrip(":：.。 ").split()).lower()


def _starts_with_label(low: str, labels: Sequence[str], *, colon: bool) -> bool:
    """Does the lowercase line start with one of `labels` (optionally bracketed), followed by
    a colon (or, when `colon` is false, by anything but a letter)?"""
    text = _LIST_MARK.sub("", low[:_HEAD_CHARS]).lstrip("([【〔［（ ")
    if not text.startswith(tuple(labels)):
        return False
    for label in labels:
        if not text.startswith(label):
            continue
        rest = text[len(label) :].lstrip(" ]】〕］)）")
        if rest[:1] in (":", "：") or (rest == "" and not colon):
            return True
        if rest[:1].isdigit() or rest[:1] == "©":  # "Received 3 May 2021", "Cited by 14"
            return True
        if not colon and not (rest[:1].isalpha() and not _CJK.match(rest[:1])):
            return True
        if _CJK.search(label) and text[len(label) : len(label) + 1] in "]】〕］)）":
            return True
    return False


def _is_reference_entry(line: str) -> bool:
    """A numbered citation ("1. Smith J, … 2019;12:34–56", "[12] 张三. …[J]. …")."""
    if not _CITATION_NUMBER.match(line):
        return False
    return bool(
        _CITATION_SIGNATURE.search(line)
        or _DOC_TYPE_MARK.search(line)
        or (_ET_AL.search(line) and re.search(r"(?:19|20)\d\d", line))
        or (_DOI.search(line) and len(line) < 400)
    )


def _is_author_list(line: str) -> bool:
    if len(line) > 200 or ("," not in line and ";" not in line):
        return False
    parts = [p.strip() for p in re.split(r"[,;]|\band\b|\bet\b", line) if p.strip()]
    return len(parts) >= 2 and all(_AUTHOR.match(p) for p in parts)


def _is_affiliation(line: str, low: str, words: RoleWords) -> bool:
    """An institution line: "Department of Pediatrics, X University Hospital, Paris, France",
    "（北京协和医院儿科，北京 100730）", or a line with an e-mail address."""
    if len(line) > 400:
        return False
    if _EMAIL.search(line) and len(line) < 300:
        return True
    if _CJK.search(line):
        if len(line) > 150 or "。" in line or not any(w in line for w in words.affiliation_cjk):
            return False
        wrapped = line.strip()[:1] in "(（" and line.strip()[-1:] in ")）"
        return bool(_POSTCODE_ZH.search(line)) or wrapped
    if line.count(",") < 1 or not words.affiliation_pattern.search(line):
        return False  # most lines: no institution word, no need to look at every word
    tokens = _WORD.findall(line)
    lowered = [t.lower().rstrip(".") for t in tokens]
    if not any(t in words.affiliation_words for t in lowered) or line.count(",") < 1:
        return False
    content = [
        t for t, low_t in zip(tokens, lowered, strict=True) if low_t not in words.minor_words
    ]
    if len(content) < 3:
        return False
    lowercase = sum(1 for t in content if t[0].islower())
    return lowercase / len(content) < 0.25


def _is_metadata(line: str, low: str, words: RoleWords) -> bool:
    """Journal, issue, date, DOI, copyright, history and author lines."""
    if _starts_with_label(low, words.metadata_labels, colon=True):
        return True
    stripped = low.strip()
    if _DOI.match(stripped) or stripped.startswith(("http://", "https://", "www.")):
        return True
    if any(w in low for w in words.metadata_words) and len(line) < 300:
        return True
    if _DATE_LINE.match(line):
        return True
    if len(line) <= 120 and (_ISSUE_ZH.search(line) or _ISSUE_LATIN.search(line)):
        return True
    if len(line) < 400 and (_CITATION_SIGNATURE.search(line) or _DOI.search(line)):
        # the document's own citation: "Eur J Pediatr. 2024;184(1):48. doi: …"
        return not line.rstrip().endswith(("。",)) and _citation_like(line)
    return _is_author_list(line.strip())


def _citation_like(line: str) -> bool:
    """More bibliographic fragments than prose: short capitalised chunks between dots."""
    chunks = [c.strip() for c in re.split(r"[.;]\s", line) if c.strip()]
    return len(chunks) >= 2 and len(line) / len(chunks) < 90


def line_role(line: str, words: RoleWords | None = None) -> str | None:
    """The role a line has on its own (reference entry, keywords, metadata, affiliation), or
    None when its sentences decide (headings, titles and body are decided per sentence)."""
    words = words or role_words()
    if not line.strip():
        return None
    low = line[:_HEAD_CHARS].lower()  # labels and metadata words sit at the start
    if _starts_with_label(low, words.keyword_labels, colon=False) and len(line) < 600:
        return "keywords"
    if _is_reference_entry(line) or (_DOC_TYPE_MARK.search(line) and _citation_like(line)):
        return "reference"
    if _is_metadata(line, low, words) or is_ui_chrome(line):
        return "metadata"  # figure-viewer buttons are page furniture (see litkit.clean)
    if _is_affiliation(line, low, words):
        return "affiliation"
    return None


def sentence_heading(text: str, words: RoleWords | None = None) -> bool:
    """A section label or heading: a listed label ("Results:", "[摘要]", "目的", "MÉTHODES"),
    a numbered heading ("1.1 臨床資料", "2. Patients and methods") or a Title Case line."""
    words = words or role_words()
    stripped = text.strip()
    if not stripped or len(stripped) > 200:
        return False
    label = label_text(stripped)
    if label in words.section_labels or label in words.reference_headings:
        return True
    numbered = _NUMBERING.match(stripped)
    if numbered and numbered.group(0).strip() and stripped.endswith(("?", "？")):
        return len(stripped) <= 120  # "3. How to take X?": a leaflet's or FAQ's section title
    if len(label) > _MAX_LABEL_CHARS or stripped[-1] in _TERMINAL:
        return False
    if _shouting(stripped):
        return True  # "ASPECTS GÉNÉRAUX", "PATIENTS AND METHODS"
    bracket = _BRACKETED.match(stripped)
    if bracket and not stripped[bracket.end() :].strip(" :："):
        return True  # "[摘要]"; "【疾病类型】卵巢囊肿" is a field with its value
    if numbered and numbered.group(0).strip() and not stripped[numbered.end() :][:1].isdigit():
        rest = stripped[numbered.end() :]
        cjk = len(_CJK.findall(rest))
        return (cjk and len(rest) <= 20) or (not cjk and 0 < len(rest.split()) <= 8)
    return title_case(stripped)


def _shouting(text: str) -> bool:
    """Two or more words in capitals: a heading set in upper case."""
    letters = [c for c in text if c.isalpha() and not _CJK.match(c)]
    return len(text.split()) >= 2 and len(letters) >= 6 and all(c.isupper() for c in letters)


def title_case(text: str) -> bool:
    """Title Case without a final full stop: "Bisphosphonate Treatment in Chronic ... CRMO"."""
    minor = role_words().minor_words
    tokens = [w for w in _WORD.findall(text) if w.lower() not in minor]
    if len(tokens) < 3 or text.strip()[-1:] in _TERMINAL:
        return False
    return sum(1 for w in tokens if w[0].isupper()) / len(tokens) >= 0.75


def _line_bounds(text: str) -> list[int]:
    """Start offsets of the lines of `text`."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


def rule_roles(text: str, spans: Sequence[Span]) -> list[str]:
    """The role of each sentence span of a clean text, by rules on its line and on itself."""
    words = role_words()
    starts = _line_bounds(text)
    line_cache: dict[int, str | None] = {}
    roles: list[str] = []
    in_references = False
    seen_body = False
    last_line = -1
    line = ""
    content_end = len(text.rstrip())
    for span in spans:
        number = bisect.bisect_right(starts, span.start) - 1
        line_start = starts[number]
        line_end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
        sentence = text[span.start : span.end]
        first_on_line = number != last_line
        if first_on_line:  # slice each line once: a 5 MB line must not be copied per sentence
            line = text[line_start:line_end]
        whole_line = (
            first_on_line and not text[line_start : span.start].strip() and span.end >= line_end - 1
        )
        if whole_line:
            label = label_text(line)
            if label in words.reference_headings:
                in_references = True
                roles.append("heading")
                last_line = number
                continue
            if in_references and label in words.section_labels:
                in_references = False  # "Acknowledgements": a listed label, not a cited title
        last_line = number
        if in_references:
            roles.append("reference")
            continue
        if number not in line_cache:
            line_cache[number] = line_role(line, words)
        role = line_cache[number]
        if role is None:
            # a title heads something: a one-line text is a sentence, punctuated or not
            titled = seen_body or line_end >= content_end
            role = _sentence_role(sentence, whole_line, titled, words)
        seen_body = seen_body or role == "body"
        roles.append(role)
        if role == "heading" and len(roles) > 1 and label_text(sentence) in words.opening_labels:
            _title_before_opening(text, spans, roles, words)
    return roles


def _title_before_opening(
    text: str, spans: Sequence[Span], roles: list[str], words: RoleWords
) -> None:
    """A line without final punctuation (body, or a Title Case heading that is no listed
    label) just before an opening label ("Background", "摘要") is the title of the article,
    or of its translation, that the label opens."""
    at = len(roles) - 2
    before = text[spans[at].start : spans[at].end].strip()
    line_start = text.rfind("\n", 0, spans[at].start) + 1
    whole_line = not text[line_start : spans[at].start].strip()
    unlisted = label_text(before) not in words.section_labels
    if roles[at] in ("body", "heading") and whole_line and unlisted and _title_shaped(before):
        roles[at] = "title"


def _sentence_role(sentence: str, whole_line: bool, seen_body: bool, words: RoleWords) -> str:
    """Heading, title or body for a sentence whose line has no role of its own. Before the
    first body sentence, a whole line without final punctuation is the title (papers and web
    pages open with it: "X versus Y in Z: a randomised trial", "光动力疗法…疗效观察")."""
    if label_text(sentence) in words.section_labels:
        return "heading"
    if whole_line and sentence_heading(sentence, words):
        return "title" if not seen_body and title_case(sentence.strip()) else "heading"
    if whole_line and not seen_body and _title_shaped(sentence.strip()):
        return "title"
    return DEFAULT_ROLE


_TRAILING_CITATION = re.compile(r"\s*[(\[]\d{1,3}(?:[,–-]\d{1,3})*[)\]]$")


def _title_shaped(text: str) -> bool:
    text = _TRAILING_CITATION.sub("", text)  # "… dévitalisé. (1)" is prose, not a title
    if not text or text[-1] in _TERMINAL or text[-1] in ":：" or _LIST_MARK.match(text):
        return False
    cjk = len(_CJK.findall(text))
    return cjk >= 6 if cjk else len(text.split()) >= 3


def segment_roles(
    cleaned: CleanText, spans: Sequence[Span], reader_roles: Sequence[tuple[int, int, str]]
) -> list[str]:
    """Each sentence's role: the reader's span covering its start (mapped to the reader's text
    through the clean offset map), else the rules. A reader's `body` span still lets the rules
    find headings and reference entries inside it (a reader rarely marks every label)."""
    ruled = rule_roles(cleaned.text, spans)
    if not reader_roles:
        return ruled
    ordered = sorted(reader_roles)
    starts = [s for s, _, _ in ordered]
    roles = []
    for span, fallback in zip(spans, ruled, strict=True):
        original = cleaned.to_original(span.start)
        at = bisect.bisect_right(starts, original) - 1
        role = None
        if at >= 0 and ordered[at][0] <= original < ordered[at][1]:
            role = ordered[at][2]
        roles.append(fallback if role is None or role == DEFAULT_ROLE else role)
    return roles


def without_claims(assessment: Assessment, role: str) -> Assessment:
    """A sentence outside CLAIM_ROLES keeps its assertion flags and cues but no claim type."""
    if role in CLAIM_ROLES or not (assessment.types or assessment.outcomes):
        return assessment
    return dataclasses.replace(
        assessment,
        types=(),
        direction=None,
        outcomes=(),
        dose=None,
        route=None,
        duration=None,
        cues=(*assessment.cues, f"role:{role}"),
    )

"""The frozen records that travel between pipeline stages.

Every stage is a pure function from one of these to the next, so a stage can be tested alone
and the per-document pipeline can run in a worker process (or on Dask) and ship its result
back to the single writer. Database rows are derived from them with `dataclasses.asdict`;
fields are never copied by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_id(*parts: object, length: int = 16) -> str:
    """A stable id from content: the same inputs give the same id on every machine and run."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


def segment_id(doc_id: str, index: int) -> str:
    """A sentence's id: its document's content id and its position ("<doc id>-0007").

    Not a hash of its own: ids that share the document's prefix sit side by side in every
    index keyed by sentence (segments, mentions, concept index, links), so writing a document
    touches a few pages per index instead of one per sentence; with hashed ids the writer's
    commits grew with the database (7 ms per document at 100k documents)."""
    return f"{doc_id}-{index:04d}"


def mention_id(sentence_id: str, ordinal: int) -> str:
    """A mention's id: its sentence's id and its rank among the sentence's mentions."""
    return f"{sentence_id}-{ordinal}"


@dataclass(frozen=True)
class RawSource:
    """Bytes as they arrived, before any decoding: a file, a URL's body, stdin.

    `locator` is what the user gave (a path, a URL, `pmid:123`, `-`); `media_type` is a
    hint from the file extension or the HTTP Content-Type, never trusted blindly.
    """

    locator: str
    data: bytes
    media_type: str | None = None
    final_url: str | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Bibliographic metadata found in the source; every field is optional."""

    title: str | None = None
    doi: str | None = None
    pmid: str | None = None
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    authors: tuple[str, ...] = ()
    affiliations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    declared_language: str | None = None
    url: str | None = None
    final_url: str | None = None
    # What a citation needs beyond the above (migration 0011_citations): a reviewer cites and
    # re-imports a study from these, and `record_id` is the key the reference manager gave it
    # (RIS `ID`, BibTeX key), so an exported record maps back to the reviewer's library.
    issue: str | None = None
    pages: str | None = None
    pmcid: str | None = None
    record_id: str | None = None


@dataclass(frozen=True)
class ParsedText:
    """What a reader returns: decoded text with its block structure, plus metadata.

    Blocks (headings, paragraphs, list items, captions) are separated by a newline; a blank
    line separates sections. A reader for plain text returns the text as it was decoded.
    `encoding` records what the bytes were decoded from, for provenance.
    """

    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    media_type: str = "text/plain"
    encoding: str | None = None
    locator: str | None = None  # set when one source holds many records (RIS, BibTeX)
    roles: tuple[tuple[int, int, str], ...] = ()
    """[start, end) spans of `text` with their role (litkit.vocab.ROLES) where the format says
    it (HTML, JATS, PubMed, PDF layout); text outside every span is decided by rules."""


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus a map back to the text the reader produced.

    `offset_map` is a tuple of (clean_offset, original_offset) anchors in increasing order:
    between two anchors, characters correspond one to one. `to_original` resolves any clean
    offset, so a claim can always be quoted from the original source.
    """

    text: str
    original: str
    offset_map: tuple[tuple[int, int], ...] = ((0, 0),)

    def to_original(self, offset: int) -> int:
        """Map an offset in `text` to the corresponding offset in `original`."""
        best = (0, 0)
        lo, hi = 0, len(self.offset_map) - 1
        while lo <= hi:  # binary search for the last anchor at or before offset
            mid = (lo + hi) // 2
            if self.offset_map[mid][0] <= offset:
                best = self.offset_map[mid]
                lo = mid + 1
            else:
                hi = mid - 1
        return min(best[1] + (offset - best[0]), len(self.original))


@dataclass(frozen=True)
class Span:
    """A sentence boundary found by the segmenter: [start, end) into the clean text.

    `run`: for a piece of a run of more than MAX_SENTENCE_CHARS without a sentence boundary
    (a line without punctuation, a table or dump flattened into one line), cut at whitespace,
    the start of that run; None for a sentence. Such a piece is not a sentence: it is stored
    and searchable as text, with the language of its run, but it names no concepts and
    carries no claim (see `pipeline.process`).
    """

    start: int
    end: int
    run: int | None = None

    @property
    def run_on(self) -> bool:
        """Whether this span is a piece of a run-on (see `run`)."""
        return self.run is not None


@dataclass(frozen=True)
class Mention:
    """A lexicon concept found in a sentence; offsets are [start, end) into the clean text."""

    concept_id: str
    label: str
    category: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class OutcomePair:
    """What an outcome sentence says about one intervention (the gold guide's `outcomes`).

    `treatment` is a concept id of the lexicon, or "" for an outcome stated without a named
    intervention (a generic treatment, or the course of the disease); `direction` is one of
    litkit.vocab.DIRECTIONS.
    """

    treatment: str
    direction: str
    cues: tuple[str, ...] = ()  # the cues that decided the direction, for `litkit explain`


@dataclass(frozen=True)
class Assessment:
    """What the classifier says of one sentence, with the cues that made it say so."""

    types: tuple[str, ...] = ()
    negated: bool = False
    hedged: bool = False
    direction: str | None = None  # summary of `outcomes`, for outcome claims
    outcomes: tuple[OutcomePair, ...] = ()
    negated_spans: tuple[tuple[int, int], ...] = ()  # [start, end) in the document's clean text
    hedged_spans: tuple[tuple[int, int], ...] = ()
    dose: str | None = None
    route: str | None = None
    duration: str | None = None
    cues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One sentence of a document with its language and its assessment."""

    id: str
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    lang: str
    assessment: Assessment = field(default_factory=Assessment)
    mentions: tuple[Mention, ...] = ()
    role: str = "body"  # litkit.vocab.ROLES; only body and caption sentences carry claims


@dataclass(frozen=True)
class Document:
    """A fully processed document, ready for the single writer."""

    id: str
    source: str
    text: str
    original: str
    offset_map: tuple[tuple[int, int], ...]
    meta: DocumentMeta
    media_type: str
    encoding: str | None
    lang: str
    langs: tuple[str, ...]
    design: str | None
    segments: tuple[Segment, ...]
    patients: int | None = None
    """How many patients the study reports (litkit.study), None when the text does not say."""
    year: int | None = None
    """Publication year: the metadata's, else a labelled citation line of the text."""

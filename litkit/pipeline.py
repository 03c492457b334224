"""The per-document pipeline: parsed text in, fully processed `Document` out.

A pure function of its input and the lexicon (no database, no clock, no randomness), so it runs
the same in the main process, in a worker process of `ingest --jobs N`, or on a Dask worker,
and always gives the same ids.

It runs in two parts so that a long document's sentences are assessed a window at a time
(issue 18): `prepare` does the document-level passes (cleaning, sentence spans, languages,
roles, sections, concepts, trial arms, study facts), whose state per sentence is small;
`classify_window` then assesses a window of sentences and gives their `Segment`s. `process`
joins the windows into a `Document`; `litkit.plan.plan_parsed` turns each window into rows as
it goes (spilled to a file past one window) and never builds one. What still grows with the
document is its document-level facts and what linking needs of each sentence (measured by
`benchmarks/document_memory.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from .arms import GroupArms, group_arms, trial_arms, with_arms, with_group_arms
from .classify import assess, with_outcome_pairs
from .clean import clean
from .errors import SourceError
from .langid import detect_languages, document_languages, run_on_sample
from .lexicon import Lexicon
from .limits import check_deadline
from .models import (
    Assessment,
    CleanText,
    Document,
    Mention,
    ParsedText,
    Segment,
    content_id,
    segment_id,
)
from .roles import segment_roles, without_claims
from .sections import comparative_study, in_section, segment_sections
from .segment import segment
from .study import StudyFacts, study_facts

# Sentences assessed at once (their `Segment`s alive together until their rows are planned);
# the document-level facts cost a few hundred bytes per sentence whatever the window.
WINDOW_SENTENCES = 2000


@dataclass(frozen=True)
class Prepared:
    """A document after its document-level passes: what every window of its sentences needs.

    Per sentence only compact facts are kept (its span, text, language, role, section and
    mentions); the assessments, the costly part, are made window by window."""

    parsed: ParsedText
    source: str
    cleaned: CleanText
    doc_id: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    run_on: tuple[bool, ...]  # pieces of a run without a sentence boundary (Span.run_on)
    texts: tuple[str, ...]
    langs: tuple[str, ...]
    roles: tuple[str, ...]
    sections: tuple[str | None, ...]
    mentions: tuple[tuple[Mention, ...], ...]
    comparative: bool
    groups: GroupArms
    arms: tuple[str, ...]
    main_lang: str
    all_langs: tuple[str, ...]
    facts: StudyFacts

    def __len__(self) -> int:
        return len(self.texts)

    def header(self) -> Document:
        """The document without its sentences (`segments` empty): what its row is made of."""
        return Document(
            id=self.doc_id,
            source=self.parsed.locator or self.source,
            text=self.cleaned.text,
            original=self.cleaned.original,
            offset_map=self.cleaned.offset_map,
            meta=self.parsed.meta,
            media_type=self.parsed.media_type,
            encoding=self.parsed.encoding,
            lang=self.main_lang,
            langs=self.all_langs,
            design=self.facts.design,
            segments=(),
            patients=self.facts.patients,
            year=self.facts.year,
        )


def prepare(
    parsed: ParsedText, locator: str, lexicon: Lexicon, *, max_sentences: int | None = None
) -> Prepared:
    """Clean, segment, identify languages, find concepts, give every sentence its role and
    section, find the trial arms and read the study facts (design, patients, year).

    `max_sentences`: a document with more sentences is refused (SourceError) right after
    segmentation, before the costly per-sentence work: memory grows with the sentence count."""
    cleaned = clean(parsed.text)
    spans = [s for s in segment(cleaned.text) if cleaned.text[s.start : s.end].strip()]
    if not spans:
        raise SourceError(locator, "no text left after cleaning")
    if max_sentences and len(spans) > max_sentences:
        raise SourceError(locator, too_many_sentences(len(spans), max_sentences))
    check_deadline()  # (between stages: where no alarm can stop the document, in a thread)
    texts = [cleaned.text[s.start : s.end] for s in spans]
    # the pieces of a run-on share one language, judged on the start of the run
    samples: dict[int, str] = {}
    for text, span in zip(texts, spans, strict=True):
        if span.run is not None and span.run not in samples:
            samples[span.run] = run_on_sample(text)
    langs = detect_languages(
        [t if s.run is None else samples[s.run] for t, s in zip(texts, spans, strict=True)]
    )
    check_deadline()
    main_lang, all_langs = document_languages(langs, [len(t) for t in texts])
    roles = segment_roles(cleaned, spans, parsed.roles)
    sections = segment_sections(texts, roles)
    comparative = comparative_study(texts, sections)
    # a run-on piece (Span.run_on: no sentence boundary in 2,000 characters) is matched as
    # empty text and not classified: 5 MB without punctuation would otherwise cost 10 s of CPU
    found = lexicon.document_mentions(
        [("" if s.run_on else t, s.start) for t, s in zip(texts, spans, strict=True)]
    )
    cjk = [lang == "zh" for lang in langs]
    check_deadline()
    groups = group_arms(texts, langs, [s.start for s in spans], found)
    arms = (trial_arms(texts, sections, found, cjk) if comparative else ()) or groups.arms()
    return Prepared(
        parsed=parsed,
        source=locator,
        cleaned=cleaned,
        doc_id=content_id(cleaned.text),
        starts=tuple(s.start for s in spans),
        ends=tuple(s.end for s in spans),
        run_on=tuple(s.run_on for s in spans),
        texts=tuple(texts),
        langs=tuple(langs),
        roles=tuple(roles),
        sections=tuple(sections),
        mentions=tuple(map(tuple, found)),
        comparative=comparative,
        groups=groups,
        arms=tuple(arms),
        main_lang=main_lang,
        all_langs=tuple(all_langs),
        facts=study_facts(cleaned.text, parsed.meta),
    )


def windows(count: int, size: int | None = None) -> Iterator[range]:
    """Consecutive ranges of sentence indexes, `size` (default `WINDOW_SENTENCES`, read at
    call time) at most each; a size under 1 is one."""
    size = max(WINDOW_SENTENCES if size is None else size, 1)
    for start in range(0, count, size):
        yield range(start, min(start + size, count))


def classify_window(prepared: Prepared, indexes: range) -> list[Segment]:
    """Assess the sentences at `indexes` and give their segments. A sentence's assessment
    reads only its own facts and the document-level ones, so any window gives the same."""
    check_deadline()
    segments = []
    doc_id = prepared.doc_id
    for index in indexes:
        text, lang, start = prepared.texts[index], prepared.langs[index], prepared.starts[index]
        mentions, section = prepared.mentions[index], prepared.sections[index]
        role = prepared.roles[index]
        if prepared.run_on[index]:
            segments.append(_run_on_segment(prepared, index))
            continue
        assessment = assess(text, lang, mentions, offset=start)
        assessment = in_section(assessment, section, text, lang, prepared.comparative)
        assessment = with_outcome_pairs(assessment, text, lang, mentions, offset=start)
        assessment = with_group_arms(assessment, text, lang, mentions, start, prepared.groups)
        if section == "results":
            assessment = with_arms(assessment, prepared.arms, text, lang)
        segments.append(
            Segment(
                id=segment_id(doc_id, index),
                doc_id=doc_id,
                index=index,
                start=start,
                end=prepared.ends[index],
                text=text,
                lang=lang,
                assessment=without_claims(assessment, role),
                mentions=mentions,
                role=role,
            )
        )
    return segments


def process(
    parsed: ParsedText,
    locator: str,
    lexicon: Lexicon,
    *,
    max_sentences: int | None = None,
    window: int | None = None,
) -> Document:
    """The whole pipeline (`prepare`, then `classify_window` over every window): a document
    with all its segments. Any `window` gives the same document."""
    prepared = prepare(parsed, locator, lexicon, max_sentences=max_sentences)
    parts = windows(len(prepared), window)
    segments = [s for part in parts for s in classify_window(prepared, part)]
    return dataclasses.replace(prepared.header(), segments=tuple(segments))


def _run_on_segment(prepared: Prepared, index: int) -> Segment:
    """A run-on piece: its text, language and role, no mention, no claim (cue no_claim:run_on)."""
    return Segment(
        id=segment_id(prepared.doc_id, index),
        doc_id=prepared.doc_id,
        index=index,
        start=prepared.starts[index],
        end=prepared.ends[index],
        text=prepared.texts[index],
        lang=prepared.langs[index],
        assessment=Assessment(cues=("no_claim:run_on",)),
        role=prepared.roles[index],
    )


def too_many_sentences(count: int, limit: int) -> str:
    """The refusal of a document past the sentence cap, with the way to raise it."""
    return (
        f"too many sentences for one document ({count:,}; the limit is {limit:,},"
        " --max-sentences): split it into articles"
    )

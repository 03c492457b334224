"""The per-document pipeline: parsed text in, fully processed `Document` out.

A pure function of its input and the lexicon (no database, no clock, no randomness), so it runs
the same in the main process, in a worker process of `ingest --jobs N`, or on a Dask worker,
and always gives the same ids.
"""

from __future__ import annotations

from .arms import group_arms, trial_arms, with_arms, with_group_arms
from .classify import assess, with_outcome_pairs
from .clean import clean
from .errors import SourceError
from .langid import detect_languages, document_languages, run_on_sample
from .lexicon import Lexicon
from .models import Assessment, Document, ParsedText, Segment, Span, content_id, segment_id
from .roles import segment_roles, without_claims
from .sections import comparative_study, in_section, segment_sections
from .segment import segment
from .study import study_facts


def process(
    parsed: ParsedText, locator: str, lexicon: Lexicon, *, max_sentences: int | None = None
) -> Document:
    """Clean, segment, identify languages, find concepts, give every sentence its role and
    assess it (only body and caption sentences keep claim types), and read the study facts
    (design, patients, year).

    `max_sentences`: a document with more sentences is refused (SourceError) right after
    segmentation, before the costly per-sentence work: memory grows with the sentence count."""
    cleaned = clean(parsed.text)
    spans = [s for s in segment(cleaned.text) if cleaned.text[s.start : s.end].strip()]
    if not spans:
        raise SourceError(locator, "no text left after cleaning")
    if max_sentences and len(spans) > max_sentences:
        raise SourceError(locator, too_many_sentences(len(spans), max_sentences))
    doc_id = content_id(cleaned.text)
    texts = [cleaned.text[s.start : s.end] for s in spans]
    # the pieces of a run-on share one language, judged on the start of the run
    samples: dict[int, str] = {}
    langs = detect_languages(
        [
            t if s.run is None else samples.setdefault(s.run, run_on_sample(t))
            for t, s in zip(texts, spans, strict=True)
        ]
    )
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
    groups = group_arms(texts, langs, [s.start for s in spans], found)
    arms = (trial_arms(texts, sections, found, cjk) if comparative else ()) or groups.arms()
    segments = []
    for index, (span, text, lang, role) in enumerate(zip(spans, texts, langs, roles, strict=True)):
        mentions = tuple(found[index])
        if span.run_on:
            segments.append(_run_on_segment(doc_id, index, span, text, lang, role))
            continue
        assessment = assess(text, lang, mentions, offset=span.start)
        assessment = in_section(assessment, sections[index], text, lang, comparative)
        assessment = with_outcome_pairs(assessment, text, lang, mentions, offset=span.start)
        assessment = with_group_arms(assessment, text, lang, mentions, span.start, groups)
        if sections[index] == "results":
            assessment = with_arms(assessment, arms, text, lang)
        segments.append(
            Segment(
                id=segment_id(doc_id, index),
                doc_id=doc_id,
                index=index,
                start=span.start,
                end=span.end,
                text=text,
                lang=lang,
                assessment=without_claims(assessment, role),
                mentions=mentions,
                role=role,
            )
        )
    facts = study_facts(cleaned.text, parsed.meta)
    return Document(
        id=doc_id,
        source=parsed.locator or locator,
        text=cleaned.text,
        original=cleaned.original,
        offset_map=cleaned.offset_map,
        meta=parsed.meta,
        media_type=parsed.media_type,
        encoding=parsed.encoding,
        lang=main_lang,
        langs=all_langs,
        design=facts.design,
        segments=tuple(segments),
        patients=facts.patients,
        year=facts.year,
    )


def _run_on_segment(
    doc_id: str, index: int, span: Span, text: str, lang: str, role: str
) -> Segment:
    """A run-on piece: its text, language and role, no mention, no claim (cue no_claim:run_on)."""
    return Segment(
        id=segment_id(doc_id, index),
        doc_id=doc_id,
        index=index,
        start=span.start,
        end=span.end,
        text=text,
        lang=lang,
        assessment=Assessment(cues=("no_claim:run_on",)),
        role=role,
    )


def too_many_sentences(count: int, limit: int) -> str:
    """The refusal of a document past the sentence cap, with the way to raise it."""
    return (
        f"too many sentences for one document ({count:,}; the limit is {limit:,},"
        " --max-sentences): split it into articles"
    )

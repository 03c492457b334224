"""The built-in readers and locator schemes, registered through the plugin hooks.

They go through `litkit.plugins` like any external plugin, so what a plugin can add (a media
type with its extensions, a scheme) is exactly what litkit itself uses.
"""

from __future__ import annotations

from collections.abc import Callable

from litkit.models import ParsedText, RawSource
from litkit.plugins import hookimpl
from litkit.sources import http, jats, pdf, pubmed, refs
from litkit.sources.text import read_markdown, read_text

REFERENCE_TYPES = {
    "application/x-research-info-systems": (".ris", ".nbib"),  # RIS and .nbib
    "application/x-bibtex": (".bib",),
    "application/x-medline": (".medline",),
    "text/csv": (".csv",),  # by content: a RIS or BibTeX saved as .csv too
    "text/tab-separated-values": (".tsv",),
}


def read_html(raw: RawSource) -> list[ParsedText]:
    """`litkit.sources.html.read_html`, imported when a page is first read.

    Why: bs4 and soupsieve cost ~0.2 s of CPU to import, in every ingest process and worker,
    while most inputs are text, PDF or XML."""
    from litkit.sources.html import read_html as read

    return read(raw)


@hookimpl
def register_readers(register: Callable[..., None]) -> None:
    """Text, Markdown, HTML, PDF, PubMed and JATS XML, and reference-manager exports."""
    register("text/plain", read_text, extensions=(".txt", ".text"))
    register("text/markdown", read_markdown, extensions=(".md", ".markdown"))
    register("text/html", read_html, extensions=(".html", ".htm", ".xhtml"))
    register("application/pdf", pdf.read_pdf, extensions=(".pdf",))
    # PubMed or JATS, told apart by the root element
    register("application/xml", jats.read_xml, extensions=(".xml", ".nxml"))
    register("text/xml", jats.read_xml)
    register(http.PUBMED_XML, pubmed.read_pubmed_xml)
    register(http.JATS_XML, jats.read_jats)
    for media_type, extensions in REFERENCE_TYPES.items():
        register(media_type, refs.read_references, extensions=extensions)


@hookimpl
def register_schemes(register: Callable[..., None]) -> None:
    """Web addresses, PubMed ids and PubMed Central ids."""
    register("http", http.fetch_url_sources)
    register("https", http.fetch_url_sources)
    register("pmid", pubmed.fetch_pmid_sources)
    register("pmcid", jats.fetch_pmcid_sources)

"""`litkit pubmed search`: PubMed ids for a query, listed or ingested."""

from __future__ import annotations

import sys

import click

from ..commands.common import (
    format_option,
    reports_errors,
)
from ..commands.ingest import ingest
from ..output import write_records


@click.group()
def pubmed() -> None:
    """Search PubMed through NCBI E-utilities (LITKIT_EUTILS_URL, NCBI_API_KEY)."""


@pubmed.command(name="search")
@click.argument("term")
@click.option("--max", "max_results", type=click.IntRange(1, 10_000), default=100,
              show_default=True, help="How many hits at most.")  # fmt: skip
@click.option("--ingest", "ingest_hits", is_flag=True, help="Ingest the hits, not list them.")
@format_option()
@click.pass_context
@reports_errors
def pubmed_search(
    ctx: click.Context, term: str, max_results: int, ingest_hits: bool, fmt: str
) -> None:
    """List (or ingest) the PubMed records matching TERM, most relevant first."""
    from ..sources.pubmed import search

    pmids = search(term, max_results=max_results)
    if not ingest_hits:
        write_records([{"pmid": p, "source": f"pmid:{p}"} for p in pmids], fmt, sys.stdout)
        return
    click.echo(f"{len(pmids)} hits for {term!r}", err=True)
    if pmids:
        ctx.invoke(ingest, sources=(f"pmid:{','.join(pmids)}",))

"""`litkit load SHARD...`: merge JSONL shards written by a distributed run into the database.

The shards carry fully processed documents with their ids, so loading is only the single
writer's work (each document whole or absent, duplicates skipped): shards may be loaded in any
order, twice, or into a database that already holds some of their documents.
"""

from __future__ import annotations

import click

from .common import LitkitContext, finish_batch, outcome_line, reports_errors


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
@reports_errors
def load(obj: LitkitContext, shards: tuple[str, ...]) -> None:
    """Merge JSONL shards (from `litkit.shards` / a Dask run) into the database."""
    from ..ingest import store_results
    from ..shards import read_shard

    counts = {"ingested": 0, "skipped": 0, "failed": 0}
    lexicon = obj.lexicon  # the one the shards were made with
    for shard in shards:
        for outcome in store_results(obj.db, read_shard(shard), lexicon):
            counts[outcome.status] += 1
            if outcome.status == "failed":
                click.echo(outcome_line(outcome), err=True)
    finish_batch(counts)

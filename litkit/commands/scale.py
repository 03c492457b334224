"""`litkit load SHARD...`: merge JSONL shards written by a distributed run into the database.

The shards carry fully processed documents with their ids, so loading is only the single
writer's work (one transaction per document, duplicates skipped): shards may be loaded in any
order, twice, or into a database that already holds some of their documents.
"""

from __future__ import annotations

import sys

import click

from ..errors import LitkitError


@click.command()
@click.argument("shards", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.pass_obj
def load(obj, shards: tuple[str, ...]) -> None:
    """Merge JSONL shards (from `litkit.shards` / a Dask run) into the database."""
    from ..ingest import load_lexicon, store_results
    from ..shards import read_shard

    counts = {"ingested": 0, "skipped": 0, "failed": 0}
    try:
        db = obj.db
        lexicon = load_lexicon(obj.lexicon_paths)  # the one the shards were made with
        for shard in shards:
            for outcome in store_results(db, read_shard(shard), lexicon):
                counts[outcome.status] += 1
                if outcome.status == "failed":
                    click.echo(f"failed    {outcome.locator}: {outcome.reason}", err=True)
    except LitkitError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"total: {counts['ingested']} ingested, {counts['skipped']} skipped,"
        f" {counts['failed']} failed",
        err=True,
    )
    if counts["failed"]:
        sys.exit(1)

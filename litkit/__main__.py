"""`python -m litkit` runs the command-line interface."""

from litkit.cli import cli

cli()

"""The `kg` command line: thin commands over the Python API."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="kg")
def cli() -> None:
    """Turn news articles into a knowledge graph of bilateral agreements."""


def main() -> None:
    cli()

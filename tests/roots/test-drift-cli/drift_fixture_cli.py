"""A tiny click CLI known to the build through runbook_clis."""

import click


@click.group()
def cli() -> None:
    """Fixture."""


@cli.command()
@click.option("--name", required=True)
def hello(name: str) -> None:
    """Say hello."""
    click.echo(name)

"""`zhiye neo4j start|stop|status`: plain functions that api/cli.py registers as typer commands.

Errors are ``Neo4jServerError`` (a ``ZhiyeError``); the main CLI prints them and exits 2. The server module and
the settings are imported inside each command: every `zhiye` run registers these commands, and importing them here
cost every other command (`zhiye analyze --server` among them) 0.3 s of start-up.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer


def neo4j_start() -> None:
    """Start the local Neo4j server, fetching its jars from Maven Central the first time."""
    from graph.neo4j import server as neo4j_server
    from graph.settings import get_settings

    settings = get_settings()
    conn = neo4j_server.start(settings)
    st = neo4j_server.status(settings)
    typer.echo(f"Neo4j {st['version']} is running at {conn.uri} (pid {st['pid']}), user {conn.user}; "
               f"password in {st['state_file']}")  # fmt: skip


def neo4j_stop() -> None:
    """Stop the local Neo4j server."""
    from graph.neo4j import server as neo4j_server
    from graph.settings import get_settings

    stopped = neo4j_server.stop(get_settings())
    typer.echo("Neo4j stopped" if stopped else "Neo4j was not running")


def neo4j_status(
    as_json: Annotated[bool, typer.Option("--json", help="print the state as JSON (includes the password)")] = False,
) -> None:
    """Show whether the local Neo4j server runs and answers; exit status 3 when it does not."""
    from graph.neo4j import server as neo4j_server
    from graph.settings import get_settings

    st = neo4j_server.status(get_settings())
    if as_json:
        typer.echo(json.dumps(st, indent=1))
    elif st["answering"]:
        typer.echo(f"Neo4j {st['version']} answers at {st['uri']} (pid {st['pid']}, {st['rss_mb']} MB resident), "
                   f"user {st['user']}; password in {st['state_file']}")  # fmt: skip
    elif st["running"]:
        typer.echo(f"Neo4j pid {st['pid']} runs but does not answer at {st['uri']}; see {st['log']}")
    else:
        jars = "jars present" if st["jars"] else "jars not fetched yet"
        typer.echo(f"Neo4j is not running ({jars}; home {st['home']})")
    if not st["answering"]:
        raise typer.Exit(3)

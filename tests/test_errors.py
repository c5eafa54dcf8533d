"""One base for user errors (kg.errors.KgError) and one CLI handler; --store memory refused
where a command needs a store built by another process."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.evaluate import GoldError
from kg.loaders import LoadError
from kg.network import NetworkError
from kg.query import QueryError
from kg.store import StoreError


@pytest.mark.parametrize("error", [StoreError, QueryError, LoadError, NetworkError, GoldError])
def test_every_domain_error_is_a_kg_error(error: type[Exception]) -> None:
    assert issubclass(error, KgError)


def test_a_domain_error_is_one_kg_line_with_exit_code_1(tmp_path) -> None:
    gold = tmp_path / "gold.csv"
    gold.write_text("not,a,gold,table\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Japan and Australia signed a defence pact.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--gold", str(gold), str(article)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kg: {gold}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", [
    ["render", "-o", "{tmp}/graph.html"],
    ["stats"],
    ["validate"],
    ["query", "agreements"],
    ["export", "agreements"],
    ["export", "graph"],
    ["export", "network"],
])
def test_a_command_that_reads_a_built_store_refuses_store_memory(command: list[str], tmp_path) -> None:
    args = [part.replace("{tmp}", str(tmp_path)) for part in command] + ["--store", "memory"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "--store memory" in result.output + result.stderr
    assert "empty" in result.output + result.stderr
    assert not (tmp_path / "graph.html").exists()

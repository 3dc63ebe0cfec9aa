"""Every command documents itself with an example."""

import pytest
import typer

from miler.cli import app

COMMANDS = [c for c in typer.main.get_command(app).commands]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(runner, name):
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Example: miler " + name in result.stdout


def test_top_level_help_lists_commands_with_an_example(runner):
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Example: miler h2h kerr ingebrigtsen" in result.stdout
    for name in COMMANDS:
        assert name in result.stdout

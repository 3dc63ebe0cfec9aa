"""The command line: options in, one call into analysis, one view, one render.

    app.py      the Typer app; errors become messages and exit codes (the one place)
    options.py  the options, defined once (the shared filters, formats, --data, --as, …)
    common.py   loading, names, filtering and output, around every command's one analysis call
    results.py  h2h, gaps, meet, meets, athletes, events, list
    people.py   progression, athlete, rivals, rank, odds
    words.py    quotes, timeline
    data.py     export, validate, import, formats, info

Nothing heavy (pandas, rich tables) is imported until a command runs, and only the command that
runs is built, so --help and every command start fast.
"""

from __future__ import annotations

import os
import sys

import typer

# each module registers its commands, in the order `miler --help` lists them
from miler.cli import results  # noqa: F401, I001
from miler.cli import people  # noqa: F401
from miler.cli import words  # noqa: F401
from miler.cli import data  # noqa: F401
from miler.cli.app import SETTINGS, quiet_broken_pipe, app, err, main_options

__all__ = ["app", "main"]


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command that runs (building every command's options costs more
    than running a small one); the whole app for help, completion and anything else."""
    wanted = args[0] if args else None
    chosen = [c for c in app.registered_commands if c.name == wanted]
    if not chosen or any(k.startswith("_MILER_COMPLETE") for k in os.environ):
        return app
    one = typer.Typer(**SETTINGS)
    one.callback()(main_options)
    one.registered_commands = chosen
    return one


def main() -> None:
    """The console script: run the app. Ctrl-C ends with 130, SIGTERM and SIGHUP with 128 + the
    signal (after clean-up: no temporary file is left), a closed pipe with 141, quietly; an OS
    error on a path that no command turned into a message becomes one, exit 1."""
    from miler import terminal
    from miler.errors import MilerError

    try:
        with terminal.session():
            try:
                _app_for(sys.argv[1:])()
            finally:
                sys.stdout.flush()  # a reader gone since the last write shows here, not at exit
    except KeyboardInterrupt:
        err("interrupted")
        sys.exit(130)
    except terminal.Terminated as exc:
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        quiet_broken_pipe()
    except MilerError as exc:  # the final flush of a full stdout, say
        err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except OSError as exc:
        if exc.filename is None:
            raise
        from miler.errors import PathError

        err(f"error: {PathError(exc.filename, exc)}")
        sys.exit(1)

"""The Typer app, and the one place where errors become messages and exit codes: 0 success, 1 a
data or lookup problem (a message on stderr, no traceback), 2 a usage error (Typer's own), 70 an
internal error (one line; the traceback with MILER_DEBUG=1), 130 Ctrl-C, 141 a closed pipe.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Annotated

import typer
import typer.core

from miler import __version__


SETTINGS = dict(
    name="miler",
    help="Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.\n\n"
    "Example: miler h2h kerr ingebrigtsen",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


app = typer.Typer(**SETTINGS)


INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE


_CLICK_ERROR = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def err(message: str) -> None:
    from miler.display import safe

    typer.echo(safe(message), err=True)


def handles_errors(fn):
    """miler's errors become a message on stderr and exit 1; anything unexpected becomes one
    line and exit 70 (the traceback too with MILER_DEBUG=1)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from miler.errors import DataError, MilerError

        try:
            return fn(*args, **kwargs)
        except DataError as exc:
            for p in exc.problems:
                err(f"error: {p}")
            if exc.total > len(exc.problems):
                err(f"error: … and {exc.total - len(exc.problems)} more problems not shown")
            raise typer.Exit(exc.exit_code) from None
        except MilerError as exc:
            err(f"error: {exc}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipeError:  # the reader went away (| head): before Typer makes it exit 1
            quiet_broken_pipe()
        except KeyboardInterrupt:
            err("interrupted")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, _CLICK_ERROR):
            raise
        except OSError as exc:
            if exc.filename is None:
                raise _internal(exc) from None
            from miler.errors import PathError

            err(f"error: {PathError(exc.filename, exc)}")
            raise typer.Exit(1) from None
        except Exception as exc:
            raise _internal(exc) from None

    return wrapper


def _internal(exc: BaseException) -> typer.Exit:
    """A bug: one line for the user (the traceback too with MILER_DEBUG=1), and exit 70."""
    if os.environ.get("MILER_DEBUG") == "1":
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    first = str(exc).splitlines()[0] if str(exc) else ""
    err(f"miler: internal error ({type(exc).__name__}: {first}) — please report it with the command you ran")
    return typer.Exit(INTERNAL_ERROR)


class _Command(typer.core.TyperCommand):
    """Usage lines that name arguments plainly: ATHLETE..., not {ATHLETE...}."""

    def collect_usage_pieces(self, ctx):
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


def command(name: str, **kwargs):
    """app.command, with miler's error handling around the function."""

    def decorate(fn):
        return app.command(name, cls=_Command, **kwargs)(handles_errors(fn))

    return decorate


def _version(value: bool) -> None:
    if value:
        typer.echo(f"miler {__version__}")
        raise typer.Exit()


def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Race results for middle-distance running: head-to-heads, gaps, progressions, quotes.

    Example: miler h2h kerr ingebrigtsen
    """


app.callback()(main_options)


def quiet_broken_pipe() -> None:
    from miler.terminal import quiet_stdout

    quiet_stdout()  # Python flushes stdout at exit: that flush must not fail again
    sys.exit(141)

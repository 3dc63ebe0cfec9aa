"""Keep the README's example output true: every ```console block's `$ miler …` commands are
run on the shipped dataset and their output (stderr's notes first, then stdout, as a terminal
shows them) replaces what the README says they print.

    python tools/readme.py            # rewrite README.md in place
    python tools/readme.py --check    # exit 1 and show a diff where the README is out of date

tests/test_readme.py runs the check, so a change to the data or the output that leaves the
README behind fails the suite.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```console\n(.*?)^```$", re.S | re.M)


def run(command: str) -> str:
    """What `miler …` prints, run in-process on the shipped data (no terminal: plain tables)."""
    sys.path.insert(0, str(README.parent / "tests"))
    from conftest import make_runner

    from miler.cli import app

    args = shlex.split(command)
    assert args[0] == "miler", command
    result = make_runner().invoke(app, args[1:], env={"MILER_DATA": None, "COLUMNS": "200"})
    return result.stderr + result.stdout


def render_block(body: str) -> str:
    """A console block with each command's output as miler prints it now."""
    out = []
    for line in body.splitlines():
        if line.startswith("$ miler "):
            out.append(line)
            out.extend(run(line[2:]).rstrip("\n").splitlines())
        elif line.startswith("$ "):
            raise ValueError(f"only miler commands are run: {line}")
    return "\n".join(out) + "\n"


def rendered(text: str) -> str:
    return BLOCK.sub(lambda m: "```console\n" + render_block(m.group(1)) + "```", text)


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = rendered(text)
    if "--check" in argv:
        if new != text:
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True), "README.md",
                                                       "README.md (as miler prints it now)"))
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

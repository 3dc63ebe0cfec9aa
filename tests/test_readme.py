"""The README's example output is what miler prints now, on the shipped dataset (regenerate
it with `python tools/readme.py`)."""

import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def test_every_command_shown_in_the_readme_prints_what_the_readme_says():
    sys.path.insert(0, str(TOOLS))
    import readme

    text = readme.README.read_text(encoding="utf-8")
    assert readme.BLOCK.findall(text), "the README shows no command"
    for block in readme.BLOCK.finditer(text):
        assert readme.render_block(block.group(1)) == block.group(1), block.group(1).splitlines()[0]

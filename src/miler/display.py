"""Text that came from a file, made safe to show on a terminal (stdout or stderr).

Nothing heavy is imported here: error messages on stderr go through ``safe`` too.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

# C0 controls (but for tab and newline, handled apart), DEL, C1 controls
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# characters that change how text around them is shown: bidi controls, zero-width characters,
# the byte-order mark, line and paragraph separators
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def safe(value: str, newlines: bool = False) -> str:
    """Text from a file as it may be shown on a terminal: no control character reaches it
    (each becomes a visible escape: \\x1b, \\t) and no invisible one hides in it (<U+202E>).
    A line break stays one where newlines is true (a quote of several paragraphs, in a table
    cell), else it is shown as \\n."""
    if value.isprintable():
        return value
    value = value.replace("\r\n", "\n").replace("\t", "\\t")
    if not newlines:
        value = value.replace("\n", "\\n")
    value = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    value = _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)
    if value.replace("\n", "").isprintable():
        return value
    # anything else a terminal would not show as a character (private use, unassigned, …)
    return "".join(c if c.isprintable() or c == "\n" else f"<U+{ord(c):04X}>" for c in value)


def short_source(source: str) -> str:
    """A source as a table shows it: a web page by its site's domain (letsrun.com), a file of
    a repository by the repository's name and the file's (AthleticScraper:1500-metres.csv);
    anything else (a seed article's file name, FILE:LINE) as it is."""
    if source.startswith(("http://", "https://")):
        host = urlparse(source).hostname or source
        return host.removeprefix("www.")
    head, sep, path = source.partition(":")
    if sep and head.count("/") == 1 and path and not path.isdigit():
        return f"{head.split('/')[1]}:{path.rsplit('/', 1)[-1]}"
    return source

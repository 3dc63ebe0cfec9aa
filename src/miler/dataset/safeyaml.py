"""quotes.yaml's YAML, read safely: yaml.safe_load's rules (plain data only, never objects),
stricter, and one quote at a time.

A tag such as !!python/object is refused, never constructed; anchors and aliases (&name, *name)
are refused where they appear, before anything is built from them, so an alias bomb never grows.
The items of the top-level list are composed and built one at a time, and no item may hold more
than MAX_QUOTE_NODES values, so the memory a file takes stays a small multiple of its size. Every
YAML error becomes a DataError naming its line.
"""

from __future__ import annotations

import re

from miler.errors import DataError, Problem
from miler.marks import shown

MAX_QUOTE_NODES = 10_000  # values (texts, lists, keys) in one quote: a real one has about 20
MAX_DEPTH = 100  # lists in lists: a quote needs three levels


def quote_items(text: str, name: str):
    """(line, value) of each item of the document's top-level list, built one at a time; raises
    DataError for YAML that is not a list of plain data (naming the line where it can)."""
    import yaml

    Loader = quote_loader(yaml)
    loader = None
    try:
        loader = Loader(text)  # a SafeLoader: never constructs Python objects
        yield from _items(loader, yaml, name)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, yaml, text, Loader.BYTE_POSITIONS, name) from None
    except RecursionError:
        raise DataError([Problem(name, 0, "YAML error: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()


def _yaml_error(exc, yaml, text: str, byte_positions: bool, name: str) -> DataError:
    """A YAML error as a DataError: its line, and words a user can act on."""
    if isinstance(exc, yaml.reader.ReaderError):  # a control character, say
        before = (text.encode("utf-8") if byte_positions else text)[: max(exc.position, 0)]
        line = before.count(b"\n" if byte_positions else "\n") + 1
        return DataError([Problem(name, line, f"YAML error: character {exc.character:#06x} is not allowed "
                                  f"({exc.reason})")])
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 0
    what = getattr(exc, "problem", None) or str(exc)
    if "maximum nesting depth" in what:  # libyaml's own limit, deeper than MAX_DEPTH
        line, what = 0, "nested too deeply"
    tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", what)
    if tag:
        what = f"the tag !!{tag.group(1)} is refused: quotes hold plain text, dates and lists, not objects"
    return DataError([Problem(name, line, f"YAML error: {what}")])


def _items(loader, yaml, name: str):
    """(line, value) for each item of the document's top-level list, composed and built one at a
    time: a file is never held whole as YAML nodes. Nothing at all (an empty file, or only
    comments) is no quotes; anything but a list is an error."""
    loader.get_event()  # the stream's start
    if loader.check_event(yaml.StreamEndEvent):
        return
    loader.get_event()  # the document's start
    first = loader.peek_event()
    if not isinstance(first, yaml.SequenceStartEvent) or first.tag not in (None, "tag:yaml.org,2002:seq"):
        # only a document holding nothing at all (`---` or `~`) is not an error
        if not isinstance(first, yaml.ScalarEvent) or loader.construct_document(loader.compose_node(None, None)) is not None:
            raise DataError([Problem(name, first.start_mark.line + 1, "expected a list of quotes (each item starting with '- ')")])
    else:
        loader.check_anchor()
        loader.get_event()  # the list's start
        while not loader.check_event(yaml.SequenceEndEvent):
            loader.nodes = 0
            node = loader.compose_node(None, None)
            yield node.start_mark.line + 1, loader.construct_document(node)
        loader.get_event()  # the list's end
    loader.get_event()  # the document's end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError(None, None, "expected a single document in the stream, but found another "
                                          "document", loader.peek_event().start_mark)


def quote_loader(yaml):
    """yaml.SafeLoader's rules, stricter (see _Strict). Events come from libyaml where PyYAML has
    it (twenty times faster than its Python parser); nodes are composed here, one quote at a
    time. Built afresh each time: which parser PyYAML has is asked then."""
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    Parser = _parser()

    class QuoteLoader(_Strict, Composer, Parser, SafeConstructor, Resolver):
        BYTE_POSITIONS = Parser.__module__ == "yaml._yaml"  # libyaml counts bytes of UTF-8, not characters
        _yaml = yaml

        def __init__(self, stream):
            Parser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    QuoteLoader.add_constructor("tag:yaml.org,2002:timestamp", QuoteLoader.timestamp_or_text)
    return QuoteLoader


def _parser():
    """libyaml's parser, else PyYAML's own (PyYAML built without libyaml)."""
    try:
        from yaml._yaml import CParser

        return CParser
    except ImportError:
        from yaml.parser import Parser as PyParser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        class Parser(Reader, Scanner, PyParser):
            def __init__(self, stream):
                Reader.__init__(self, stream)
                Scanner.__init__(self)
                PyParser.__init__(self)

        return Parser


class _Strict:
    """What the quote loader adds to yaml.SafeLoader's rules (it comes first among the loader's
    classes): a key twice in one mapping is an error (YAML would keep the last silently), an
    impossible date (2024-02-30) stays text for the date check to name, a value its explicit tag
    cannot hold (!!int abc) is an error at its line, not a crash, and anchors, aliases, quotes
    of more than MAX_QUOTE_NODES values and nesting deeper than MAX_DEPTH are refused as they are
    met."""

    _yaml = None  # the yaml module (set on the loader)
    nodes = 0
    depth = 0

    def compose_node(self, parent, index):
        yaml = self._yaml
        self.check_anchor()
        self.nodes += 1
        if self.nodes > MAX_QUOTE_NODES:
            raise yaml.composer.ComposerError(
                None, None, f"a quote of more than {MAX_QUOTE_NODES:,} values (a quote holds a few texts and "
                f"lists)", self.peek_event().start_mark)
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, "nested too deeply", None)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def check_anchor(self):
        """Refuse an alias or an anchor before anything is built from it (an alias bomb)."""
        yaml = self._yaml
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            what = ("*" if isinstance(event, yaml.AliasEvent) else "&") + event.anchor[:40]
            raise yaml.composer.ComposerError(
                None, None, f"anchors and aliases ({what}) are refused: write each quote out in full",
                event.start_mark)

    def construct_mapping(self, node, deep=False):
        yaml = self._yaml
        seen = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if key.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key '{key.value}' appears twice in one quote", key.start_mark)
                seen.add(key.value)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise self._yaml.constructor.ConstructorError(
                None, None, f"{shown(str(node.value))} is not a valid {kind} ({exc})", node.start_mark) from None

    def timestamp_or_text(self, node):
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

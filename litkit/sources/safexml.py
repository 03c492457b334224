"""Parse untrusted XML (PubMed, PMC/JATS, anything a URL returns) without its traps.

Why not plain `xml.etree.ElementTree.fromstring`: a document can declare entities that
expand exponentially ("billion laughs") or that point at local files or URLs (XXE). Real
PubMed and JATS files never declare entities; they only name an external DTD in their
DOCTYPE, which expat does not fetch. So the rule is simple and costs nothing on real data:
a DOCTYPE is allowed, any entity declaration or external entity reference is refused at
the moment expat sees it, before anything is expanded or read. This is what `defusedxml`
does, in twenty lines, without a new dependency.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat as pyexpat

from litkit.errors import SourceError

# Elements deeper than this are refused while parsing: readers walk the tree recursively
# (ElementTree's itertext, our own section walk), and a document nested 100,000 deep would end
# in RecursionError. Real JATS nests sections, lists, tables and formulas a few dozen deep.
MAX_XML_DEPTH = 256


class _Refused(Exception):
    """Raised from inside an expat handler to stop parsing at once."""


def _refuse_entity_declaration(name: str, *_args: object) -> None:
    raise _Refused(f"XML declares entity {name!r}; entity declarations are refused")


def _refuse_unparsed_entity(name: str, *_args: object) -> None:
    raise _Refused(f"XML declares unparsed entity {name!r}; entity declarations are refused")


def _refuse_external_reference(_context: object, _base: object, system_id: object, _pub: object):
    raise _Refused(f"XML references external entity {system_id!r}; external entities are refused")


def parse_xml(data: bytes | str, locator: str) -> ET.Element:
    """Parse `data` and return its root element, or raise SourceError(locator, reason).

    Nesting deeper than MAX_XML_DEPTH is refused as it is read. Entity declarations
    (internal or external) and external entity references are refused before any expansion,
    so a hostile document costs a few kilobytes and reads no file.
    pyexpat is driven directly because the C ElementTree parser hides its expat handlers.
    """
    builder = ET.TreeBuilder()
    expat = pyexpat.ParserCreate(namespace_separator="}")
    expat.buffer_text = True
    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _Refused(f"XML nested more than {MAX_XML_DEPTH} elements deep")
        builder.start(_clark(tag), {_clark(key): value for key, value in attrs.items()})

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(_clark(tag))

    expat.StartElementHandler = start
    expat.EndElementHandler = end
    expat.CharacterDataHandler = builder.data
    expat.EntityDeclHandler = _refuse_entity_declaration
    expat.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    expat.ExternalEntityRefHandler = _refuse_external_reference
    try:
        expat.Parse(data, True)
        return builder.close()
    except _Refused as refused:
        raise SourceError(locator, str(refused)) from None
    except pyexpat.ExpatError as error:
        reason = pyexpat.errors.messages.get(error.code, str(error)) if error.code else str(error)
        raise SourceError(locator, f"not well-formed XML ({reason}, line {error.lineno})") from None
    except AssertionError:  # TreeBuilder.close() on a document without any element
        raise SourceError(locator, "not well-formed XML (no element found)") from None


def _clark(name: str) -> str:
    """expat's `namespace}local` to ElementTree's `{namespace}local`."""
    return "{" + name if "}" in name else name


def local_name(tag: str) -> str:
    """The tag without its `{namespace}` prefix: JATS files come with and without namespaces."""
    return tag.rsplit("}", 1)[-1]


def root_name(data: bytes, limit: int = 4096) -> str | None:
    """The name of the first element in `data`, read from its first bytes without parsing.

    Used to tell PubMed XML from JATS from XHTML cheaply, before choosing a reader.
    """
    head = data[:limit].decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    position = 0
    while True:
        start = head.find("<", position)
        if start < 0 or start + 1 >= len(head):
            return None
        following = head[start + 1]
        if following in "?!":  # XML declaration, processing instruction, comment or DOCTYPE
            if head.startswith("<!--", start):
                end = head.find("-->", start)
                position = end + 3 if end >= 0 else len(head)
            else:
                position = start + 2
            continue
        name = []
        for char in head[start + 1 :]:
            if char.isspace() or char in "/>":
                break
            name.append(char)
        return local_name("".join(name).split(":")[-1]) or None

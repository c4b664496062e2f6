"""XML glossary files parsed safely: no entities or external references, bounded depth and size."""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml
import defusedxml.ElementTree

from service.errors import GlossaryError, GlossaryLimitError

MAX_XML_DEPTH = 64
"""Elements nested inside each other. TBX and TMX need under 12; a deeper file is a bomb (the
readers walk subtrees, so depth multiplies their work) or a mistake."""
MAX_XML_ELEMENTS = 500_000
"""Elements in a file: a 10,000-entry TBX has about 200,000. The tree costs ~100 bytes each."""


class _BoundedTreeBuilder(TreeBuilder):
    """Builds the tree like ElementTree's own builder, refusing a file past the limits at the
    element that crosses them, before the rest of it is read."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self._source = source
        self._depth = 0
        self._elements = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        self._elements += 1
        if self._depth > MAX_XML_DEPTH:
            raise GlossaryLimitError(
                f"elements nested more than {MAX_XML_DEPTH} deep (the limit)", file=self._source
            )
        if self._elements > MAX_XML_ELEMENTS:
            raise GlossaryLimitError(
                f"more than {MAX_XML_ELEMENTS} elements (the limit per file)", file=self._source
            )
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return super().end(tag)


def parse_xml(data: str | bytes, source: str) -> Element:
    """The root element of `data`; GlossaryError for unsafe, malformed or oversized XML."""
    parser = defusedxml.ElementTree.DefusedXMLParser(
        target=_BoundedTreeBuilder(source),
        forbid_dtd=False,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        root: Element = parser.close()
    except defusedxml.DefusedXmlException as exc:
        raise GlossaryError(
            f"refused unsafe XML ({type(exc).__name__}): entity declarations and external "
            "references are not allowed",
            file=source,
        ) from exc
    except ParseError as exc:
        raise GlossaryError(f"not well-formed XML: {exc}", file=source) from exc
    except (LookupError, ValueError) as exc:
        # expat asks Python for the codec the declaration names: unknown (LookupError), or one
        # it cannot read byte by byte, such as UTF-32 (ValueError).
        raise GlossaryError(
            f"the XML declaration names an encoding that cannot be read ({exc}); save as UTF-8",
            file=source,
        ) from exc
    return root

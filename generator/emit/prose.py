"""Spec prose made readable and safe as docstring text: HTML to plain text, escaping, reflow.

Three steps, in this order, for every piece of spec text a docstring quotes:
``html_to_text`` (descriptions written as HTML, as Stripe's are, become plain
text with reStructuredText inline markup), ``escape_docstring`` (the text can
no longer end or break out of a triple-quoted string) and ``reflow`` (lines
wrapped at spaces to the width, no word left alone on a last line). Escaping
comes before reflow because escape sequences hold no spaces, so no wrap can
split one; HTML comes first because its entities must be unescaped before the
backslashes are doubled.
"""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

_QUOTE_RUN = re.compile(r'"{3,}|"+\Z')
_DOC_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Tags the conversion understands; text holding none of them is not HTML and is left alone
# (``a < b``, ``<projectId>``, a URL with ``&para=1`` must keep every character).
_BLOCK = {"p", "div", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"}
_INLINE = {"a", "code", "em", "strong", "b", "i", "br", "li", "span", "td", "th"}
_HTML_TAG = re.compile(r"</?(" + "|".join(sorted(_BLOCK | _INLINE)) + r")(\s[^<>]*)?/?>", re.IGNORECASE)
# Lines whose layout means something (lists, tables, headings, indented code, fences): never joined.
_PARAGRAPH = {"p", "div", "pre", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]) ")
_STRUCTURED = re.compile(r"^(\s|[-*+] |\d+[.)] |\||#|```|~~~|>)")


class _PlainText(HTMLParser):
    """Collects the text of an HTML fragment as paragraphs, with rST inline markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []  # the href of each open <a>
        self.lists: list[str] = []  # "ul"/"ol" of each open list
        self.counters: list[int] = []
        self.fresh = True  # at the start of a line: leading spaces of the next text are dropped

    def _break(self, blank: bool) -> None:
        text = "".join(self.out).rstrip(" ")
        self.out = [text + ("\n\n" if blank else "\n")] if text else []
        self.fresh = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _PARAGRAPH:
            self._break(blank=True)
        elif tag in ("ul", "ol"):
            self._break(blank=not self.lists)
            self.lists.append(tag)
            self.counters.append(0)
        elif tag == "li":
            self._break(blank=False)
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1] == "ol":
                self.counters[-1] += 1
                self.out.append("  " * depth + f"{self.counters[-1]}. ")
            else:
                self.out.append("  " * depth + "- ")
            self.fresh = True
        elif tag in ("br", "tr"):
            self._break(blank=False)
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "code":
            self.out.append("``")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag not in _INLINE:
            self.out.append(self.get_starttag_text() or "")  # not ours: kept as written

    def handle_endtag(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self._break(blank=True)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.counters.pop()
            self._break(blank=not self.lists)
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href and href not in "".join(self.out)[-len(href) - 2 :]:
                self.out.append(f" <{href}>")
        elif tag == "code":
            self.out.append("``")
        elif tag in ("em", "i"):
            self.out.append("*")
        elif tag in ("strong", "b"):
            self.out.append("**")
        elif tag not in _BLOCK | _INLINE:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        data = re.sub(r"\s+", " ", data)
        if self.fresh:
            data = data.lstrip(" ")
            self.fresh = not data
        self.out.append(data)


def html_to_text(text: str) -> str:
    """Plain text for a description written as HTML; any other text unchanged.

    ``<p>`` becomes a paragraph, ``<a href="u">t</a>`` ``t <u>``, ``<code>x</code>``
    ````x````, list items ``- `` lines, and entities their characters.
    """
    if not _HTML_TAG.search(text):
        return text
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    lines = [line.rstrip() if _LIST_ITEM.match(line) else line.strip() for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def escape_docstring(text: str) -> str:
    """Text safe inside a triple-quoted docstring that reads back as the same characters.

    Backslashes, quote runs and control characters become escape sequences (so
    ``__doc__`` holds the original characters); tabs become spaces, line ends ``\\n``.
    """
    # Trailing whitespace goes first: a quote before it must still count as the last character.
    text = text.replace("\r\n", "\n").replace("\t", "    ").lstrip("\n").rstrip()
    text = text.replace("\\", "\\\\")
    # Only quotes that could close the docstring are escaped: runs of three or
    # more, and the run at the very end (it would merge with the closing quotes).
    text = _QUOTE_RUN.sub(lambda m: '\\"' * len(m.group()), text)
    text = _DOC_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def wrap_line(line: str, width: int, indent: str = "") -> list[str]:
    """One line wrapped at spaces (never inside a word or a URL), no word alone on the last line."""
    if len(line) <= width:
        return [line.rstrip()]
    lines = textwrap.wrap(
        line, width=width, break_long_words=False, break_on_hyphens=False, subsequent_indent=indent
    ) or [""]
    last = lines[-1][len(indent) :]
    if len(lines) >= 2 and " " not in last:
        head, _, moved = lines[-2].rpartition(" ")
        if head.strip() and len(indent) + len(moved) + 1 + len(last) <= width:
            lines[-2:] = [head, f"{indent}{moved} {last}"]
    return lines


def reflow(text: str, width: int, hanging: int = 0) -> str:
    """Paragraphs (split at blank lines) rewrapped to ``width``; structured lines wrapped one by one.

    A paragraph of plain lines is joined and wrapped again, so a spec's own
    hard line breaks at another width leave no ragged lines. A paragraph with
    a list item, table row, heading, fence or indented line keeps its lines,
    each wrapped alone (a list item's continuation under its text).
    ``hanging``: every line but the very first is indented by that many spaces
    (an entry of a docstring's Args section).
    """
    pad = " " * hanging
    out: list[str] = []
    for index, paragraph in enumerate(re.split(r"\n[ \t]*\n", text.strip("\n"))):
        lines = paragraph.split("\n")
        first = "" if index == 0 else pad  # the indent of this paragraph's first line
        if not any(_STRUCTURED.match(line) for line in lines):
            joined = first + " ".join(line.strip() for line in lines)
            out.append("\n".join(wrap_line(joined, width, pad)))
            continue
        wrapped: list[str] = []
        for line in lines:
            line = (pad if wrapped else first) + line
            item = _LIST_ITEM.match(line)
            wrapped += wrap_line(line, width, " " * item.end() if item else pad)
        out.append("\n".join(wrapped))
    return "\n\n".join(out)

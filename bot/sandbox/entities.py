"""Message entities as Telegram computes them: the HTML parse mode, link checks, bot commands.

The emulator must refuse exactly the HTML that Telegram refuses (with the same description) and
return the same plain text and entities Telegram would, so journey tests see what a real chat
shows. The parser works on UTF-8 bytes because Telegram reports error positions as byte offsets;
entity offsets and lengths are counted in UTF-16 code units, as in the Bot API.

Behaviour follows the Bot API documentation and the published test cases of Telegram's own
parser: only &lt; &gt; &amp; &quot; and numeric references are decoded (others stay literal),
`</>` closes the innermost tag, empty entities are dropped, links that fail the link check are
silently dropped.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from urllib.parse import urlsplit

_SUPPORTED_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji"}
    | {"span", "pre", "code", "blockquote"}
)
_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
# Telegram orders entities that start at the same place by length, then by this priority.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "bot_command": 50,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_SPACE = frozenset(b" \t\r\n\v\f")
_LT, _GT, _AMP, _SLASH, _EQ = (ord(c) for c in "<>&/=")
# A run of plain text: everything up to the next tag or character reference.
_PLAIN_RUN = re.compile(rb"[^<&]*")
_ASCII_LETTERS = frozenset(string.ascii_letters.encode())
_NAMED_REFERENCES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})
# Telegram's command pattern: not glued to a word or to / < >, 1-64 chars, optional @botname.
_BOT_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])")


class EntityParseError(ValueError):
    """The text is not valid in the requested parse mode; str(error) is Telegram's wording."""


class LinkError(ValueError):
    """A URL that Telegram would not accept; str(error) is the reason Telegram gives."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of every Bot API offset and length."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def check_link(url: str) -> str:
    """Normalises a link the way Telegram does (scheme added, `/` path) or raises LinkError."""
    candidate = url.strip()
    if "://" not in candidate and not candidate.lower().startswith(("tg:", "ton:")):
        candidate = "http://" + candidate
    parts = urlsplit(candidate)
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        raise LinkError("Unsupported URL protocol")
    if scheme not in {"http", "https"}:
        return candidate
    host = parts.hostname or ""
    if "." not in host and ":" not in host:
        raise LinkError("Wrong HTTP URL")
    return parts._replace(
        scheme=scheme, netloc=parts.netloc.lower(), path=parts.path or "/"
    ).geturl()


def bot_command_entities(text: str) -> list[dict]:
    """The bot_command entities Telegram attaches to a user's message text."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _BOT_COMMAND.finditer(text)
    ]


def sort_entities(entities: list[dict]) -> list[dict]:
    """Telegram's entity order: by offset, longer first, then by type priority."""
    return sorted(entities, key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))


def parse_html(html: str) -> tuple[str, list[dict]]:
    """Parses Telegram's HTML subset into (plain text, entities) or raises EntityParseError."""
    return _HtmlParser(html.encode("utf-8")).run()


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int
    out_start: int  # byte position in the output, for <a> without href (the text is the URL)


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict
    language: str = ""  # a <code> language, kept until a matching <pre> may absorb it


class _HtmlParser:
    def __init__(self, src: bytes) -> None:
        self.src = src
        self.out = bytearray()
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[_Entity] = []
        self.saw_surrogate = False

    def at(self, i: int) -> int:
        return self.src[i] if i < len(self.src) else 0

    def skip_spaces(self, i: int) -> int:
        while i < len(self.src) and self.src[i] in _SPACE:
            i += 1
        return i

    def run(self) -> tuple[str, list[dict]]:
        i = 0
        while i < len(self.src):
            c = self.src[i]
            if c == _AMP and (decoded := self.decode_reference(i)) is not None:
                char, i = decoded
                self.emit(char)
            elif c != _LT:
                # Plain text up to the next tag or reference (this byte may be a literal "&"),
                # copied in one piece: byte by byte, long replies cost the emulator more than
                # the bot that sent them.
                end = _PLAIN_RUN.match(self.src, i + 1).end()  # type: ignore[union-attr]
                run = self.src[i:end]
                self.out += run
                self.utf16 += len(run.decode("utf-8").encode("utf-16-le")) // 2
                i = end
            elif self.at(i + 1) == _SLASH:
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        if self.saw_surrogate:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        return self.out.decode("utf-8"), sort_entities([self.finish(e) for e in self.entities])

    def emit(self, char: str) -> None:
        code = ord(char)
        self.saw_surrogate |= 0xD800 <= code <= 0xDFFF
        self.out += char.encode("utf-8", "surrogatepass")
        self.utf16 += 2 if code > 0xFFFF else 1

    def decode_reference(self, pos: int) -> tuple[str, int] | None:
        """Decodes `&...;` at pos; None leaves the `&` as literal text, as Telegram does."""
        end = pos + 1
        if self.at(end) == ord("#"):
            end += 1
            hexadecimal = self.at(end) == ord("x")
            end += hexadecimal
            digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
            start = end
            while end < len(self.src) and self.src[end] in digits:
                end += 1
            if end == start or end - pos >= 10:
                return None
            code = int(self.src[start:end], 16 if hexadecimal else 10)
            if code == 0 or code >= 0x10FFFF:
                return None
            char = chr(code)
        else:
            while end < len(self.src) and self.src[end] in _ASCII_LETTERS:
                end += 1
            named = _NAMED_REFERENCES.get(self.src[pos + 1 : end])
            if named is None:
                return None
            char = named
        return char, end + 1 if self.at(end) == ord(";") else end

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while i < len(self.src) and self.src[i] not in _SPACE and self.src[i] != _GT:
            i += 1
        if i >= len(self.src):
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        name = self.src[begin + 1 : i].decode("utf-8", "replace").lower()
        if name not in _SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        attributes, i = self.attributes(name, begin, i)
        argument = self.argument(name, attributes, begin)
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.out)))
        return i + 1

    def attributes(self, tag: str, begin: int, i: int) -> tuple[dict[str, str], int]:
        """Reads `name[=value]` pairs up to `>`; returns them and the position of `>`."""
        found: dict[str, str] = {}
        while True:
            i = self.skip_spaces(i)
            if i >= len(self.src):
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if self.src[i] == _GT:
                return found, i
            name_start = i
            while i < len(self.src) and self.src[i] not in _SPACE and self.src[i] not in b"=>":
                i += 1
            name = self.src[name_start:i].decode("utf-8", "replace")
            if not name:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            i = self.skip_spaces(i)
            if self.at(i) != _EQ:
                found[name] = ""  # a bare attribute such as `expandable`
                continue
            i = self.skip_spaces(i + 1)
            if i >= len(self.src):
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            found[name], i = self.attribute_value(i, begin)

    def attribute_value(self, i: int, begin: int) -> tuple[str, int]:
        quote = self.src[i]
        if quote in b"'\"":
            value = bytearray()
            i += 1
            while i < len(self.src) and self.src[i] != quote:
                if self.src[i] == _AMP and (decoded := self.decode_reference(i)) is not None:
                    char, i = decoded
                    value += char.encode("utf-8", "surrogatepass")
                else:
                    value.append(self.src[i])
                    i += 1
            if i >= len(self.src):
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            return value.decode("utf-8", "replace"), i + 1
        token_start = i
        while i < len(self.src) and (chr(self.src[i]).isalnum() or self.src[i] in b".-"):
            i += 1
        if i < len(self.src) and self.src[i] not in _SPACE and self.src[i] != _GT:
            raise EntityParseError(f"Unexpected end of name token at byte offset {token_start}")
        if i >= len(self.src):
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        return self.src[token_start:i].decode("ascii").lower(), i

    @staticmethod
    def argument(tag: str, attributes: dict[str, str], begin: int) -> str:
        """The one attribute each tag cares about; everything else is ignored, as Telegram does."""
        if tag == "a":
            return attributes.get("href", "")
        if tag == "code":
            css = attributes.get("class", "")
            return css.removeprefix("language-") if css.startswith("language-") else ""
        if tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            return "spoiler"
        if tag == "tg-emoji":
            return attributes.get("emoji-id", "")
        if tag == "blockquote":
            return "expandable" if "expandable" in attributes else ""
        return ""

    def end_tag(self, begin: int) -> int:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while i < len(self.src) and self.src[i] not in _SPACE and self.src[i] != _GT:
            i += 1
        name = self.src[begin + 2 : i].decode("utf-8", "replace").lower()
        i = self.skip_spaces(i)
        if self.at(i) != _GT:
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        tag = self.stack.pop()
        if name and name != tag.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > tag.utf16_start:
            self.close(tag)
        return i + 1

    def close(self, tag: _OpenTag) -> None:
        offset, length = tag.utf16_start, self.utf16 - tag.utf16_start
        last = self.entities[-1] if self.entities else None
        # The entity just closed over the same text, which a nested <pre>/<code> may amend.
        same = last if last is not None and (last.offset, last.length) == (offset, length) else None
        if tag.name in _SIMPLE_TYPES:
            self.add(_SIMPLE_TYPES[tag.name], offset, length)
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.add("custom_emoji", offset, length, custom_emoji_id=tag.argument)
        elif tag.name == "a":
            self.close_link(tag, offset, length)
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.add(kind, offset, length)
        elif tag.name == "pre" and same is not None and same.type == "code" and same.language:
            same.type = "pre"  # <code class="language-x"><pre>…</pre></code>
        elif tag.name == "pre":
            self.add("pre", offset, length)
        elif same is not None and same.type == "pre" and tag.argument:
            same.language = tag.argument  # <pre><code class="language-x">…</code></pre>
        else:
            self.entities.append(_Entity("code", offset, length, {}, tag.argument))

    def close_link(self, tag: _OpenTag, offset: int, length: int) -> None:
        url = tag.argument or self.out[tag.out_start :].decode("utf-8", "replace")
        try:
            checked = check_link(url)
        except LinkError:
            return  # Telegram drops a link it cannot use and keeps the text
        # tg://user?id=… would be a text_mention with the full user object in real Telegram;
        # the bot only links by URL, so the emulator keeps it as a plain text_link.
        self.add("text_link", offset, length, url=checked)

    def add(self, kind: str, offset: int, length: int, **extra: str) -> None:
        self.entities.append(_Entity(kind, offset, length, extra))

    @staticmethod
    def finish(entity: _Entity) -> dict:
        result = {"type": entity.type, "offset": entity.offset, "length": entity.length}
        if entity.type == "pre" and entity.language:
            result["language"] = entity.language
        return result | entity.extra

"""Whether a message already shows what the bot is about to edit it to.

Telegram refuses an edit to identical text, formatting and keyboard (400 "message is not
modified"). The bot writes HTML; Telegram reports a message as plain text and entities. So the
HTML is read the way Telegram reads it (the tags of its HTML style, character references,
offsets in UTF-16 code units, the ends trimmed) and compared with the message as pressed.
"""

from __future__ import annotations

from html.parser import HTMLParser

from telegram import InlineKeyboardMarkup, Message

# Telegram's HTML tags and the entity each one makes.
_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
}
# Entities Telegram finds in plain text by itself; they say nothing about what the bot sent.
_FOUND_BY_TELEGRAM = {
    "mention",
    "hashtag",
    "cashtag",
    "bot_command",
    "url",
    "email",
    "phone_number",
}

Entity = tuple[str, int, int, str | None]  # type, offset, length (UTF-16), url


def _url(url: str | None) -> str | None:
    """Telegram keeps a link's address in its own form (``https://a.id`` comes back as
    ``https://a.id/``)."""
    return None if url is None else url.rstrip("/")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[Entity] = []
        self._open: list[tuple[str, int, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kind = "spoiler" if tag == "span" and ("class", "tg-spoiler") in attrs else _TAGS.get(tag)
        if kind is not None:
            url = dict(attrs).get("href") if kind == "text_link" else None
            self._open.append((kind, _utf16_len(self.text), url))

    def handle_endtag(self, tag: str) -> None:
        kind = "spoiler" if tag == "span" else _TAGS.get(tag)
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == kind:
                name, start, url = self._open.pop(index)
                length = _utf16_len(self.text) - start
                if length:
                    self.entities.append((name, start, length, url))
                return

    def handle_data(self, data: str) -> None:
        self.text += data


def _from_html(html: str) -> tuple[str, frozenset[Entity]]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    text = reader.text
    lead = _utf16_len(text) - _utf16_len(text.lstrip())
    trimmed = text.strip()
    end = _utf16_len(trimmed)
    entities = set()
    for name, offset, length, url in reader.entities:
        start, stop = max(offset - lead, 0), min(offset - lead + length, end)
        if stop > start:
            entities.add((name, start, stop - start, _url(url)))
    return trimmed, frozenset(entities)


def _of_message(message: Message) -> tuple[str, frozenset[Entity]]:
    entities = frozenset(
        (str(e.type), e.offset, e.length, _url(e.url))
        for e in message.entities
        if str(e.type) not in _FOUND_BY_TELEGRAM
    )
    return message.text or "", entities


def already_shows(message: Message, html: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether editing ``message`` to ``html`` and ``markup`` would change nothing."""
    return message.reply_markup == markup and _of_message(message) == _from_html(html)

"""Brings both catalogs up to date with the source: new messages added, gone ones dropped.

    .venv/bin/python scripts/update_catalogs.py [translations.json]

English entries are their msgid. Indonesian entries come from the optional JSON file
({"msgid": "terjemahan", ...}); any still untranslated are listed, and tests/unit/
test_catalogs.py fails until they are filled in. The files keep their reviewable shape: sorted,
no source locations, wrapped at 100 columns, so a diff shows only what changed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"t": None, "plural": (1, 2), "N_": None}


def extracted() -> Catalog:
    template = Catalog()
    method_map = [("**.py", "python")]
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT / "bot", method_map, keywords=KEYWORDS
    ):
        template.add(message, context=context)
    return template


def main(argv: list[str]) -> int:
    indonesian = json.loads(Path(argv[0]).read_text()) if argv else {}
    missing = 0
    for lang in ("en", "id"):
        template = extracted()  # per catalog: update() shares the template's message objects
        path = ROOT / "locales" / lang / "LC_MESSAGES" / "bot.po"
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id or (message.string and all(message.string)):
                continue
            if lang == "en":
                message.string = message.id
            elif isinstance(message.id, str) and message.id in indonesian:
                message.string = indonesian[message.id]
            else:
                missing += 1
                print(f"untranslated [{lang}]: {message.id!r}")
        with path.open("wb") as po:
            write_po(po, catalog, width=100, no_location=True, sort_output=True)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

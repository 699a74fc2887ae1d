"""Set Dutch translations from the command line: python scripts/set_translation.py "msgid" "msgstr" ...

For plural entries pass the singular msgid and "singular||plural" as msgstr."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = (
    Path(__file__).resolve().parent.parent / "alliance/translations/nl/LC_MESSAGES/messages.po"
)


def main(pairs: list[str]) -> None:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    for message_id, text in zip(pairs[::2], pairs[1::2], strict=False):
        message = catalog.get(message_id)
        if message is None:
            raise SystemExit(f"not in the catalog: {message_id!r} (run scripts/translations.sh)")
        message.string = tuple(text.split("||")) if message.pluralizable else text
        message.flags.discard("fuzzy")
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, no_location=True)


if __name__ == "__main__":
    main(sys.argv[1:])

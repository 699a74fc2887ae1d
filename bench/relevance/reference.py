"""The reference: plain Whoosh on the same texts, built in the same run.

Two TEXT fields per item — the title, and the body (every text field of the item, its
decision, outcome and lesson, its tags and its replies) — analysed with a Dutch chain written
out here (words, lower case, accents folded, Dutch stop words out, Dutch Snowball stems), so that
a change to the app's analyser does not move the reference. Queries go through Whoosh's
``MultifieldParser`` with ``OrGroup`` (any word may match) and are ranked by Whoosh's default
BM25F, without field boosts, synonyms, typo correction or prefixes: what a developer gets from
Whoosh out of the box with a Dutch analyser."""

from pathlib import Path

from whoosh import index
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, TEXT, Schema
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.support.charset import accent_map

ITEM_FIELDS = (
    "situation",
    "tension",
    "options",
    "constraints",
    "what_we_did",
    "what_worked",
    "what_failed",
    "lesson",
    "links",
)


def dutch_analyzer():
    """Words → lower case → accents folded → Dutch stop words out → Dutch Snowball stems."""
    return (
        RegexTokenizer(r"\w+")
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(stoplist=frozenset(stopwords_for_language("nl")), minsize=1)
        | StemFilter(stemfn=stemmer_for_language("nl"))
    )


def body_text(item: dict) -> str:
    """Everything of an item but its title, as the app indexes it."""
    fields = item["fields"]
    parts = [fields.get(name, "") for name in ITEM_FIELDS]
    parts += [item.get("decision", ""), item.get("outcome", ""), item.get("lesson", "")]
    parts += item["tags"]
    parts += [reply["text"] for reply in item["replies"]]
    return "\n".join(part for part in parts if part)


class ReferenceSearch:
    """Plain Whoosh BM25F (OR) over the corpus, in ``directory``."""

    def __init__(self, corpus: list[dict], directory: Path):
        analyzer = dutch_analyzer()
        schema = Schema(
            cid=ID(stored=True, unique=True),
            title=TEXT(analyzer=analyzer),
            body=TEXT(analyzer=analyzer),
        )
        directory.mkdir(parents=True, exist_ok=True)
        self.index = index.create_in(str(directory), schema)
        with self.index.writer() as writer:
            for item in corpus:
                writer.add_document(cid=item["id"], title=item["title"], body=body_text(item))
        self.parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
        self.searcher = self.index.searcher()

    def ask(self, text: str, depth: int = 10) -> tuple[list[str], dict]:
        """The corpus ids of the first ``depth`` items, and the total number found."""
        query = self.parser.parse(text)
        results = self.searcher.search(query, limit=depth)
        return [hit["cid"] for hit in results], {"total": len(results), "parsed": str(query)}

    def close(self) -> None:
        self.searcher.close()

"""Visitors and members of Alliantie, for Locust. ``bench/load/run.py`` sets up the database,
the servers and the worker and runs this file headless; see bench/README.md.

- ``Visitor``: the home page, the knowledge base (now and then filtered or page 2), an item
  found there, search with Dutch queries (and the quick results while typing), the agenda and an
  event, a theme page.
- ``Member``: logs in through the real form (its CSRF token from the page), browses and
  searches as a visitor does, and writes: posts a dilemma or an experience (after the similar
  posts while typing the title), replies, marks a reply "nuttig", says "ik herken dit" or
  follows an item.

Every request has a name per kind of request (the rows of the report). A page must answer 200
and a write 303 to the right place; anything else counts as a failure. Each acknowledged write
(303 with the new item's or reply's id) is appended to ``LOAD_ACKS`` (JSON lines) with the
unique word in its text, so that run.py can look for it in the database and with search.

Every simulated user sends its own ``X-Forwarded-For`` address, as the reverse proxy in
``deploy/`` does for real visitors (run.py sets ``TRUST_PROXY=1``): the per-address limits
then count per simulated user, as they would count per person."""

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import HttpUser, between, task

_ACCOUNTS = Path(os.environ.get("LOAD_ACCOUNTS", "accounts.json"))
_ACKS = os.environ.get("LOAD_ACKS", "acks.jsonl")
_WAIT = [float(part) for part in os.environ.get("LOAD_WAIT", "0.5,2").split(",")]

ITEM_LINK = re.compile(r'href="/kennisbank/(\d+)"')
EVENT_LINK = re.compile(r'href="/agenda/(\d+)"')
THEME_LINK = re.compile(r'href="/themas/([a-z0-9-]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
THEME_CHOICE = re.compile(r'name="themes"[^>]*value="(\d+)"')
USEFUL_FORM = re.compile(
    r'action="/kennisbank/reacties/(\d+)/nuttig".{0,400}?name="aan" value="([01])"', re.S
)
NEW_ITEM = re.compile(r"/kennisbank/(\d+)$")
NEW_REPLY = re.compile(r"/kennisbank/(\d+)#reactie-(\d+)$")

#: What people type into the search box: subjects of the Actieplan Open Overheid, old and new
#: names, abbreviations, questions full of stop words, a phrase, the query language.
SEARCHES = (
    "woo verzoek",
    "wob",
    "actieve openbaarmaking",
    '"actieve openbaarmaking"',
    "hoe publiceer ik besluiten van het college",
    "termijn woo-verzoek verlopen",
    "open source",
    "OSS",
    "AVG",
    "algoritmeregister",
    "algoritmes transparant maken",
    "open data gemeente",
    "datasets publiceren",
    "participatie van inwoners",
    "inwoners OF burgers",
    "privacy NIET camera",
    "direct duidelijk",
    "begrijpelijke brieven schrijven",
    "open aanbesteden",
    "persoonsgegevens lakken",
    "archiveren e-mail",
    "informatiehuishouding",
    "open rechtspraak uitspraken",
    "open wetsontwerp consultatie",
    "toegankelijkheid website",
    "wat doe je als een verzoek te groot is",
    "samenwerken met de raad",
    "-wob openbaarheid",
    "klachten",
    "raadsinformatie",
)
KB_FILTERS = (
    "",
    "",
    "",
    "?soort=dilemma",
    "?soort=ervaring",
    "?status=open",
    "?onbeantwoord=1",
    "?sorteer=newest",
    "?pagina=2",
)
SUBJECTS = (
    "het openbaar maken van adviezen aan het college",
    "een Woo-verzoek over duizenden e-mails",
    "open source software bij een aanbesteding",
    "het algoritmeregister van onze gemeente",
    "begrijpelijke brieven over de belasting",
    "open data over de bijstand",
    "inwoners die meepraten over de omgevingsvisie",
    "het lakken van namen in raadsstukken",
    "het archiveren van chatberichten",
    "de termijn van een informatieverzoek",
)
DILEMMA_TITLES = (
    "Moeten we {s} nu al regelen?",
    "Hoe gaan jullie om met {s}?",
    "Wie beslist over {s}?",
)
EXPERIENCE_TITLES = (
    "Zo pakten wij {s} aan",
    "Wat we leerden van {s}",
    "Ervaring met {s}",
)
SENTENCES = (
    "We willen open zijn, maar de afdeling is bang voor fouten.",
    "De wet is duidelijk, de praktijk niet.",
    "Wij hebben dit eerst klein geprobeerd, met twee teams.",
    "Het kostte meer tijd dan we dachten, maar inwoners waren blij.",
    "Vraag het de juristen op tijd, dan scheelt het later werk.",
    "Bij ons hielp een vaste contactpersoon per verzoek.",
    "Publiceer eerst wat al openbaar is, dan de rest.",
)
PERSPECTIVES = ("beleid", "uitvoering", "maatschappij", "inwoner", "onderzoek")
CONSONANTS = "bcdfghjklmnpqrstvwxz"

_addresses = itertools.count(1)
_accounts = None
_acks = None


def _next_account() -> str:
    global _accounts
    if _accounts is None:
        data = json.loads(_ACCOUNTS.read_text())
        _accounts = (data["password"], itertools.cycle(data["emails"]))
    return _accounts[0], next(_accounts[1])


def _acknowledge(**record) -> None:
    """Remember an acknowledged write at once (one line, flushed): a run cut short keeps it."""
    global _acks
    if _acks is None:
        _acks = open(_ACKS, "a", buffering=1)  # open for the whole run
    _acks.write(json.dumps(record) + "\n")


def unique_word(rng: random.Random) -> str:
    """A word no text of the demo data holds (no vowels): what search must find it by."""
    return "kz" + "".join(rng.choices(CONSONANTS, k=8))


class Browsing(HttpUser):
    """What visitors and members both do: read and search."""

    abstract = True
    wait_time = between(*_WAIT)
    #: Pages are reported per kind and per visitor or member (a member's pages hold more).
    who = ""

    def on_start(self) -> None:
        number = next(_addresses)
        self.rng = random.Random()
        self.client.headers["X-Forwarded-For"] = f"10.77.{number // 250}.{number % 250 + 1}"
        self.items: list[int] = []
        self.themes: list[str] = []

    # --- helpers ------------------------------------------------------------------------------

    def page(self, path: str, name: str, **headers: str) -> str:
        """GET a page that must answer 200; its text ("" when it did not)."""
        with self.client.get(path, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            return response.text

    def fragment(self, path: str, name: str) -> str:
        """An htmx request (``HX-Request: true``), as the page's own JavaScript sends it."""
        return self.page(path, name, **{"HX-Request": "true"})

    def remember_items(self, html: str) -> None:
        found = [int(found) for found in ITEM_LINK.findall(html)]
        if found:
            self.items = (found + self.items)[:100]

    def an_item(self) -> int | None:
        if not self.items:
            self.remember_items(self.page("/kennisbank/", "kennisbank" + self.who))
        return self.rng.choice(self.items) if self.items else None

    # --- reading ------------------------------------------------------------------------------

    @task(3)
    def home(self) -> None:
        self.remember_items(self.page("/", "home" + self.who))

    @task(3)
    def knowledge_base(self) -> None:
        query = self.rng.choice(KB_FILTERS)
        name = "kennisbank" if not query else "kennisbank, filter or page 2"
        self.remember_items(self.page(f"/kennisbank/{query}", name + self.who))

    @task(5)
    def item(self) -> None:
        item_id = self.an_item()
        if item_id is not None:
            self.page(f"/kennisbank/{item_id}", "item" + self.who)

    @task(4)
    def search(self) -> None:
        query = urlencode({"q": self.rng.choice(SEARCHES)})
        html = self.page(f"/zoeken?{query}", "zoeken" + self.who)
        found = ITEM_LINK.findall(html)
        if found and self.rng.random() < 0.5:  # open a result
            self.page(f"/kennisbank/{self.rng.choice(found)}", "item" + self.who)

    @task(1)
    def search_while_typing(self) -> None:
        query = self.rng.choice(SEARCHES).strip('"-')
        for length in sorted({3, len(query) // 2, len(query)}):
            if length >= 3:
                typed = urlencode({"snel": 1, "q": query[:length]})
                self.fragment(f"/zoeken?{typed}", "zoeken, quick while typing" + self.who)

    @task(1)
    def agenda(self) -> None:
        found = EVENT_LINK.findall(self.page("/agenda/", "agenda" + self.who))
        if found:
            self.page(f"/agenda/{self.rng.choice(found)}", "event" + self.who)

    @task(1)
    def theme(self) -> None:
        if not self.themes:
            themes = self.page("/themas/", "themes" + self.who)
            self.themes = sorted(set(THEME_LINK.findall(themes)))
        if self.themes:
            html = self.page(f"/themas/{self.rng.choice(self.themes)}", "theme" + self.who)
            self.remember_items(html)


class Visitor(Browsing):
    """Someone without an account: reads and searches."""

    weight = 3


class Member(Browsing):
    """A member: logs in once, reads and searches, and writes."""

    weight = 2
    who = " (member)"

    def on_start(self) -> None:
        super().on_start()
        password, self.email = _next_account()
        form = self.page("/inloggen", "login form")
        with self.client.post(
            "/inloggen",
            data={"csrf_token": _csrf(form), "email": self.email, "password": password, "next": ""},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303 or "/inloggen" in response.headers.get("Location", ""):
                response.failure(f"login of {self.email}: {response.status_code}")

    def write(self, path: str, data: dict, name: str):
        """POST a form; it must answer 303. The response (None when it was refused)."""
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 303:
                response.failure(f"{response.status_code} for {path}, not 303")
                return None
            return response

    @task(2)
    def post(self) -> None:
        kind = self.rng.choice(("dilemma", "dilemma", "ervaring"))
        form = self.page(f"/kennisbank/nieuw?soort={kind}", "new post form")
        if not form:
            return
        word = unique_word(self.rng)
        subject = self.rng.choice(SUBJECTS)
        pattern = self.rng.choice(DILEMMA_TITLES if kind == "dilemma" else EXPERIENCE_TITLES)
        title = f"{pattern.format(s=subject)} (kenmerk {word})"
        typed = urlencode({"title": title[:25]})
        self.fragment(f"/kennisbank/vergelijkbaar?{typed}", "similar posts while typing")
        data = {
            "csrf_token": _csrf(form),
            "kind": kind,
            "title": title,
            "visibility": self.rng.choice(("public", "members")),
            "tags": "lasttest",
            "action": "save",
        }
        themes = THEME_CHOICE.findall(form)
        if themes:
            data["themes"] = self.rng.choice(themes)
        text = " ".join(self.rng.sample(SENTENCES, 3))
        if kind == "dilemma":
            data.update(situation=text, tension=f"{text} Wat doen we met {subject}?")
        else:
            data.update(what_we_did=text, what_worked=SENTENCES[3], lesson=SENTENCES[4])
        response = self.write(f"/kennisbank/nieuw?soort={kind}", data, "post " + kind)
        if response is None:
            return
        made = NEW_ITEM.search(response.headers.get("Location", ""))
        if made is None:
            response.failure(f"303 to {response.headers.get('Location')!r}, not a new item")
            return
        item_id = int(made.group(1))
        _acknowledge(kind="item", id=item_id, title=title, word=word, visibility=data["visibility"])
        self.items.insert(0, item_id)
        self.page(f"/kennisbank/{item_id}", "item" + self.who)  # where the browser goes next

    @task(3)
    def reply(self) -> None:
        item_id = self.an_item()
        if item_id is None:
            return
        html = self.page(f"/kennisbank/{item_id}", "item" + self.who)
        if not html:
            return
        word = unique_word(self.rng)
        body = f"{' '.join(self.rng.sample(SENTENCES, 2))} (kenmerk {word})"
        data = {
            "csrf_token": _csrf(html),
            "body": body,
            "perspective": self.rng.choice(PERSPECTIVES),
            "parent_id": "",
        }
        response = self.write(f"/kennisbank/{item_id}/reacties", data, "reply")
        if response is None:
            return
        made = NEW_REPLY.search(response.headers.get("Location", ""))
        if made is None or int(made.group(1)) != item_id:
            response.failure(f"303 to {response.headers.get('Location')!r}, not the new reply")
            return
        _acknowledge(kind="reply", id=int(made.group(2)), item=item_id, word=word)

    @task(2)
    def mark_useful(self) -> None:
        item_id = self.an_item()
        if item_id is None:
            return
        html = self.page(f"/kennisbank/{item_id}", "item" + self.who)
        marks = USEFUL_FORM.findall(html)
        if not marks:
            return
        reply_id, on = self.rng.choice(marks)
        data = {"csrf_token": _csrf(html), "aan": on}
        self.write(f"/kennisbank/reacties/{reply_id}/nuttig", data, "nuttig")

    @task(1)
    def recognise_or_follow(self) -> None:
        item_id = self.an_item()
        if item_id is None:
            return
        html = self.page(f"/kennisbank/{item_id}", "item" + self.who)
        if not html:
            return
        action, name = self.rng.choice((("herken", "ik herken dit"), ("volg", "volgen")))
        data = {"csrf_token": _csrf(html), "aan": self.rng.choice("10")}
        self.write(f"/kennisbank/{item_id}/{action}", data, name)


def _csrf(html: str) -> str:
    found = CSRF.search(html or "")
    return found.group(1) if found else ""

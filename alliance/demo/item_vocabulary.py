"""The Dutch texts of the demo knowledge base: the hand-written items of the named network, and
the words and sentences synthetic dilemmas, experiences and replies are made of.

The named items follow the themes of the consultation for the Actieplan Open Overheid: actieve
openbaarmaking under the Woo, open source, plain language with the Direct Duidelijk Brigade, open
procurement, the algoritmeregister, Open Rechtspraak and Open Wetsontwerp. Authors and repliers
are people of :mod:`alliance.demo.people`.

Like :mod:`alliance.demo.vocabulary`, every word list is ordered from common to rare: the generator
picks with Zipf-like weights, so a few subjects and phrases turn up often and the long tail only
now and then. Sentences are B1: short, plain words. Placeholders: ``{subject}`` (what the item is
about), ``{organisation}``, ``{place}``, ``{number}``, ``{months}`` and ``{tag}``.
"""

from dataclasses import dataclass

from alliance.demo.people import DOMAIN


@dataclass(frozen=True)
class DemoReply:
    """A reply of a named member; ``answers`` are replies to it (one level deep)."""

    author: str
    body: str
    answers: tuple["DemoReply", ...] = ()
    helped: bool = False  # the asker marks it "dit hielp mij"


@dataclass(frozen=True)
class DemoItem:
    """A hand-written dilemma or experience, with its replies and (for a dilemma) its loop.

    People are named as in :mod:`alliance.demo.people`: the part before ``@`` of a demo address,
    or a whole address for the fixed accounts. ``days_ago`` says when it was posted; replies,
    the decision and the evaluation follow in that order."""

    kind: str
    title: str
    author: str
    themes: tuple[str, ...]
    tags: str
    fields: dict[str, str]
    days_ago: int
    replies: tuple[DemoReply, ...] = ()
    recognised_by: tuple[str, ...] = ()
    visibility: str = "members"
    anonymous: bool = False
    decision: str = ""
    outcome: str = ""
    lesson: str = ""

    def emails(self) -> set[str]:
        """Everyone this item needs: the author, the repliers and those who recognise it."""
        names = {self.author, *self.recognised_by}
        for reply in self.replies:
            names |= {reply.author, *(answer.author for answer in reply.answers)}
        return {email(name) for name in names}


def email(name: str) -> str:
    """``"pieter.vandermeer"`` → its demo address; a whole address stays as it is."""
    return name if "@" in name else f"{name}@{DOMAIN}"


def _reply(author: str, body: str, *answers: DemoReply, helped: bool = False) -> DemoReply:
    return DemoReply(author, body, answers, helped)


def _lines(*lines: str) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _dilemma(
    title: str,
    author: str,
    themes: str,
    tags: str,
    *,
    situation: str,
    tension: str,
    options: str,
    constraints: str,
    **more,
) -> DemoItem:
    fields = {
        "situation": situation,
        "tension": tension,
        "options": options,
        "constraints": constraints,
    }
    return DemoItem("dilemma", title, author, tuple(themes.split("; ")), tags, fields, **more)


def _experience(
    title: str,
    author: str,
    themes: str,
    tags: str,
    *,
    did: str,
    worked: str,
    failed: str,
    lesson: str,
    links: str = "",
    **more,
) -> DemoItem:
    fields = {
        "what_we_did": did,
        "what_worked": worked,
        "what_failed": failed,
        "lesson": lesson,
        "links": links,
    }
    return DemoItem("ervaring", title, author, tuple(themes.split("; ")), tags, fields, **more)


SANNE = "lid@alliantie.example"
YASMINA = "coordinator@alliantie.example"

#: The hand-written knowledge base, oldest first.
NAMED_ITEMS = (
    _experience(
        "Meetdata van dijken als open data: wat het ons opleverde",
        "jan.willems",
        "open-informatie; open-technologie",
        "open data; API-ontwerp; metadata",
        did="We publiceren de metingen van waterstanden en dijken als open data. Iedereen kan "
        "ze downloaden of via een API gebruiken. We begonnen met de waterstanden. Een jaar "
        "later volgden de metingen van de dijken.",
        worked="Studenten, adviesbureaus en een app voor vissers gebruiken de data nu. We "
        "krijgen minder losse vragen om gegevens. En de data zijn beter geworden, want "
        "gebruikers melden fouten.",
        failed="We hadden niet goed uitgelegd wat de meetwaarden betekenen. Een journalist las "
        "een meetfout als een gevaarlijke situatie. Dat gaf onrust in het dorp.",
        lesson="Publiceer data met uitleg: wat meet je, hoe vaak, en hoe betrouwbaar is het? "
        "En maak het makkelijk om een fout te melden.",
        links="- [Open data van de overheid](https://data.overheid.nl)",
        days_ago=500,
        visibility="public",
        replies=(
            _reply(
                "daan.visser",
                "Mooi voorbeeld van open data die echt gebruikt wordt. Staan de datasets ook "
                "op data.overheid.nl?",
                _reply("jan.willems", "Ja, sinds vorig jaar. Met een link naar de uitleg."),
            ),
            _reply(
                "thomas.mulder",
                "Gebruiken jullie een open standaard voor de API? Dan kunnen anderen de "
                "koppeling makkelijker hergebruiken.",
            ),
            _reply(
                "marieke.schouten",
                "Het verhaal van de journalist is herkenbaar. Uitleg bij data is net zo "
                "belangrijk als de data zelf.",
            ),
        ),
        recognised_by=("thomas.mulder", "daan.visser", "ilse.brouwer"),
    ),
    _dilemma(
        "Burgerberaad: beloven we vooraf dat de raad het advies overneemt?",
        "lotte.janssen",
        "open-communicatie; open-organisatie",
        "burgerberaad; inwonersparticipatie",
        situation="Onze gemeente organiseert een burgerberaad over de energietransitie in de "
        "wijk. Vijftig inwoners, gekozen door loting, geven de gemeenteraad advies.",
        tension="Als we beloven dat de raad het advies overneemt, voelen deelnemers zich "
        "serieus genomen. Maar de raad beslist zelf en wil niet vooraf vastzitten. Beloven we "
        "te weinig, dan haken mensen af.",
        options=_lines(
            "Beloven dat de raad het advies overneemt.",
            "Beloven dat de raad op elk advies reageert en uitlegt waarom wel of niet.",
            "Niets beloven en afwachten.",
        ),
        constraints="Het budget is eenmalig. De raad moet het eens zijn met de opdracht aan "
        "het burgerberaad.",
        days_ago=400,
        replies=(
            _reply(
                "julia.dehaan",
                "Beloof wat je kunt waarmaken. *De raad reageert op elk advies, binnen drie "
                "maanden, met uitleg.* Dat is eerlijk en concreet.",
                helped=True,
            ),
            _reply(
                "tjeerd.postma",
                "Bij ons in Fryslân ging het mis omdat de verwachtingen niet helder waren. "
                "Schrijf de opdracht samen met de raad, voordat de loting begint.",
            ),
            _reply(
                "gijs.vanwijk",
                "Uit onderzoek blijkt dat deelnemers vooral willen zien wat er met hun advies "
                "gebeurt. Alles overnemen is minder belangrijk dan een goede terugkoppeling.",
            ),
            _reply(
                "wilma.vanderwal",
                "Ik deed mee aan een burgerpanel. Het ergste vond ik dat we na afloop niets "
                "meer hoorden. Een brief met wat er met ons advies gebeurde, had al veel "
                "gescheeld.",
                _reply(
                    "lotte.janssen",
                    "Dank je, dat nemen we mee. We sturen alle deelnemers een brief en nodigen "
                    "ze uit bij de raadsvergadering.",
                ),
            ),
        ),
        recognised_by=("tjeerd.postma", "maartje.vandam", "rutger.kok", "esther.vanleeuwen"),
        decision="We beloven dat de raad op elk advies reageert, binnen drie maanden. De raad "
        "legt uit waarom hij een advies wel of niet overneemt. De opdracht schrijven we samen "
        "met de raad.",
        outcome="Het burgerberaad gaf twaalf adviezen. De raad nam er negen over en legde bij "
        "de andere drie uit waarom niet. Bijna alle deelnemers kwamen naar de "
        "raadsvergadering. In de evaluatie gaven ze het burgerberaad een 8.",
        lesson="Beloof een reactie op elk advies, niet dat alles wordt overgenomen. Houd "
        "deelnemers ook na afloop op de hoogte. Dat bepaalt of ze zich serieus genomen voelen.",
    ),
    _experience(
        "Zo begonnen we met ons algoritmeregister",
        "rachid.bouzid",
        "open-technologie",
        "algoritmeregister; algoritmes toetsen",
        did="We wilden inwoners laten zien welke algoritmes de gemeente gebruikt. We begonnen "
        "met drie: de parkeercontrole, de meldingen over de openbare ruimte en een hulpmiddel "
        "bij toezicht op vakantieverhuur. Voor elk algoritme schreven we op wat het doet, "
        "welke gegevens het gebruikt en wie er verantwoordelijk voor is.",
        worked="Klein beginnen. Drie goede beschrijvingen zeggen meer dan dertig halve. Een "
        "vaste vragenlijst hielp teams om snel op te schrijven wat ze doen. Inwoners konden "
        "via het register vragen stellen, en dat deden ze ook.",
        failed="Eerst was de tekst te technisch. Woorden als *model* en *training* snapten "
        "lezers niet. Ook was niet altijd duidelijk wie binnen de gemeente eigenaar was van "
        "een algoritme.",
        lesson="Maak per algoritme één persoon eigenaar. Schrijf voor inwoners, niet voor "
        "data-experts: wat doet het, waarom, en wat betekent het voor jou?",
        links="- [Het Algoritmeregister van de overheid](https://algoritmes.overheid.nl)",
        days_ago=300,
        visibility="public",
        replies=(
            _reply(
                "martijn.degraaf",
                "Wij gebruiken jullie vragenlijst nu ook bij de provincie. Hoe bepalen jullie "
                "welke algoritmes in het register moeten? Alles, of alleen de systemen met een "
                "hoog risico?",
                _reply(
                    "rachid.bouzid",
                    "We begonnen met algoritmes die direct gevolgen hebben voor inwoners. Nu "
                    "voegen we stap voor stap de rest toe.",
                ),
            ),
            _reply(
                "stijn.deboer",
                "Het register werkt het best als je het koppelt aan de toets vooraf (DPIA en "
                "IAMA). Dan ligt de beschrijving er al als het algoritme live gaat.",
            ),
            _reply(
                "emre.yilmaz",
                "Wij onderzochten de registers van vijf gemeenten. Inwoners lezen vooral de "
                "korte samenvatting. Die is dus het belangrijkste deel.",
            ),
            _reply(
                "daan.visser",
                "Goed werk. Wat ik nog mis: een overzicht van algoritmes die jullie gestopt "
                "zijn, en waarom.",
            ),
        ),
        recognised_by=("martijn.degraaf", "niels.smits", "thomas.mulder", "stijn.deboer"),
    ),
    _dilemma(
        "Meer uitspraken publiceren: hoe ver gaan we met anonimiseren?",
        "lars.vanvliet",
        "open-justice",
        "Open Rechtspraak; uitspraken publiceren; anonimiseren uitspraken",
        situation="Nu wordt maar een klein deel van de uitspraken gepubliceerd. We willen dat "
        "dat er veel meer worden. Elke uitspraak moet eerst geanonimiseerd worden: namen, "
        "adressen en andere gegevens die naar een persoon wijzen, gaan eruit.",
        tension="Hoe meer we weghalen, hoe veiliger voor de mensen in de zaak. Maar een "
        "uitspraak waarin bijna alles is weggehaald, is niet meer te begrijpen. En met de hand "
        "anonimiseren kost veel tijd.",
        options=_lines(
            "Alleen namen en adressen weghalen, de rest laten staan.",
            "Software gebruiken die automatisch anonimiseert, met een controle door een "
            "medewerker.",
            "Eerst alleen uitspraken van de hogere rechters publiceren.",
        ),
        constraints="De AVG en de privacyregels van de Rechtspraak. Weinig tijd bij de "
        "griffies. De software moet Nederlandse juridische teksten goed aankunnen.",
        days_ago=240,
        replies=(
            _reply(
                "machteld.vanrijswijk",
                "Voor onderzoek is een volledige set veel waardevoller dan een selectie. Als je "
                "moet kiezen: liever alle uitspraken van één soort zaak dan een willekeurige "
                "greep.",
                helped=True,
            ),
            _reply(
                "anouk.smit",
                "Zorg dat elke uitspraak een ECLI-nummer en goede metadata krijgt. Anders is "
                "hij online niet te vinden, hoe goed hij ook geanonimiseerd is.",
            ),
            _reply(
                "julia.dehaan",
                "Denk ook aan de lezer zonder juridische kennis. Een korte samenvatting in "
                "gewone taal bij belangrijke uitspraken maakt de rechtspraak echt open.",
                _reply(
                    "lars.vanvliet",
                    "Dat staat op onze lijst. We beginnen met samenvattingen bij uitspraken die "
                    "in het nieuws komen.",
                ),
            ),
            _reply(
                "kim.blom",
                "Wij gebruiken software voor het lakken van Woo-documenten. Die vindt 90 "
                "procent. De laatste 10 procent vraagt echt een mens. Reken daarop.",
            ),
        ),
        recognised_by=("hatice.kaya", "anouk.smit", "bram.kuipers"),
        decision="We gebruiken software die automatisch anonimiseert. Een medewerker controleert "
        "elke uitspraak. We beginnen met alle uitspraken in het bestuursrecht van twee "
        "rechtbanken.",
        outcome="In een halfjaar publiceerden we ruim vier keer zoveel uitspraken van die "
        "rechtbanken. De controle kostte gemiddeld tien minuten per uitspraak. Twee keer moest "
        "een uitspraak offline, omdat er toch een naam in stond.",
        lesson="Automatisch anonimiseren werkt, maar alleen met een vaste controle door een "
        "mens. Begin met één soort zaak: dan leer je snel wat de software mist.",
    ),
    _experience(
        "Een boetebrief op B1-niveau: samen herschreven met de Direct Duidelijk Brigade",
        "priya.ramdin",
        "open-communicatie",
        "B1-taalniveau; begrijpelijke brieven; Direct Duidelijk",
        did="Onze brief over een boete, omdat iemand inkomsten niet op tijd had doorgegeven, "
        "was vier pagina's lang. Veel mensen belden ons omdat ze hem niet snapten. Samen met "
        "de Direct Duidelijk Brigade schreven we de brief opnieuw. Elke versie testten we met "
        "vijf klanten, ook met mensen die moeite hebben met lezen.",
        worked="We begonnen met de vraag: wat moet de lezer weten en doen? Dat staat nu "
        "bovenaan. Het bedrag, de reden en wat je kunt doen als je het er niet mee eens bent, "
        "staan op de eerste pagina. Korte zinnen en gewone woorden: *boete* in plaats van "
        "*bestuurlijke sanctie*. Er belden daarna een derde minder mensen over de brief.",
        failed="De juristen wilden eerst alle wetsartikelen in de brief houden. Dat maakte hem "
        "weer lang. We zetten de artikelen in een bijlage. Dat kostte drie overleggen.",
        lesson="Test met echte lezers, niet alleen met collega's. En betrek de juristen vanaf "
        "het begin: dan voelen zij zich mede-eigenaar van de nieuwe brief.",
        links="- [Direct Duidelijk](https://www.directduidelijk.nl)",
        days_ago=200,
        visibility="public",
        replies=(
            _reply(
                "wilma.vanderwal",
                "Wat fijn dat jullie dit met echte mensen testen. In ons burgerpanel merken we "
                "hetzelfde: één duidelijke zin bovenaan scheelt een hoop zorgen.",
            ),
            _reply(
                "dewi.sewnarain",
                "Mooi voorbeeld. Tip: zet er ook een telefoonnummer bij van iemand die kan "
                "helpen, niet alleen een website. Niet iedereen kan goed met de computer "
                "overweg.",
                _reply(
                    "priya.ramdin",
                    "Goed punt. Er staat nu een direct nummer in van het team dat de boetes "
                    "behandelt.",
                ),
            ),
            _reply(
                "femke.hoekstra",
                "Leuk om te lezen hoe het verder ging! Zullen we de brief als voorbeeld delen "
                "met andere uitvoeringsorganisaties?",
            ),
            _reply(
                "hatice.kaya",
                "Bij wetgeving lopen we tegen hetzelfde aan. Mag ik deze aanpak gebruiken voor "
                "de toelichting bij een wetsvoorstel?",
            ),
        ),
        recognised_by=("maartje.vandam", "inge.wolters", "lotte.janssen", "kees.prins"),
    ),
    _experience(
        "Open Wetsontwerp: een wetsvoorstel met uitleg in gewone taal in de internetconsultatie",
        "hatice.kaya",
        "open-justice; open-communicatie",
        "Open Wetsontwerp; internetconsultatie; juridische taal vereenvoudigen",
        did="Bij een nieuw wetsvoorstel over schuldhulp maakten we het proces open. In de "
        "internetconsultatie stond niet alleen de wettekst, maar ook een uitleg van twee "
        "pagina's in gewone taal. We lieten zien welke keuzes al gemaakt waren en welke nog "
        "open waren. Na de consultatie schreven we in een reactienota wat we met de reacties "
        "deden.",
        worked="We kregen bijna drie keer zoveel reacties als normaal, ook van inwoners en "
        "kleine organisaties. De uitleg met de open vragen hielp mensen om gericht te "
        "reageren.",
        failed="Alle reacties lezen en verwerken kostte veel meer tijd dan gepland. En collega's "
        "waren bang dat open keuzes laten zien zwak zou overkomen bij de Tweede Kamer.",
        lesson="Laat zien waar nog ruimte is om mee te denken. Plan tijd om alle reacties te "
        "lezen en terug te koppelen: wie reageert, wil weten wat er met zijn reactie gebeurt.",
        links="- [Internetconsultatie](https://www.internetconsultatie.nl)",
        days_ago=150,
        replies=(
            _reply(
                "julia.dehaan",
                "Dit is precies wat we bij ProDemos willen laten zien: hoe een wet ontstaat. "
                "Mogen we dit voorbeeld in onze lessen gebruiken?",
                _reply("hatice.kaya", "Graag! Ik stuur je de uitleg en de reactienota."),
            ),
            _reply(
                "kees.prins",
                "Ik heb zelf gereageerd. Het was de eerste keer dat ik het gevoel had dat "
                "iemand mijn reactie echt las. De terugkoppeling vond ik het belangrijkste.",
            ),
            _reply(
                "gijs.vanwijk",
                "Interessant. Hebben jullie bijgehouden welke reacties tot een wijziging "
                "leidden? Dat zou ik graag onderzoeken.",
            ),
            _reply(
                "pieter.vandermeer",
                "Bij de evaluatie van de Woo willen we hetzelfde doen. Ik neem contact met je op.",
            ),
        ),
        recognised_by=("lars.vanvliet", "julia.dehaan", "machteld.vanrijswijk"),
    ),
    _dilemma(
        "Contractregister: publiceren we ook de contracten zelf?",
        "erik.kramer",
        "open-inkoop",
        "contractregister; inkoopdata publiceren",
        situation="We hebben een contractregister met de belangrijkste gegevens: leverancier, "
        "looptijd en bedrag. Nu komt de vraag of we ook de contracten zelf online zetten.",
        tension="De contracten laten precies zien wat we hebben afgesproken. Dat helpt bij "
        "controle en vertrouwen. Maar in contracten staan ook prijsafspraken en namen. Alles "
        "lakken kost veel werk.",
        options=_lines(
            "Alleen het register publiceren, de contracten op verzoek.",
            "Nieuwe contracten standaard publiceren, met een afspraak daarover in de aanbesteding.",
            "Alle contracten publiceren, ook de oude.",
        ),
        constraints="Oude contracten zijn niet geschreven om openbaar te worden. Leveranciers "
        "moeten vooraf weten dat hun contract openbaar wordt.",
        days_ago=130,
        replies=(
            _reply(
                "koen.vermeulen",
                "Doe het voor nieuwe contracten en zet het in de aanbestedingsstukken. Dan weet "
                "de leverancier het vooraf. En dan hoeft er later weinig gelakt te worden.",
                helped=True,
            ),
            _reply(
                "floor.peeters",
                "Begin met de grootste contracten. Daar is de meeste belangstelling voor.",
            ),
            _reply(
                "rob.timmermans",
                "We verkennen dit ook bij het Rijk. Zullen we de tekst voor de aanbesteding "
                "samen opstellen?",
                _reply("erik.kramer", "Graag. Ik plan een afspraak."),
            ),
        ),
        recognised_by=("koen.vermeulen", "rob.timmermans"),
        decision="Vanaf 1 januari publiceren we alle nieuwe contracten boven 50.000 euro. In de "
        "aanbestedingsstukken staat dat het contract openbaar wordt. Oude contracten blijven "
        "op verzoek beschikbaar.",
    ),
    _dilemma(
        "E-mails van de wethouder: zelf openbaar maken of wachten op een Woo-verzoek?",
        SANNE,
        "open-informatie",
        "actieve openbaarmaking; e-mail archiveren; Woo-verzoeken afhandelen",
        situation="Er is veel discussie over de nieuwe sporthal. Inwoners en de krant stellen "
        "veel vragen. We verwachten een Woo-verzoek over de e-mails tussen de wethouder en de "
        "aannemer. Het gaat om ongeveer 300 e-mails.",
        tension="Als we de e-mails zelf openbaar maken, laten we zien dat we niets te verbergen "
        "hebben. Maar de wethouder is bang dat losse zinnen uit hun verband worden gehaald. En "
        "in de e-mails staan namen van medewerkers van de aannemer.",
        options=_lines(
            "Alles zelf openbaar maken, met de namen gelakt.",
            "Alleen een tijdlijn en de belangrijkste besluiten publiceren.",
            "Wachten tot er een Woo-verzoek komt.",
        ),
        constraints="We hebben twee weken. Er is één jurist voor de hele gemeente. De aannemer "
        "moet de kans krijgen om zijn mening te geven (een zienswijze).",
        days_ago=120,
        replies=(
            _reply(
                "pieter.vandermeer",
                "De Woo vraagt ons om uit onszelf openbaar te maken wat van algemeen belang is. "
                "Een discussie die de hele stad volgt, hoort daar volgens mij bij. Begin met een "
                "tijdlijn: dan snapt de lezer de e-mails beter.",
                _reply(
                    SANNE,
                    "Dank je. Een tijdlijn erbij is een goed idee. Dan staan de e-mails niet los.",
                ),
            ),
            _reply(
                "laura.vandenheuvel",
                "Let op de volledigheid. Zoek niet alleen in de mailbox van de wethouder, maar "
                "ook in die van het secretariaat en in chatberichten. Als later blijkt dat er "
                "iets mist, kost dat meer vertrouwen dan het oplevert.",
                helped=True,
            ),
            _reply(
                "daan.visser",
                "Als inwoner of journalist wil ik de stukken zelf zien, niet alleen een "
                "samenvatting. Publiceer ze als doorzoekbare pdf, niet als scan. En zet ze op "
                "één vaste plek.",
            ),
            _reply(
                "kees.prins",
                "Ik volg de raad in Deventer. Wat ik vaak mis: een korte uitleg in gewone taal "
                "bovenaan. Wat is er besloten, en waarom? Dan lees ik de e-mails erbij als ik "
                "dat wil.",
                _reply(
                    "bram.kuipers",
                    "Goed punt. Wij zetten nu bij elk besluit een leeswijzer van één pagina.",
                ),
            ),
            _reply(
                "machteld.vanrijswijk",
                "Uit ons onderzoek blijkt dat actieve openbaarmaking het aantal Woo-verzoeken "
                "over hetzelfde onderwerp vaak verlaagt. Het scheelt dus ook werk. Houd bij "
                "hoeveel vragen er daarna nog binnenkomen.",
            ),
        ),
        recognised_by=(
            "hanneke.veenstra",
            "bram.kuipers",
            "noor.haddou",
            "ilse.brouwer",
            "geertje.dijkstra",
        ),
        decision="We maken de e-mails zelf openbaar, met een tijdlijn en een leeswijzer van één "
        "pagina. De namen van medewerkers van de aannemer lakken we. De wethouder schrijft een "
        "korte inleiding.",
        outcome="Na drie weken publiceerden we 286 e-mails. Daarna kwam er geen Woo-verzoek "
        "meer over de sporthal. De krant schreef één artikel, vooral over de tijdlijn. De "
        "wethouder vond het achteraf minder spannend dan verwacht.",
        lesson="Maak actief openbaar voordat het verzoek komt, en geef uitleg mee: een tijdlijn "
        "en een leeswijzer. Zoek breed, ook in chatberichten. Plan de zienswijze van de "
        "aannemer meteen in, want die kost de meeste tijd.",
    ),
    _dilemma(
        "Nieuw zaaksysteem: kiezen we voor open source?",
        "niels.smits",
        "open-technologie; open-inkoop",
        "open source; Common Ground; open source aanbesteden",
        situation="Ons contract voor het zaaksysteem loopt over anderhalf jaar af. We moeten nu "
        "kiezen hoe we verder gaan. Er is een open source zaaksysteem dat al door meer "
        "gemeenten wordt gebruikt.",
        tension="Open source past bij Common Ground en maakt ons minder afhankelijk van één "
        "leverancier. Maar ons team kent het huidige pakket goed. Een overstap kost tijd en "
        "geld, en er is minder ondersteuning 'uit de doos'.",
        options=_lines(
            "Het huidige pakket opnieuw aanbesteden.",
            "Overstappen op het open source zaaksysteem, met een partij die het beheer doet.",
            "Samen met andere gemeenten het beheer regelen.",
        ),
        constraints="We moeten Europees aanbesteden. Het geld voor de overstap is nog niet "
        "rond. De koppelingen met de basisregistraties moeten blijven werken.",
        days_ago=90,
        visibility="public",
        replies=(
            _reply(
                "jasper.zwart",
                "Kijk vooral naar wie de software onderhoudt. Open source zonder community is "
                "ook een risico. Vraag andere gebruikers hoe het beheer geregeld is en wat het "
                "per jaar kost.",
            ),
            _reply(
                "wouter.scholten",
                "Wij stapten twee jaar geleden over. De techniek was niet het probleem. Het "
                "lastigste was het overzetten van oude zaken. Reken daar ruim tijd voor.",
                _reply("niels.smits", "Hoeveel tijd kostte dat overzetten bij jullie?"),
                _reply(
                    "wouter.scholten",
                    "Ongeveer vier maanden, met twee mensen. Vooral het opschonen van oude "
                    "gegevens kostte tijd.",
                ),
                helped=True,
            ),
            _reply(
                "koen.vermeulen",
                "Je kunt open source gewoon aanbesteden. Je koopt dan diensten in, zoals "
                "invoering, beheer en hosting, en geen licentie. Schrijf in de aanbesteding "
                "dat nieuwe code ook open source wordt.",
            ),
            _reply(
                "marieke.schouten",
                "Ons onderzoek naar digitale soevereiniteit laat zien dat afhankelijkheid vaak "
                "pas zichtbaar wordt bij een overstap. Leg nu vast dat je je gegevens in een "
                "open formaat kunt meenemen, welke keuze je ook maakt.",
            ),
        ),
        recognised_by=("thomas.mulder", "rachid.bouzid", "jan.willems", "martijn.degraaf"),
        decision="We kiezen voor het open source zaaksysteem. Samen met twee buurgemeenten "
        "besteden we de invoering en het beheer aan. In de aanbesteding staat dat nieuwe code "
        "als open source wordt gepubliceerd.",
    ),
    _experience(
        "Elke week een kwartier dilemma's bespreken in het team",
        "sem.ouali",
        "open-organisatie",
        "dilemma's bespreken; intervisie; werken in het openbaar",
        did="Samen met een team van een provincie hielden we drie maanden lang elke week een "
        "kwartier *dilemma-overleg*. Iemand brengt een echte twijfel in: iets openbaar maken "
        "of niet, iemand wel of niet betrekken. Het team denkt mee, zonder te oordelen.",
        worked="Het vaste moment. Na een paar weken brachten mensen zelf dilemma's in. "
        "Collega's zeiden dat ze zich minder alleen voelden met moeilijke keuzes.",
        failed="De leidinggevende was er niet altijd bij. Dan bleven sommige dilemma's liggen, "
        "omdat niemand er een besluit over kon nemen.",
        lesson="Houd het kort en vast, en zorg dat iemand met beslisruimte aanschuift. Begin "
        "met een klein dilemma, zodat mensen zich veilig voelen.",
        days_ago=80,
        visibility="public",
        replies=(
            _reply(
                "esther.vanleeuwen",
                "Wij doen iets vergelijkbaars in Rotterdam, maar één keer per maand. Een "
                "kwartier per week klinkt haalbaarder.",
            ),
            _reply(
                YASMINA,
                "Mooi! Zullen we dit laten zien in een meedenksessie van de alliantie?",
                _reply("sem.ouali", "Graag. Ik neem iemand van het team mee."),
            ),
            _reply(
                "hanneke.veenstra",
                "Voor een kleine gemeente als de onze is dit precies goed: weinig tijd, veel "
                "effect. Ik ga het proberen.",
            ),
        ),
        recognised_by=("esther.vanleeuwen", "gijs.vanwijk", "hanneke.veenstra", YASMINA),
    ),
    _experience(
        "Woo-besluiten zelf publiceren: ons eerste halfjaar",
        "noor.haddou",
        "open-informatie",
        "actieve openbaarmaking; Platform Open Overheidsinformatie; metadata",
        did="Sinds dit jaar publiceren we elk Woo-besluit met de stukken op open.overheid.nl. "
        "We maakten een vaste werkwijze: wie lakt, wie controleert en wie publiceert. Elke "
        "maand kijken we terug wat er goed ging.",
        worked="Een vaste checklist voor het lakken. Daardoor maken we minder fouten. Ook vragen "
        "mensen nu vaker naar een besluit dat al online staat, in plaats van een nieuw "
        "verzoek in te dienen.",
        failed="Onze documenten hadden vaak geen goede metadata. Zonder datum, soort document "
        "en onderwerp zijn ze online moeilijk te vinden. Dat moesten we achteraf nog aanvullen.",
        lesson="Regel de metadata aan het begin, als je de documenten verzamelt. Achteraf "
        "aanvullen kost drie keer zoveel tijd.",
        links="- [open.overheid.nl](https://open.overheid.nl)",
        days_ago=60,
        replies=(
            _reply(
                "ilse.brouwer",
                "Herkenbaar. Wij hebben nu een sjabloon in ons archiefsysteem met de verplichte "
                "velden. Wil je dat zien?",
                _reply("noor.haddou", "Ja graag! Stuur je het op?"),
            ),
            _reply(
                "anouk.smit",
                "Goed om te horen dat het platform gebruikt wordt. Wat kunnen wij aan de kant "
                "van het platform beter doen?",
            ),
            _reply(
                "daan.visser",
                "Voor ons is het een grote stap vooruit dat de besluiten op één plek staan. Wat "
                "ik mis: de inventarislijst als aparte lijst waarin je kunt zoeken.",
            ),
            _reply(
                "pieter.vandermeer",
                "Mooi. Mag ik dit delen in het overleg met de Woo-contactpersonen van de "
                "ministeries?",
            ),
        ),
        recognised_by=(SANNE, "kim.blom", "bram.kuipers", "laura.vandenheuvel"),
    ),
    _dilemma(
        "Code openzetten die nog niet af is?",
        "wouter.scholten",
        "open-technologie",
        "open source; code publiceren; publiccode.yml",
        situation="We bouwen een app om schade aan vaarwegen te melden. Ons beleid is: open "
        "source, tenzij. Het team wil de code pas publiceren als de app klaar is.",
        tension="Open werken vanaf het begin geeft anderen de kans om mee te kijken en fouten "
        "te vinden. Maar het team voelt zich kwetsbaar. Halve code, oude fouten en commentaar "
        "in de code zijn dan voor iedereen te zien.",
        options=_lines(
            "Vanaf nu alles openbaar, ook de geschiedenis.",
            "Openbaar maken bij de eerste versie, zonder de oude geschiedenis.",
            "Pas publiceren als de app klaar is.",
        ),
        constraints="Er mogen geen wachtwoorden of sleutels in de code staan. De afdeling "
        "beveiliging wil eerst controleren.",
        days_ago=40,
        replies=(
            _reply(
                "jasper.zwart",
                "Begin open, dat is echt makkelijker dan later. Je schrijft dan vanzelf nettere "
                "code en commentaar. Laat de code wel eerst scannen op wachtwoorden en "
                "sleutels.",
            ),
            _reply(
                "niels.smits",
                "Bij ons hielp het om een publiccode.yml toe te voegen. In de README staat dat "
                "het werk nog niet af is. Dan snapt iedereen dat.",
            ),
            _reply(
                "thomas.mulder",
                "Kijk op developer.overheid.nl. Daar staan handreikingen voor het publiceren "
                "van code. Het team hoeft het wiel niet opnieuw uit te vinden.",
            ),
        ),
        recognised_by=("rachid.bouzid", "thomas.mulder"),
    ),
    _dilemma(
        "Inkoopdata publiceren: ook de bedragen per leverancier?",
        "koen.vermeulen",
        "open-inkoop; open-communicatie",
        "inkoopdata publiceren; open contracting (OCDS); Direct Duidelijk",
        situation="We willen laten zien wat de gemeente inkoopt, bij wie en voor hoeveel. Onze "
        "eerste stap is een lijst van alle contracten boven 50.000 euro. Samen met de Direct "
        "Duidelijk Brigade maken we er een overzicht van in gewone taal.",
        tension="Met bedragen per leverancier wordt de lijst pas echt nuttig. Maar sommige "
        "leveranciers vinden hun prijzen bedrijfsgevoelig. En als we fouten maken in de data, "
        "staan die meteen online.",
        options=_lines(
            "Alleen de contracten publiceren, zonder bedragen.",
            "Het totale bedrag per contract publiceren.",
            "Alles publiceren volgens de Open Contracting Data Standard (OCDS).",
        ),
        constraints="Onze inkoopdata staan in drie systemen. De kwaliteit wisselt. Leveranciers "
        "moeten de kans krijgen om te reageren.",
        days_ago=25,
        replies=(
            _reply(
                "rob.timmermans",
                "Bij het Rijk publiceren we het totale bedrag per contract. Prijzen per stuk "
                "niet: die zijn echt bedrijfsgevoelig. Het totale bedrag is meestal al "
                "openbaar door de gunning.",
            ),
            _reply(
                "floor.peeters",
                "Voor ons zijn bedragen per leverancier het belangrijkste. Zonder bedragen zie "
                "je niet of een leverancier steeds opnieuw wordt gekozen. Begin met OCDS, dan "
                "kun je later uitbreiden.",
                _reply("koen.vermeulen", "Weet jij of andere gemeenten OCDS al gebruiken?"),
                _reply("floor.peeters", "Ja, een paar. Ik stuur je de contactgegevens."),
            ),
            _reply(
                "erik.kramer",
                "Bij ons waterschap was de kwaliteit van de data het grootste probleem. We "
                "begonnen met één jaar en haalden de fouten eruit voordat we publiceerden.",
            ),
            _reply(
                "femke.hoekstra",
                "Een lijst met codes en bedragen zegt de meeste mensen weinig. Zet bij elk "
                "contract in één zin wat er gekocht is. Daar helpen we graag bij.",
            ),
        ),
        recognised_by=("erik.kramer", "rob.timmermans", "hanneke.veenstra"),
    ),
    _dilemma(
        "Mijn leidinggevende wil een rapport niet openbaar maken. Wat nu?",
        "bram.kuipers",
        "open-informatie; open-organisatie",
        "Woo-verzoeken afhandelen; integriteit",
        situation="Ik behandel een Woo-verzoek over een intern onderzoek naar een project dat "
        "uit de hand liep. Het rapport is kritisch over onze aanpak. Volgens mij valt het "
        "rapport onder de Woo en is er geen goede reden om het te weigeren.",
        tension="Mijn leidinggevende wil het rapport weigeren, omdat het 'nog niet af' zou "
        "zijn. Maar het rapport is wel af. Ik wil mijn werk goed doen en de wet volgen. Ik wil "
        "ook geen ruzie met mijn leidinggevende.",
        options=_lines(
            "Mijn advies op papier zetten en de keuze bij mijn leidinggevende laten.",
            "De jurist vragen om mee te kijken.",
            "Het bespreken met de vertrouwenspersoon integriteit.",
        ),
        constraints="De termijn om te beslissen loopt over twee weken af. Ik werk hier pas een "
        "jaar.",
        days_ago=12,
        anonymous=True,
        replies=(
            _reply(
                "esther.vanleeuwen",
                "Wat je beschrijft, is een echt integriteitsdilemma. Zet je advies op papier, "
                "met de artikelen uit de Woo erbij. Dan ligt de verantwoordelijkheid waar hij "
                "hoort. En je beschermt jezelf.",
            ),
            _reply(
                "noor.haddou",
                "Herkenbaar. 'Nog niet af' is geen reden om te weigeren als het document wel af "
                "is. Vraag de jurist om mee te lezen. Een tweede stem helpt vaak in het "
                "gesprek.",
            ),
            _reply(
                "sem.ouali",
                "Misschien helpt het om samen te kijken waar je leidinggevende bang voor is. "
                "Vaak gaat het om de reacties op het rapport, niet om het rapport zelf. Een "
                "goede uitleg bij de publicatie kan die angst kleiner maken.",
            ),
        ),
        recognised_by=(SANNE, "noor.haddou", "kim.blom", "geertje.dijkstra", "ilse.brouwer"),
    ),
    _dilemma(
        "Kleine gemeente: met welke informatie beginnen we bij actieve openbaarmaking?",
        "hanneke.veenstra",
        "open-informatie",
        "actieve openbaarmaking; informatiecategorieën Woo",
        situation="Wij zijn een gemeente met ongeveer 35.000 inwoners. De Woo vraagt ons om "
        "steeds meer informatie uit onszelf te publiceren. We hebben er één medewerker voor, "
        "twee dagen per week.",
        tension="We kunnen niet alles tegelijk. Beginnen we met wat het makkelijkst is, of met "
        "wat inwoners het belangrijkst vinden?",
        options=_lines(
            "Beginnen met de besluiten van het college.",
            "Beginnen met de raadsstukken en de agenda's.",
            "Eerst inwoners vragen wat zij willen weten.",
        ),
        constraints="Ons documentsysteem kan nog niet vanzelf publiceren.",
        days_ago=3,
        recognised_by=("geertje.dijkstra",),
    ),
)

# --- words for synthetic items ---------------------------------------------------------------

#: What an item is about, per theme (noun phrases that fit "Hoe ver gaan we met {subject}?").
SUBJECTS = {
    "open-technologie": (
        "open source software",
        "het algoritmeregister",
        "open standaarden",
        "een nieuw zaaksysteem",
        "de broncode van onze app",
        "Common Ground",
        "open data over de openbare ruimte",
        "een API voor onze gegevens",
        "cloudopslag bij een buitenlandse leverancier",
        "de toegankelijkheid van onze website",
        "een DPIA voor een nieuw algoritme",
        "code delen met andere gemeenten",
        "publiccode.yml",
        "digitale soevereiniteit",
        "een chatbot voor inwoners",
        "linked data",
        "het uitfaseren van oude systemen",
        "slimme camera's in de stad",
        "een algoritme voor fraudesignalen",
        "FAIR-data",
    ),
    "open-informatie": (
        "actieve openbaarmaking",
        "e-mails van bestuurders",
        "een groot Woo-verzoek",
        "chatberichten van ambtenaren",
        "de Woo-index",
        "het lakken van persoonsgegevens",
        "raadsstukken",
        "collegebesluiten",
        "de termijnen van de Woo",
        "het archiveren van Teams-berichten",
        "de informatiecategorieën van de Woo",
        "ambtelijke adviezen",
        "het Woo-jaarverslag",
        "onderzoeksrapporten",
        "open.overheid.nl",
        "oude Wob-verzoeken",
        "persoonlijke beleidsopvattingen",
        "de inventarislijst",
        "documenten van externe partijen",
        "vertrouwelijke bijlagen",
    ),
    "open-communicatie": (
        "brieven op B1-niveau",
        "een boetebrief",
        "een burgerberaad",
        "onze website in gewone taal",
        "participatie bij een windpark",
        "de Direct Duidelijk Brigade",
        "inwoners die moeite hebben met lezen",
        "een burgerpanel",
        "beeldtaal in brieven",
        "klantreizen",
        "omgevingsgesprekken",
        "social media",
        "crisiscommunicatie",
        "een wijkavond",
        "terugkoppeling aan inwoners",
        "meertalige informatie",
        "toegankelijke video's",
        "de nieuwsbrief van de gemeente",
    ),
    "open-organisatie": (
        "werken in het openbaar",
        "open agenda's van bestuurders",
        "dilemma's bespreken in het team",
        "een lobbyregister",
        "fouten delen",
        "integriteit",
        "een klokkenluidersregeling",
        "intervisie",
        "verantwoording aan de raad",
        "nevenfuncties van bestuurders",
        "samenwerken over grenzen",
        "een open cultuur",
        "leiderschap",
        "de rol van de ambtenaar",
        "kennisdeling tussen afdelingen",
    ),
    "open-inkoop": (
        "inkoopdata",
        "een contractregister",
        "open source aanbesteden",
        "bedragen per leverancier",
        "aanbestedingen in gewone taal",
        "TenderNed",
        "open contracting (OCDS)",
        "een subsidieregister",
        "maatschappelijk verantwoord inkopen",
        "meerwerk bij contracten",
        "onderhandse gunningen",
        "leveranciersmanagement",
        "Europese aanbestedingen",
    ),
    "open-justice": (
        "uitspraken publiceren",
        "Open Wetsontwerp",
        "een internetconsultatie",
        "het anonimiseren van uitspraken",
        "wetgeving in gewone taal",
        "de memorie van toelichting",
        "open parlementaire data",
        "ECLI-nummers",
        "een reactienota",
        "verordeningen",
        "wetsanalyse",
        "de Open Rechtspraak",
    ),
}

#: Sometimes added to the subject of a title, to make it concrete.
CONTEXTS = (
    "bij een kleine gemeente",
    "in het sociaal domein",
    "na een incident",
    "met weinig mensen",
    "bij een groot project",
    "rond de verkiezingen",
    "bij een reorganisatie",
    "in een crisis",
    "samen met de provincie",
    "in een regionale samenwerking",
)

DILEMMA_TITLES = (
    "{Subject}: hoe pakken we dat aan?",
    "Hoe ver gaan we met {subject}?",
    "{Subject}: nu beginnen of wachten?",
    "Wie is eigenaar van {subject}?",
    "{Subject} zonder extra budget: waar beginnen we?",
    "Hoe krijgen we het bestuur mee bij {subject}?",
    "{Subject}: snelheid of zorgvuldigheid?",
    "Hoe open zijn we over {subject}?",
    "Betrekken we inwoners bij {subject}?",
    "{Subject}: zelf doen of samen met anderen?",
    "Wat vertellen we de raad over {subject}?",
    "{Subject} en de AVG: wat mag wel en wat niet?",
    "Durven we fouten te delen over {subject}?",
    "Hoe leggen we {subject} uit aan inwoners?",
    "Moeten we {subject} eerst intern regelen?",
    "{Subject}: wat als de leverancier niet meewerkt?",
)

EXPERIENCE_TITLES = (
    "Zo pakten we {subject} aan",
    "Wat we leerden van {subject}",
    "{Subject} in {place}: onze ervaring",
    "Een jaar werken aan {subject}: wat werkte en wat niet",
    "{Subject}: drie dingen die we anders zouden doen",
    "Van plan naar praktijk: {subject}",
    "Ervaring met {subject} bij {organisation}",
    "Zo kregen we collega's mee bij {subject}",
    "{Subject}: klein begonnen, nu vanzelfsprekend",
    "Wat inwoners vonden van {subject}",
)

SITUATIONS = (
    "Bij {organisation} werken we sinds {months} maanden aan {subject}.",
    "Onze organisatie is klein: {number} mensen doen alles rond {subject}.",
    "De raad vroeg ons om {subject} beter te regelen.",
    "Na vragen van een journalist kwam {subject} hoog op de agenda.",
    "We staan aan het begin. Niemand is nu echt verantwoordelijk voor {subject}.",
    "Een nieuwe wethouder wil dat we meer doen aan {subject}.",
    "Inwoners klagen dat ze niet snappen hoe het zit met {subject}.",
    "We doen mee aan een pilot over {subject}, samen met {place}.",
    "Ons team kreeg de opdracht om binnen {months} maanden een plan te maken voor {subject}.",
    "Een collega uit {place} vertelde hoe zij {subject} regelen. Wij willen dat ook.",
)

SITUATION_DETAILS = (
    "Er is geen extra geld voor.",
    "De directie staat er positief tegenover, maar wil eerst een plan zien.",
    "Sommige collega's vinden het spannend.",
    "We hebben al een paar keer iets geprobeerd, maar het bleef steken.",
    "De gegevens staan verspreid over verschillende systemen.",
    "Het onderwerp ligt politiek gevoelig.",
    "De leverancier van ons systeem heeft weinig tijd.",
    "De juristen kijken kritisch mee.",
    "We willen leren van organisaties die dit al doen.",
    "Er is veel aandacht van de pers.",
)

TENSIONS = (
    "Openheid is belangrijk, maar we willen ook zorgvuldig zijn met persoonsgegevens.",
    "Als we nu beginnen, maken we vast fouten. Als we wachten, verliezen we vertrouwen.",
    "Het bestuur wil snelheid, de juristen willen eerst alle risico's kennen.",
    "Inwoners verwachten veel, maar we hebben maar weinig mensen.",
    "We willen het goed doen, maar niemand weet precies wat 'goed' is.",
    "Openheid kan vragen oproepen die we nu nog niet kunnen beantwoorden.",
    "Wat voor de ene afdeling logisch is, voelt voor de andere als een risico.",
    "Een landelijke oplossing komt er misschien aan, maar niemand weet wanneer.",
    "Samenwerken met andere organisaties kost tijd, alleen doen kost meer geld.",
    "Als we het uitleggen in gewone taal, laten we juridische details weg.",
    "De leverancier wil meewerken, maar alleen als wij de extra kosten betalen.",
    "Collega's zijn bang dat hun naam en hun werk op straat komen te liggen.",
)

OPTIONS = (
    "Nu beginnen met een kleine pilot.",
    "Wachten op landelijke afspraken.",
    "Eerst een plan maken met alle afdelingen.",
    "Samenwerken met een andere gemeente.",
    "Een externe partij inhuren.",
    "Inwoners vragen wat zij belangrijk vinden.",
    "Alles openbaar maken, met namen gelakt.",
    "Alleen een samenvatting publiceren.",
    "Het voorleggen aan het bestuur.",
    "Het eerst een jaar intern proberen.",
    "De leverancier vragen om een aanpassing.",
    "Een vaste werkwijze afspreken en die na een halfjaar evalueren.",
)

CONSTRAINTS = (
    "Er is geen extra budget.",
    "We hebben maar één jurist.",
    "De termijn is kort.",
    "De AVG stelt grenzen aan wat we mogen delen.",
    "Ons systeem kan dit nog niet.",
    "We moeten Europees aanbesteden.",
    "De raad moet eerst akkoord geven.",
    "Derden moeten de kans krijgen om te reageren.",
    "Het team is druk met andere projecten.",
    "De gegevens zijn niet altijd juist.",
)

WHAT_WE_DID = (
    "We begonnen met een kleine groep collega's die er zin in hadden.",
    "Bij {organisation} maakten we eerst een overzicht van wat er al was rond {subject}.",
    "We vroegen {number} inwoners om mee te denken over {subject}.",
    "We hebben een vaste werkwijze gemaakt: wie doet wat, en wanneer.",
    "Samen met een collega uit {place} schreven we een plan van twee pagina's.",
    "We hielden elke maand een korte terugblik met het hele team.",
    "We testten de aanpak eerst een halfjaar op één afdeling.",
    "We maakten een checklist en een voorbeeld dat iedereen kon gebruiken.",
    "We vroegen de Direct Duidelijk Brigade om mee te lezen.",
    "We publiceerden alles op één vaste plek op onze website.",
    "We legden de keuzes voor aan het bestuur, met voor- en nadelen.",
    "We zochten contact met organisaties die dit al deden.",
)

WHAT_WORKED = (
    "Klein beginnen werkte goed.",
    "Een vaste checklist zorgde voor minder fouten.",
    "Collega's deden mee omdat ze zelf het nut zagen.",
    "Inwoners reageerden positief en stelden goede vragen.",
    "Het bestuur steunde ons vanaf het begin.",
    "Door samen te werken met {place} hoefden we niet alles zelf te bedenken.",
    "Gewone taal maakte het verschil: er kwamen minder vragen binnen.",
    "Een vast aanspreekpunt maakte het voor iedereen duidelijk.",
    "We deelden tussenresultaten, ook als ze nog niet af waren.",
    "De terugkoppeling aan deelnemers werd erg gewaardeerd.",
)

WHAT_FAILED = (
    "Het kostte meer tijd dan we dachten.",
    "De eerste versie was te technisch.",
    "Niet iedereen wist wie er verantwoordelijk was.",
    "De gegevens waren minder goed dan we dachten.",
    "We betrokken de juristen te laat.",
    "Na een halfjaar zakte de aandacht weg.",
    "De leverancier kon niet leveren wat we nodig hadden.",
    "We hadden te weinig aandacht voor mensen die moeite hebben met lezen.",
    "De planning was te krap.",
)

LESSONS = (
    "Begin klein en leer onderweg.",
    "Maak één persoon eigenaar.",
    "Betrek de juristen vanaf het begin.",
    "Test met echte inwoners, niet alleen met collega's.",
    "Leg vast wie wat doet, en evalueer na een halfjaar.",
    "Deel ook wat niet goed ging: daar leren anderen het meest van.",
    "Vraag hulp aan organisaties die al verder zijn.",
    "Regel de basis eerst: goede gegevens en een goed archief.",
    "Schrijf voor de lezer, niet voor jezelf.",
    "Houd deelnemers op de hoogte, ook na afloop.",
)

DECISIONS = (
    "We beginnen met een pilot van een halfjaar.",
    "We maken alles openbaar, met persoonsgegevens gelakt.",
    "We werken samen met {place} en delen de kosten.",
    "We publiceren eerst een samenvatting en later de volledige stukken.",
    "We wachten niet op landelijke afspraken en beginnen zelf.",
    "We leggen het plan voor aan de raad en vragen om extra budget.",
    "We kiezen voor open source en besteden het beheer aan.",
    "We maken een vaste werkwijze en wijzen een eigenaar aan.",
)

DECISION_REASONS = (
    "Zo leren we snel wat werkt.",
    "Dat past het best bij onze afspraken over openheid.",
    "De reacties hier hielpen ons om te kiezen.",
    "Het bestuur stond hier achter.",
    "Dit is haalbaar met de mensen die we hebben.",
)

OUTCOMES = (
    "Het werkte beter dan we dachten.",
    "Er kwamen minder vragen binnen dan eerst.",
    "Het kostte meer tijd, maar het resultaat was goed.",
    "Inwoners waren positief, de raad ook.",
    "De pilot is nu vaste werkwijze geworden.",
    "Niet alles lukte: de koppeling met ons systeem werkt nog steeds niet goed.",
    "Twee andere gemeenten nemen onze aanpak over.",
    "We moesten halverwege bijsturen, maar het eindresultaat staat.",
)

#: How a reply starts, by the perspective of the one who replies.
REPLY_OPENINGS = {
    "beleid": (
        "Vanuit beleid kijk ik er zo naar.",
        "Bij ons ministerie speelde dit ook.",
        "Goede vraag, die horen we vaker.",
        "De wet laat hier ruimte voor.",
        "Wij hebben hier landelijk afspraken over gemaakt.",
    ),
    "uitvoering": (
        "In de praktijk werkt het bij ons zo.",
        "Wij deden dit vorig jaar.",
        "Herkenbaar!",
        "Bij {organisation} liepen we hier ook tegenaan.",
        "Ik doe dit werk elke dag, dus een paar tips.",
    ),
    "maatschappij": (
        "Vanuit onze organisatie zien we dit vaak.",
        "Als maatschappelijke organisatie kijken we vooral naar de inwoner.",
        "Goed dat jullie dit openlijk bespreken.",
        "Wij gebruiken deze informatie zelf ook.",
    ),
    "inwoner": (
        "Als inwoner wil ik vooral snappen wat er gebeurt.",
        "Ik kijk er als inwoner naar.",
        "Ik heb dit zelf meegemaakt.",
        "Voor mij als inwoner is dit belangrijk.",
    ),
    "onderzoek": (
        "Uit onderzoek weten we hier al iets over.",
        "Wij onderzochten dit bij een aantal organisaties.",
        "Interessant dilemma, ook voor onderzoek.",
        "De literatuur is hier vrij duidelijk over.",
    ),
}

REPLY_ADVICE = (
    "Begin klein en maak het daarna groter.",
    "Zet het eerst op papier: wie beslist wat, en waarom.",
    "Vraag de jurist om vanaf het begin mee te denken.",
    "Kijk hoe andere organisaties {subject} hebben geregeld.",
    "Leg uit in gewone taal wat je doet en waarom.",
    "Maak iemand eigenaar van {subject}.",
    "Betrek inwoners vroeg, niet pas aan het eind.",
    "Publiceer ook wat nog niet af is, met een duidelijke uitleg.",
    "Zorg dat de gegevens op orde zijn voordat je publiceert.",
    "Spreek een vaste termijn af en houd je eraan.",
    "Ik zou eerst een pilot doen van een halfjaar.",
    "Over {tag} kan ik je meer vertellen als je wilt.",
    "Wij gebruiken een checklist, die deel ik graag.",
    "Vergeet niet de mensen die moeite hebben met lezen.",
    "Houd de raad op de hoogte, ook als het tegenzit.",
    "Reken op meer tijd dan je denkt.",
    "**Let op:** persoonsgegevens moet je altijd lakken.",
    "Een korte leeswijzer bovenaan helpt lezers enorm.",
)

REPLY_CLOSINGS = (
    "Succes!",
    "Bel me gerust als je wilt sparren.",
    "Ik ben benieuwd wat jullie kiezen.",
    "Laat je weten hoe het afloopt?",
    "Ik stuur je een voorbeeld.",
    "Misschien kunnen we een keer koffie drinken?",
)

#: Answers to a reply (one level deep).
ANSWERS = (
    "Dank je, dat is een goede tip.",
    "Hoe lang duurde dat bij jullie?",
    "Mogen we jullie aanpak overnemen?",
    "Dat herken ik. Bij ons ging het net zo.",
    "Goed punt, dat nemen we mee.",
    "Kun je dat voorbeeld met mij delen?",
    "Daar ben ik het niet helemaal mee eens: bij ons werkte het anders.",
    "Wie was bij jullie de eigenaar?",
    "Interessant! Heb je daar een link naar?",
)

LINKS = (
    "https://open.overheid.nl",
    "https://www.directduidelijk.nl",
    "https://algoritmes.overheid.nl",
    "https://www.internetconsultatie.nl",
    "https://data.overheid.nl",
    "https://www.tenderned.nl",
    "https://developer.overheid.nl",
    "https://www.open-overheid.nl",
)

"""The named people of the demo network: who they are, what they offer and what they seek.

Made up, but built from the consultation for the Actieplan Open Overheid: its themes, its
meedenksessies and its actiehouders (such as the actiehouder of Open Inkoop who wants to work
with the Direct Duidelijk Brigade).
"""

from dataclasses import dataclass

#: Visible to visitors: everything, something, or nothing.
ALL = ("organisation", "organisation_type", "perspective", "themes", "offers", "seeks", "bio")
SOME = ("organisation", "organisation_type", "themes", "offers")
NONE: tuple[str, ...] = ()

DOMAIN = "demo.alliantie.example"


@dataclass(frozen=True)
class DemoPerson:
    """A member of the named demo network."""

    email: str
    name: str
    organisation: str
    organisation_type: str
    perspective: str
    themes: tuple[str, ...]
    offers: tuple[str, ...]
    seeks: tuple[str, ...]
    bio: str
    public_fields: tuple[str, ...] = NONE
    role: str = "member"


def _person(email: str, name: str, organisation: str, organisation_type: str, perspective: str,
            themes: str, offers: str, seeks: str, bio: str,
            public: tuple[str, ...] = SOME, role: str = "member") -> DemoPerson:
    """Compact notation: themes, offers and seeks as ``"a; b; c"``; a bare name gets the demo
    domain as e-mail address."""
    def split(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(";") if part.strip())

    address = email if "@" in email else f"{email}@{DOMAIN}"
    return DemoPerson(address, name, organisation, organisation_type, perspective, split(themes),
                      split(offers), split(seeks), bio, public, role)


#: The three fixed accounts (the README names them); first in the list, so they come first.
FIXED = (
    _person(
        "beheerder@alliantie.example", "Marloes Verbeek", "Ministerie van BZK", "rijksoverheid",
        "beleid", "open-organisatie; open-informatie",
        "netwerk open overheid; actieplan Open Overheid; partners verbinden",
        "verhalen uit de praktijk; nieuwe actiehouders",
        "Ik beheer het platform van de Alliantie Open Overheid, vanuit het team Open Overheid "
        "van BZK.\n\nHeb je een vraag over je account of over de site? **Mail me gerust.**",
        ALL, "admin"),
    _person(
        "coordinator@alliantie.example", "Yasmina El Amrani", "Ministerie van BZK",
        "rijksoverheid", "beleid", "open-communicatie; open-organisatie; open-technologie",
        "meedenksessies organiseren; procesbegeleiding; kennisdeling",
        "sprekers voor een bijeenkomst; voorbeelden van andere gemeenten",
        "Ik coördineer de alliantie: de thema's, de meedenksessies en de bijeenkomsten.\n\n"
        "Het netwerk maken we samen. Niet alleen praten, ook doen.", ALL, "coordinator"),
    _person(
        "lid@alliantie.example", "Sanne de Vries", "Gemeente Utrecht", "gemeente", "uitvoering",
        "open-informatie", "Woo-verzoeken afhandelen; actieve openbaarmaking; Woo-index",
        "anonimiseren; e-mail archiveren; collega's in dezelfde rol",
        "Ik ben **Woo-coördinator** bij de gemeente Utrecht. Ik help collega's om verzoeken "
        "op tijd en goed af te handelen.\n\nWe willen meer uit onszelf openbaar maken. "
        "Hoe doen jullie dat?", SOME),
)

OTHERS = (
    # Rijksoverheid
    _person("pieter.vandermeer", "Pieter van der Meer", "Ministerie van BZK", "rijksoverheid",
            "beleid", "open-informatie", "Wet open overheid invoeren; Open Wob; actieve "
            "openbaarmaking", "praktijkervaring; Woo-jaarverslag",
            "Ik werk aan de invoering van de Woo. Ik hoor graag waar uitvoerders tegenaan lopen.",
            ALL),
    _person("hatice.kaya", "Hatice Kaya", "Ministerie van Justitie en Veiligheid",
            "rijksoverheid", "beleid", "open-justice", "Open Wetsontwerp; internetconsultatie; "
            "wetgevingsproces volgen", "juridische taal vereenvoudigen; pilotpartner",
            "Ik ben wetgevingsjurist. Met **Open Wetsontwerp** maken we zichtbaar hoe een wet "
            "ontstaat."),
    _person("femke.hoekstra", "Femke Hoekstra", "Direct Duidelijk Brigade", "rijksoverheid",
            "uitvoering", "open-communicatie", "B1-taalniveau; begrijpelijke brieven; "
            "schrijftrainingen; Direct Duidelijk", "inkoopdata publiceren; pilotpartner",
            "Ik help overheden om duidelijk te schrijven. Een brief die je snapt, is een brief "
            "die werkt.\n\nWe verkennen een samenwerking met Open Inkoop.", ALL),
    _person("rob.timmermans", "Rob Timmermans", "Ministerie van Financiën", "rijksoverheid",
            "beleid", "open-inkoop", "spend-analyse; inkoopdata publiceren",
            "open contracting (OCDS); voorbeelden van andere gemeenten",
            "Ik werk aan openheid over wat het Rijk inkoopt. Wat kopen we, bij wie en waarom?"),
    _person("wouter.scholten", "Wouter Scholten", "Ministerie van Infrastructuur en Waterstaat",
            "rijksoverheid", "uitvoering", "open-technologie", "open source; code publiceren; "
            "publiccode.yml", "open source aanbesteden; juridisch advies",
            "Wij zetten onze code open. Ik deel graag hoe we dat geregeld hebben.", NONE),
    # Provincie
    _person("ilse.brouwer", "Ilse Brouwer", "Provincie Gelderland", "provincie", "uitvoering",
            "open-informatie", "informatiehuishouding; e-mail archiveren; metadata",
            "actieve openbaarmaking; Woo-index",
            "Ik ben adviseur informatiehuishouding. Goede openbaarheid begint bij goed "
            "archiveren."),
    _person("martijn.degraaf", "Martijn de Graaf", "Provincie Zuid-Holland", "provincie",
            "beleid", "open-technologie; open-organisatie", "algoritmeregister; DPIA",
            "algoritmes toetsen; onderzoekspartner",
            "Ik zorg dat de provincie uitlegt welke algoritmes ze gebruikt en waarom.", ALL),
    _person("tjeerd.postma", "Tjeerd Postma", "Provincie Fryslân", "provincie", "uitvoering",
            "open-communicatie", "participatietrajecten; burgerpanels; omgevingsgesprekken",
            "digitale inclusie; feedback op ons plan",
            "Ik organiseer gesprekken met inwoners over hun leefomgeving. Tweerichtingsverkeer "
            "is voor mij de kern."),
    # Gemeente
    _person("rachid.bouzid", "Rachid Bouzid", "Gemeente Amsterdam", "gemeente", "uitvoering",
            "open-technologie", "algoritmeregister; open source; API-ontwerp",
            "open standaarden; collega's in dezelfde rol",
            "Ik werk aan het algoritmeregister van Amsterdam. **Vraag me gerust hoe we "
            "begonnen.**", ALL),
    _person("esther.vanleeuwen", "Esther van Leeuwen", "Gemeente Rotterdam", "gemeente",
            "beleid", "open-organisatie", "cultuurverandering; integriteit; dilemma's bespreken",
            "leiderschap; intervisie",
            "Openheid is geen project, maar een manier van werken. Daar help ik teams bij."),
    _person("koen.vermeulen", "Koen Vermeulen", "Gemeente Den Haag", "gemeente", "uitvoering",
            "open-inkoop; open-technologie", "open source aanbesteden; inkoopdata publiceren; "
            "contractregister", "B1-taalniveau; Direct Duidelijk",
            "Ik ben actiehouder **Open Inkoop**. Ik wil samenwerken met de Direct Duidelijk "
            "Brigade: aanbestedingen in gewone taal.", ALL),
    _person("lotte.janssen", "Lotte Janssen", "Gemeente Nijmegen", "gemeente", "uitvoering",
            "open-communicatie", "inwonersparticipatie; burgerberaad; participatietrajecten",
            "praktijkervaring; sprekers voor een bijeenkomst",
            "We hielden ons eerste burgerberaad. Ik vertel graag wat we leerden."),
    _person("bram.kuipers", "Bram Kuipers", "Gemeente Zwolle", "gemeente", "uitvoering",
            "open-informatie", "Woo-verzoeken afhandelen; lakken van documenten; anonimiseren",
            "Woo-index; sparringpartner",
            "Ik handel Woo-verzoeken af. Lakken gaat sneller met goede afspraken vooraf."),
    _person("geertje.dijkstra", "Geertje Dijkstra", "Gemeente Súdwest-Fryslân", "gemeente",
            "uitvoering", "open-informatie", "archivering; duurzame toegankelijkheid",
            "e-mail archiveren; voorbeelden van andere gemeenten",
            "Ik ben archivaris. Wat we goed bewaren, kunnen we later ook openbaar maken.", NONE),
    _person("niels.smits", "Niels Smits", "Gemeente Eindhoven", "gemeente", "beleid",
            "open-technologie", "Common Ground; open standaarden; pas-toe-of-leg-uit",
            "open source; pilotpartner",
            "Ik werk aan Common Ground: gegevens bij de bron, niet overal een kopie."),
    _person("hanneke.veenstra", "Hanneke Veenstra", "Gemeente Tynaarlo", "gemeente", "beleid",
            "open-informatie; open-organisatie", "actieve openbaarmaking; openbaarheid "
            "raadsstukken", "een mentor; voorbeelden van andere gemeenten",
            "Een kleine gemeente kan ook open zijn. Wij staan nog aan het begin, dus alle tips "
            "zijn welkom."),
    # Waterschap
    _person("jan.willems", "Jan Willems", "Waterschap Rivierenland", "waterschap",
            "uitvoering", "open-informatie; open-technologie", "open data; informatiebeheer",
            "linked data; FAIR-data",
            "Ik publiceer de data van het waterschap: peilen, dijken en meetpunten.", ALL),
    _person("maartje.vandam", "Maartje van Dam", "Hoogheemraadschap van Rijnland",
            "waterschap", "uitvoering", "open-communicatie", "omgevingsgesprekken; B1-taalniveau",
            "beeldtaal; toegankelijke websites",
            "Ik leg uit wat het hoogheemraadschap doet, in gewone taal."),
    _person("erik.kramer", "Erik Kramer", "Waterschap Vallei en Veluwe", "waterschap", "beleid",
            "open-inkoop", "maatschappelijk verantwoord inkopen; leveranciersmanagement",
            "inkoopdata publiceren; contractregister",
            "Ik ben inkoopadviseur. Ik wil laten zien waar ons geld naartoe gaat.", NONE),
    # Uitvoeringsorganisatie
    _person("priya.ramdin", "Priya Ramdin", "UWV", "uitvoeringsorganisatie", "uitvoering",
            "open-communicatie", "begrijpelijke brieven; klantreizen; B1-taalniveau",
            "laaggeletterdheid; digitale inclusie",
            "Ik herschrijf brieven van UWV samen met klanten. Wat snappen ze wel, wat niet?",
            ALL),
    _person("stijn.deboer", "Stijn de Boer", "Belastingdienst", "uitvoeringsorganisatie",
            "uitvoering", "open-technologie", "algoritmes toetsen; DPIA; privacy by design",
            "onderzoekspartner; algoritmeregister",
            "Ik toets algoritmes voordat ze gebruikt worden. Uitlegbaar en eerlijk, dat is het "
            "doel."),
    _person("noor.haddou", "Noor Haddou", "DUO", "uitvoeringsorganisatie", "uitvoering",
            "open-informatie", "Woo-verzoeken afhandelen; Woo-jaarverslag; Woo-contactpersoon",
            "actieve openbaarmaking; informatiecategorieën Woo",
            "Ik ben Woo-contactpersoon bij DUO. Ik help mensen om de juiste informatie te "
            "vinden.", ALL),
    _person("thomas.mulder", "Thomas Mulder", "Logius", "uitvoeringsorganisatie", "uitvoering",
            "open-technologie", "open standaarden; pas-toe-of-leg-uit; API-ontwerp",
            "feedback op ons plan; developer.overheid.nl",
            "Ik werk aan open standaarden voor de hele overheid."),
    _person("anouk.smit", "Anouk Smit", "KOOP", "uitvoeringsorganisatie", "uitvoering",
            "open-informatie; open-justice", "Platform Open Overheidsinformatie; metadata; ECLI",
            "zoekbare documenten; praktijkervaring",
            "Ik werk aan de platforms waarop de overheid haar documenten publiceert."),
    _person("laura.vandenheuvel", "Laura van den Heuvel", "Nationaal Archief",
            "uitvoeringsorganisatie", "uitvoering", "open-informatie",
            "duurzame toegankelijkheid; e-mail archiveren; informatiehuishouding",
            "sparringpartner; verandermanagement",
            "Ik adviseer overheden over het bewaren van e-mail en chatberichten.", ALL),
    # Maatschappelijk
    _person("daan.visser", "Daan Visser", "Open State Foundation", "maatschappelijk",
            "maatschappij", "open-informatie; open-technologie",
            "open data; Woo-verzoeken indienen; open source", "Woo-index; open standaarden",
            "Wij maken overheidsinformatie vindbaar en bruikbaar. Ik dien zelf ook "
            "**Woo-verzoeken** in.", ALL),
    _person("floor.peeters", "Floor Peeters", "Transparency International Nederland",
            "maatschappelijk", "maatschappij", "open-organisatie; open-inkoop",
            "lobbyregister; integriteit; open agenda's", "open contracting (OCDS); onderzoekspartner",
            "Ik werk aan een open lobbyregister. Wie praat met wie, en waarover?", ALL),
    _person("julia.dehaan", "Julia de Haan", "ProDemos", "maatschappelijk", "maatschappij",
            "open-communicatie; open-justice", "burgerberaad; wetgevingsproces volgen",
            "sprekers voor een bijeenkomst; internetconsultatie",
            "Ik leg uit hoe democratie en rechtsstaat werken, voor iedereen."),
    _person("dewi.sewnarain", "Dewi Sewnarain", "Stichting Lezen & Schrijven",
            "maatschappelijk", "maatschappij", "open-communicatie",
            "laaggeletterdheid; B1-taalniveau; digitale inclusie",
            "begrijpelijke brieven; pilotpartner",
            "Een op de negen volwassenen heeft moeite met lezen. Ik help overheden daar "
            "rekening mee te houden."),
    _person("sem.ouali", "Sem Ouali", "Kennisland", "maatschappelijk", "maatschappij",
            "open-organisatie", "werken in het openbaar; dilemma's bespreken; intervisie",
            "cultuurverandering; pilotpartner",
            "Ik help teams om in het openbaar te werken, ook als het spannend is.", NONE),
    # Kennisinstelling
    _person("machteld.vanrijswijk", "Machteld van Rijswijk", "Universiteit Leiden",
            "kennisinstelling", "onderzoek", "open-justice; open-informatie",
            "wetsanalyse; onderzoek naar openbaarheid", "uitspraken publiceren; data-analyse",
            "Ik onderzoek hoe open wetgeving en rechtspraak zijn. Data deel ik graag.", ALL),
    _person("gijs.vanwijk", "Gijs van Wijk", "Universiteit Utrecht", "kennisinstelling",
            "onderzoek", "open-organisatie", "evaluatie actieplan; netwerksturing",
            "praktijkervaring; collega's in dezelfde rol",
            "Ik ben bestuurskundige. Ik volg hoe het actieplan in de praktijk uitpakt."),
    _person("emre.yilmaz", "Emre Yılmaz", "Tilburg University", "kennisinstelling",
            "onderzoek", "open-technologie", "algoritmes toetsen; privacy by design",
            "algoritmeregister; pilotpartner",
            "Ik onderzoek eerlijke algoritmes bij de overheid."),
    _person("marieke.schouten", "Marieke Schouten", "Rathenau Instituut", "kennisinstelling",
            "onderzoek", "open-technologie; open-organisatie",
            "digitale soevereiniteit; onderzoek naar openbaarheid",
            "sprekers voor een bijeenkomst; open source aanbesteden",
            "Ik onderzoek wat digitalisering doet met de relatie tussen overheid en inwoner."),
    _person("rutger.kok", "Rutger Kok", "Hogeschool Utrecht", "kennisinstelling", "onderzoek",
            "open-communicatie", "digitale inclusie; toegankelijke websites",
            "onderzoekspartner; burgerpanels",
            "Ik ben lector. Mijn studenten testen overheidswebsites met inwoners.", NONE),
    # Bedrijf
    _person("inge.wolters", "Inge Wolters", "Helder Advies", "bedrijf", "uitvoering",
            "open-communicatie", "schrijftrainingen; B1-taalniveau; begrijpelijke brieven",
            "klantreizen; feedback op ons plan",
            "Ik geef schrijftrainingen aan ambtenaren. Kort, concreet en met voorbeelden."),
    _person("jasper.zwart", "Jasper Zwart", "Open Code Collectief", "bedrijf", "maatschappij",
            "open-technologie; open-inkoop", "open source; Common Ground; publiccode.yml",
            "open source aanbesteden; TenderNed",
            "Wij bouwen open source software voor gemeenten. Alles wat we maken, staat open.",
            ALL),
    _person("kim.blom", "Kim Blom", "Archiefwerk", "bedrijf", "uitvoering", "open-informatie",
            "anonimiseren; lakken van documenten; Woo-verzoeken afhandelen",
            "informatiecategorieën Woo; Woo-index",
            "Wij helpen overheden bij grote Woo-verzoeken, van verzamelen tot lakken."),
    # Anders: inwoners en andere organisaties
    _person("kees.prins", "Kees Prins", "", "anders", "inwoner",
            "open-informatie; open-communicatie", "Woo-verzoeken indienen; feedback op ons plan",
            "begrijpelijke brieven; openbaarheid raadsstukken",
            "Ik woon in Deventer en volg de gemeenteraad. Als inwoner wil ik snappen hoe "
            "besluiten tot stand komen.", ALL),
    _person("wilma.vanderwal", "Wilma van der Wal", "", "anders", "inwoner",
            "open-communicatie", "burgerpanels; ervaringsdeskundige laaggeletterdheid",
            "B1-taalniveau; participatietrajecten",
            "Ik denk mee in het burgerpanel van mijn gemeente. Ik let op gewone taal.", NONE),
    _person("lars.vanvliet", "Lars van Vliet", "Raad voor de rechtspraak", "anders", "beleid",
            "open-justice", "Open Rechtspraak; uitspraken publiceren; anonimiseren uitspraken",
            "Open Wetsontwerp; open parlementaire data",
            "Ik werk eraan dat meer uitspraken openbaar worden, goed geanonimiseerd.", ALL),
)

PEOPLE = FIXED + OTHERS

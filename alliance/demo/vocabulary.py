"""The Dutch words synthetic members are made of.

Every list is ordered from common to rare: the generator picks with Zipf-like weights
(1/rank^1.1), so the first entries turn up often and the tail only now and then, the way real
names, organisations and tags spread.
"""

FIRST_NAMES = (
    "Daan", "Sanne", "Lisa", "Thomas", "Emma", "Jeroen", "Anne", "Mark", "Femke", "Bas",
    "Laura", "Tim", "Marieke", "Ruben", "Eva", "Joost", "Fleur", "Sander", "Anouk", "Pieter",
    "Iris", "Martijn", "Esther", "Niels", "Linda", "Wouter", "Inge", "Rob", "Yvonne", "Koen",
    "Marloes", "Hans", "Petra", "Erik", "Saskia", "Mohamed", "Fatima", "Julia", "Bram", "Lotte",
    "Stijn", "Maartje", "Gijs", "Hanneke", "Rik", "Jolanda", "Dirk", "Wilma", "Kees", "Ingrid",
    "Youssef", "Noor", "Sem", "Romy", "Milan", "Tessa", "Lars", "Nina", "Floor", "Jasper",
    "Kim", "Jan", "Annemiek", "Hugo", "Maud", "Ilse", "Rutger", "Lieke", "Jelle", "Chantal",
    "Rachid", "Hatice", "Emre", "Priya", "Dewi", "Tjeerd", "Sjoerd", "Geertje", "Machteld",
    "Ayşe", "Siham", "Mehmet", "Anand", "Wietske", "Hidde", "Roos", "Jesse", "Merel", "Olaf",
    "Zoë", "Chloë", "Joëlle", "René", "Loïs", "Bauke", "Willemijn", "Teun", "Sietske", "Coen",
)

SURNAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Lange", "Kuipers", "van Wijk",
    "Postma", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "Wolters",
    "Timmermans", "Zwart", "El Amrani", "Yılmaz", "Bouzid", "Kaya", "Tahiri", "Ramdin",
    "Sewnarain", "Nguyen", "Haddou", "Ouali", "in 't Veld", "van 't Hof", "ter Horst",
    "op den Kamp", "van Rijswijk", "Verbeek", "de Ridder", "van Wijngaarden", "Bosma",
    "Wijnands", "ten Brink", "van der Schaaf", "Hofstede", "Groenewegen", "Çelik", "Boukhari",
)

#: How often each organisation type occurs among synthetic members (not Zipf: a fixed mix).
ORGANISATION_TYPE_WEIGHTS = {
    "gemeente": 30, "rijksoverheid": 18, "uitvoeringsorganisatie": 12, "maatschappelijk": 9,
    "provincie": 8, "kennisinstelling": 8, "bedrijf": 6, "waterschap": 5, "anders": 4,
}

ORGANISATIONS = {
    "rijksoverheid": (
        "Ministerie van BZK", "Ministerie van Justitie en Veiligheid", "Ministerie van Financiën",
        "Ministerie van Infrastructuur en Waterstaat", "Ministerie van OCW", "Ministerie van VWS",
        "Ministerie van Economische Zaken", "Ministerie van SZW", "Ministerie van Algemene Zaken",
        "Direct Duidelijk Brigade", "Ministerie van Defensie", "Ministerie van Buitenlandse Zaken",
        "Ministerie van LVVN", "Adviescollege Openbaarheid en Informatiehuishouding",
    ),
    "provincie": (
        "Provincie Zuid-Holland", "Provincie Noord-Holland", "Provincie Gelderland",
        "Provincie Noord-Brabant", "Provincie Utrecht", "Provincie Overijssel",
        "Provincie Limburg", "Provincie Fryslân", "Provincie Groningen", "Provincie Drenthe",
        "Provincie Flevoland", "Provincie Zeeland",
    ),
    "gemeente": (
        "Gemeente Amsterdam", "Gemeente Rotterdam", "Gemeente Den Haag", "Gemeente Utrecht",
        "Gemeente Eindhoven", "Gemeente Groningen", "Gemeente Tilburg", "Gemeente Almere",
        "Gemeente Breda", "Gemeente Nijmegen", "Gemeente Apeldoorn", "Gemeente Haarlem",
        "Gemeente Arnhem", "Gemeente Enschede", "Gemeente Amersfoort", "Gemeente Zaanstad",
        "Gemeente 's-Hertogenbosch", "Gemeente Zwolle", "Gemeente Leiden", "Gemeente Maastricht",
        "Gemeente Dordrecht", "Gemeente Ede", "Gemeente Leeuwarden", "Gemeente Alkmaar",
        "Gemeente Delft", "Gemeente Deventer", "Gemeente Helmond", "Gemeente Hilversum",
        "Gemeente Súdwest-Fryslân", "Gemeente Westland", "Gemeente Oss", "Gemeente Emmen",
        "Gemeente Venlo", "Gemeente Assen", "Gemeente Gouda", "Gemeente Zeist", "Gemeente Houten",
        "Gemeente Tynaarlo", "Gemeente Vught", "Gemeente Texel", "Gemeente Schiermonnikoog",
    ),
    "waterschap": (
        "Waterschap Rivierenland", "Hoogheemraadschap van Rijnland",
        "Waterschap Vallei en Veluwe", "Hoogheemraadschap Hollands Noorderkwartier",
        "Waterschap Aa en Maas", "Wetterskip Fryslân", "Waterschap Limburg",
        "Hoogheemraadschap De Stichtse Rijnlanden", "Waterschap Brabantse Delta",
        "Hoogheemraadschap van Delfland", "Waterschap Hollandse Delta", "Waterschap Vechtstromen",
        "Waterschap Scheldestromen", "Waterschap Hunze en Aa's", "Waterschap Zuiderzeeland",
    ),
    "uitvoeringsorganisatie": (
        "UWV", "Belastingdienst", "DUO", "SVB", "Logius", "RVO", "CJIB", "Kadaster", "RDW",
        "IND", "Nationaal Archief", "KOOP", "Dienst Toeslagen", "Rijkswaterstaat", "CBS", "COA",
        "RvIG", "Justitiële Informatiedienst",
    ),
    "maatschappelijk": (
        "Open State Foundation", "Transparency International Nederland", "ProDemos",
        "Stichting Lezen & Schrijven", "Kennisland", "Bits of Freedom", "Waag Futurelab",
        "Wikimedia Nederland", "Code for NL", "Publeaks", "NLnet Foundation",
        "Vereniging van Onderzoeksjournalisten", "Stichting Democratie & Media",
    ),
    "kennisinstelling": (
        "Universiteit Leiden", "Universiteit Utrecht", "Tilburg University",
        "Radboud Universiteit", "Rijksuniversiteit Groningen", "Universiteit van Amsterdam",
        "Rathenau Instituut", "Erasmus Universiteit Rotterdam", "TU Delft", "Hogeschool Utrecht",
        "De Haagse Hogeschool", "Vrije Universiteit Amsterdam", "Universiteit Twente", "TNO",
        "Nederlandse School voor Openbaar Bestuur", "WODC", "Saxion", "Fontys Hogescholen",
    ),
    "bedrijf": (
        "Helder Advies", "Open Code Collectief", "Archiefwerk", "Datawerk", "Bureau Openbaar",
        "Taalbureau Klare Zaak", "Inkoopadvies Noord", "Woo Support", "Lakwerk Software",
        "Polder Digitaal", "Studio Gewone Taal", "Stroom Informatiebeheer",
    ),
    # Citizens (perspective "inwoner") join on their own, without an organisation.
    "anders": (
        "Raad voor de rechtspraak", "VNG", "Nationale ombudsman", "Algemene Rekenkamer",
        "Tweede Kamer der Staten-Generaal", "Eerste Kamer der Staten-Generaal",
    ),
}

#: Perspectives that go with each organisation type, with their weights.
PERSPECTIVE_WEIGHTS = {
    "rijksoverheid": {"beleid": 6, "uitvoering": 2, "onderzoek": 1},
    "provincie": {"beleid": 4, "uitvoering": 3},
    "gemeente": {"uitvoering": 5, "beleid": 3},
    "waterschap": {"uitvoering": 4, "beleid": 2},
    "uitvoeringsorganisatie": {"uitvoering": 6, "beleid": 1},
    "maatschappelijk": {"maatschappij": 6, "onderzoek": 1},
    "kennisinstelling": {"onderzoek": 6, "maatschappij": 1},
    "bedrijf": {"uitvoering": 3, "maatschappij": 2},
    "anders": {"inwoner": 5, "maatschappij": 2, "beleid": 1},
}

#: Theme slugs in the order of interest the consultation found (Open Technologie first).
THEMES = (
    "open-technologie", "open-informatie", "open-communicatie", "open-organisatie",
    "open-inkoop", "open-justice",
)

THEME_NAMES = {
    "open-technologie": "Open Technologie", "open-informatie": "Open Informatie",
    "open-communicatie": "Open Communicatie", "open-justice": "Open Justice",
    "open-inkoop": "Open Inkoop", "open-organisatie": "Open Organisatie",
}

#: *Ik bied* and *Ik zoek* tags per theme: what one member offers, another looks for.
TAGS_BY_THEME = {
    "open-informatie": (
        "Woo-verzoeken afhandelen", "actieve openbaarmaking", "informatiehuishouding",
        "archivering", "Woo-index", "anonimiseren", "lakken van documenten",
        "Woo-contactpersoon", "e-mail archiveren", "metadata", "openbaarmaking besluitvorming",
        "Platform Open Overheidsinformatie", "Open Wob", "informatiebeheer",
        "duurzame toegankelijkheid", "Wet open overheid invoeren", "Woo-jaarverslag",
        "informatiecategorieën Woo", "openbaarheid raadsstukken", "Woo-verzoeken indienen",
    ),
    "open-technologie": (
        "open source", "open standaarden", "algoritmeregister", "open source aanbesteden",
        "Common Ground", "open data", "API-ontwerp", "pas-toe-of-leg-uit", "publiccode.yml",
        "digitale soevereiniteit", "code publiceren", "algoritmes toetsen", "linked data",
        "FAIR-data", "toegankelijkheid (WCAG)", "privacy by design", "DPIA", "developer.overheid.nl",
    ),
    "open-communicatie": (
        "B1-taalniveau", "participatietrajecten", "begrijpelijke brieven", "Direct Duidelijk",
        "inwonersparticipatie", "toegankelijke websites", "schrijftrainingen", "klantreizen",
        "burgerpanels", "publiekscommunicatie", "beeldtaal", "burgerberaad", "digitale inclusie",
        "laaggeletterdheid", "omgevingsgesprekken", "crisiscommunicatie",
    ),
    "open-justice": (
        "Open Wetsontwerp", "Open Rechtspraak", "uitspraken publiceren", "internetconsultatie",
        "wetgevingsproces volgen", "anonimiseren uitspraken", "wetgevingskwaliteit",
        "juridische taal vereenvoudigen", "wetsanalyse", "ECLI", "open parlementaire data",
    ),
    "open-inkoop": (
        "inkoopdata publiceren", "open source aanbesteden", "contractregister",
        "open contracting (OCDS)", "TenderNed", "maatschappelijk verantwoord inkopen",
        "spend-analyse", "aanbestedingsrecht", "subsidieregister", "leveranciersmanagement",
        "Europese aanbestedingen", "sociaal ondernemen",
    ),
    "open-organisatie": (
        "cultuurverandering", "integriteit", "werken in het openbaar", "kennisdeling",
        "leiderschap", "dilemma's bespreken", "open agenda's", "lobbyregister", "intervisie",
        "verantwoording", "netwerksturing", "ambtelijk vakmanschap", "klokkenluidersregeling",
        "samenwerken over grenzen",
    ),
}

#: Tags that fit anyone, whatever their themes.
GENERAL_TAGS = (
    "kennisdeling", "projectleiding", "verandermanagement", "juridisch advies",
    "procesbegeleiding", "training geven", "netwerk open overheid", "data-analyse",
)

#: What people look for but seldom offer.
SEEK_ONLY_TAGS = (
    "sparringpartner", "voorbeelden van andere gemeenten", "collega's in dezelfde rol",
    "praktijkervaring", "pilotpartner", "feedback op ons plan", "een mentor",
    "onderzoekspartner", "sprekers voor een bijeenkomst",
)

JOB_TITLES = {
    "beleid": (
        "beleidsadviseur", "senior beleidsmedewerker", "programmamanager open overheid",
        "strategisch adviseur", "coördinerend beleidsmedewerker", "directeur",
    ),
    "uitvoering": ("projectleider", "teamleider", "adviseur", "medewerker"),
    "maatschappij": (
        "projectleider", "campagnemedewerker", "programmacoördinator", "community manager",
        "directeur", "vrijwilliger",
    ),
    "inwoner": (
        "betrokken inwoner", "lid van de adviesraad", "buurtvrijwilliger",
        "oud-ambtenaar", "student",
    ),
    "onderzoek": (
        "onderzoeker", "promovendus", "universitair docent", "lector", "hoogleraar",
    ),
}

#: What people who carry out the work do, by the theme they care most about.
JOB_TITLES_BY_THEME = {
    "open-informatie": (
        "Woo-coördinator", "informatiebeheerder", "adviseur informatiehuishouding",
        "archivaris", "Woo-jurist", "records manager",
    ),
    "open-technologie": (
        "functioneel beheerder", "data-analist", "enterprise architect", "privacy officer",
        "ontwikkelaar", "CIO-adviseur",
    ),
    "open-communicatie": (
        "communicatieadviseur", "participatieadviseur", "taaladviseur", "webredacteur",
        "klantcontactmedewerker",
    ),
    "open-justice": ("wetgevingsjurist", "jurist", "griffier", "juridisch adviseur"),
    "open-inkoop": ("inkoopadviseur", "contractmanager", "aanbestedingsjurist", "controller"),
    "open-organisatie": (
        "teamleider", "integriteitsadviseur", "HR-adviseur", "organisatieadviseur",
        "programmamanager",
    ),
}

#: How a bio opens: {title}, {organisation}.
OPENINGS = (
    "Ik werk als {title} bij {organisation}.",
    "Ik ben {title} bij {organisation}.",
    "Bij {organisation} ben ik {title}.",
)

#: How a bio ends: {offer}.
CLOSINGS = (
    "Vraag me gerust over **{offer}**.",
    "Je kunt bij mij terecht voor **{offer}**.",
    "Mijn specialiteit: **{offer}**.",
)

#: Where citizens live (they have no organisation).
PLACES = tuple(
    name.removeprefix("Gemeente ") for name in ORGANISATIONS["gemeente"]
)

#: Bio sentences about motivation and way of working.
BIO_FRAGMENTS = (
    "Ik geloof dat openheid zorgt voor vertrouwen en betrokkenheid.",
    "Kennis delen en samen leren vind ik belangrijk.",
    "Niet alleen praten, ook doen: daar word ik blij van.",
    "Ik deel graag wat bij ons goed ging en wat niet.",
    "Ik leer graag van collega's in andere organisaties.",
    "Ik denk graag mee in een meedenksessie.",
    "Kleine, slagvaardige samenwerkingen werken voor mij het best.",
    "Mail me gerust voor een kop koffie, online of in het echt.",
    "Ik was actiehouder in het vorige actieplan.",
    "Beleidsmakers en uitvoerders moeten elkaar beter begrijpen.",
    "Openheid is geen project, het is een manier van werken.",
    "Ik zoek mensen die met dezelfde vragen worstelen.",
    "Tweerichtingsverkeer vind ik het belangrijkst.",
    "Wij staan nog aan het begin, dus alle tips zijn welkom.",
    "Ik schrijf af en toe over wat ik tegenkom.",
)

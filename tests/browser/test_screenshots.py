"""Screenshots for people to look at, at desktop and mobile width: the home page, a full
profile, the directory, the registration form with errors, the profile form, and the working
groups (the overview and a group's space as a member sees it).

They go to /tmp/alliantie-screenshots (or SCREENSHOT_DIR); run with ``-s`` to see the paths."""

from datetime import timedelta

from playwright.sync_api import expect

from alliance.core.timeutil import utcnow
from tests.browser.conftest import screenshot
from tests.browser.helpers import heading, log_in, settle, visit

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 375, "height": 812}}

NETWORK = [
    dict(
        name="Fatima El Amrani",
        organisation="Gemeente Utrecht",
        organisation_type="gemeente",
        perspective="uitvoering",
        themes=["open-informatie", "open-communicatie"],
        offers=[
            "Woo-verzoeken afhandelen",
            "actieve openbaarmaking",
            "informatiehuishouding",
            "B1-taal",
        ],
        seeks=[
            "open source zaaksysteem",
            "ervaringen met de Wet open overheid in kleine gemeenten",
        ],
        bio="Ik ben **Woo-coördinator** bij de gemeente Utrecht. Ik help collega's om "
        "informatie actief openbaar te maken, en leer graag van andere gemeenten.\n\n"
        "- tien jaar informatiebeheer\n- lid van de werkgroep Open Informatie",
        public_fields=["organisation", "offers", "themes"],
    ),
    dict(
        name="Jeroen de Boer",
        organisation="Ministerie van BZK",
        organisation_type="rijksoverheid",
        perspective="beleid",
        themes=["open-technologie"],
        offers=["open standaarden", "Common Ground"],
        seeks=["praktijkvoorbeelden"],
    ),
    dict(
        name="Aylin Yılmaz",
        organisation="Open State Foundation",
        organisation_type="maatschappelijk",
        perspective="maatschappij",
        themes=["open-informatie", "open-justice"],
        offers=["open data", "Woo-verzoeken indienen"],
    ),
    dict(
        name="Pieter Smit",
        organisation="Provincie Gelderland",
        organisation_type="provincie",
        perspective="uitvoering",
        themes=["open-inkoop"],
        offers=["aanbesteden van open source"],
    ),
    dict(
        name="Marloes Visser",
        organisation="Universiteit Leiden",
        organisation_type="kennisinstelling",
        perspective="onderzoek",
        themes=["open-organisatie"],
        offers=["onderzoek naar transparantie", "interviews"],
    ),
    dict(
        name="Daan Mulder",
        organisation="Waterschap Rivierenland",
        organisation_type="waterschap",
        perspective="uitvoering",
        themes=["open-communicatie"],
        offers=["begrijpelijke brieven"],
    ),
    dict(
        name="Sophie Bakker",
        perspective="inwoner",
        organisation_type="anders",
        offers=["meedenken als inwoner"],
    ),
    dict(
        name="Kofi Mensah",
        organisation="Uitvoeringsinstituut Werknemersverzekeringen",
        organisation_type="uitvoeringsorganisatie",
        perspective="uitvoering",
        themes=["open-technologie", "open-informatie"],
        offers=["algoritmeregister", "privacy by design", "toegankelijkheid"],
    ),
]


def shoot(page, name: str, check=None, problems: list | None = None) -> list:
    """A full-page screenshot at desktop and at mobile width (back to desktop after); ``check``
    looks at the page at each width and adds what is wrong to ``problems``."""
    paths = []
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        expect(heading(page)).to_be_visible()
        paths.append(screenshot(page, f"{name}-{size}"))
        if check:
            problems.extend(check(page, size))
    page.set_viewport_size(VIEWPORTS["desktop"])
    return paths


REGISTRATION_ERRORS = [
    "Vul een geldig e-mailadres in.",
    "De wachtwoorden zijn niet hetzelfde.",
    "Je moet akkoord gaan met de huisregels",
]


def errors_readable(page, size) -> list[str]:
    """Each error message is about as wide as the fields, not squeezed into a narrow column."""
    field = page.get_by_label("Je naam").bounding_box()["width"]
    problems = []
    for text in REGISTRATION_ERRORS:
        box = page.locator(".field-error", has_text=text).bounding_box()
        if box["width"] < field * 0.6:
            problems.append(
                f"{size}: the error “{text}…” is squeezed to {box['width']:.0f}×"
                f"{box['height']:.0f}px (the fields are {field:.0f}px wide)"
            )
    return problems


def no_sideways_scrolling(page, size) -> list[str]:
    """Nothing sticks out to the right: the page never scrolls sideways."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    return [f"{size}: {page.url} scrolls {overflow}px sideways"] if overflow > 0 else []


def make_working_group(app, lead, members) -> int:
    """An active group with the lead, two more members and tasks in every state."""
    from alliance.extensions import db
    from alliance.groups import services, space
    from alliance.groups.models import Membership
    from alliance.members.models import Member

    with app.test_request_context(method="POST"):
        by = db.session.get(Member, lead.id)
        group = services.start_group(
            by,
            services.GroupChange(
                name="Woo-verzoeken sneller afhandelen",
                opgave="Veel gemeenten halen de termijn voor Woo-verzoeken niet. Wat werkt wel?",
                deliverable="Een handreiking met tien tips",
                description="We interviewen vijf gemeenten en zetten de tips op een rij.",
                ends_on=utcnow().date() + timedelta(days=90),
                join_policy="open",
            ),
        )
        for member in members:
            db.session.add(
                Membership(
                    group_id=group.id, member_id=member.id, state="member", joined_at=utcnow()
                )
            )
        services._recount(group)
        for title, owner, state in [
            ("Vijf gemeenten interviewen", members[0], "doing"),
            ("Tips op een rij zetten", lead, "todo"),
            ("Lakrichtlijn vergelijken", members[1], "done"),
        ]:
            task = space.add_task(group, by, title, owner.id, utcnow().date() + timedelta(14))
            space.update_task(task, group, state=state)
        space.add_note(group, by, "Woo-index", "https://www.woo-index.nl", "")
        db.session.commit()
        group_id = group.id
        db.session.remove()
    return group_id


def test_screenshots(app, page, make_member):
    members = [make_member(**person) for person in NETWORK]
    fatima = members[0]
    saved = []
    problems = []

    # Home, logged out.
    visit(page, "/", "Leer van elkaar over open overheid")
    expect(page.get_by_text("Nu al 8 leden")).to_be_visible()
    saved += shoot(page, "home")

    # Registration with errors.
    visit(page, "/registreren", "Word lid van de alliantie")
    page.get_by_label("Je naam").fill("Joost Fout")
    page.get_by_label("E-mailadres").fill("joost@example")
    page.get_by_label("Wachtwoord", exact=True).fill("kort")
    page.get_by_label("Wachtwoord nog een keer").fill("anders")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("alert")).to_contain_text("fouten in het formulier")
    expect(
        page.locator(".field-error", has_text="De wachtwoorden zijn niet hetzelfde.")
    ).to_be_visible()
    settle(page, "(registration with errors)")
    saved += shoot(page, "register-errors", errors_readable, problems)

    # A full profile, as a member sees it.
    log_in(page, members[1])
    visit(page, f"/leden/{fatima.id}", fatima.name)
    expect(page.get_by_role("region", name="Ik bied")).to_contain_text("informatiehuishouding")
    expect(page.get_by_role("region", name="Over mij")).to_contain_text("Woo-coördinator")
    saved += shoot(page, "profile")

    # The directory with everyone.
    visit(page, "/leden", "Zoek een lid")
    expect(page.locator("#result-count")).to_have_text("8 leden gevonden")
    expect(page.locator("#results").get_by_role("heading", level=3)).to_have_count(8)
    saved += shoot(page, "directory")

    # The profile form, filled in.
    visit(page, "/profiel/bewerken", "Je profiel bewerken")
    expect(page.get_by_role("textbox", name="Ik bied")).to_have_value(
        "open standaarden, Common Ground"
    )
    saved += shoot(page, "edit-profile")

    # Working groups: the overview, and a group's space as one of its members sees it.
    group_id = make_working_group(app, fatima, members[1:3])
    visit(page, "/werkgroepen/", "Werkgroepen")
    expect(page.get_by_text("3 van 8")).to_be_visible()
    saved += shoot(page, "groups", no_sideways_scrolling, problems)
    visit(page, f"/werkgroepen/{group_id}", "Woo-verzoeken sneller afhandelen")
    expect(page.locator(".task", has_text="Vijf gemeenten interviewen")).to_contain_text("Bezig")
    saved += shoot(page, "group-space", no_sideways_scrolling, problems)

    for path in saved:
        assert path.stat().st_size > 10_000
        print(f"screenshot: {path}")
    assert not problems, "\n".join(problems)

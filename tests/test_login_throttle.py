"""Login throttling that cannot be turned against a member: wrong passwords count per account
*and* address, a slower limit per account holds against guessing from many addresses, and a
login link by e-mail (proof of the inbox) lets the member in while their account is locked."""

import re

from alliance.core.database import wait_for_background_work

ATTACKER = "203.0.113.7"
HOME = "198.51.100.23"


def browser_at(app, address: str):
    """A browser of its own, connecting from ``address``."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def log_in(browser, member, password: str | None = None, **extra):
    data = {"email": member.email, "password": password or member.password, **extra}
    return browser.post("/inloggen", data=data)


def lock(app, member, attempts: int = 20) -> None:
    """Wrong passwords for ``member`` from many addresses, a few each: the per-account limit."""
    for n in range(attempts):
        browser = browser_at(app, f"192.0.2.{n // 4 + 1}")
        assert log_in(browser, member, f"gok nummer {n}").status_code == 200, n


def hidden_link(html: str) -> str:
    match = re.search(r'name="link" value="([^"]+)"', html)
    assert match, "no login link in the form"
    return match.group(1)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_wrong_passwords_from_one_address_do_not_lock_out_the_member_elsewhere(app, make_member):
    member = make_member()
    attacker = browser_at(app, ATTACKER)
    answers = [log_in(attacker, member, f"gok {n}").status_code for n in range(6)]
    assert answers == [200] * 5 + [429]
    assert log_in(attacker, member).status_code == 429  # from there, also the right one
    home = browser_at(app, HOME)
    assert log_in(home, member).status_code == 303
    assert home.get("/account").status_code == 200


def test_guessing_from_many_addresses_meets_the_slower_limit_per_account(app, make_member, mailbox):
    member = make_member()
    other = make_member()
    lock(app, member)
    blocked = log_in(browser_at(app, HOME), member)
    assert blocked.status_code == 429
    assert "Stuur mij een inloglink" in blocked.text
    assert f'value="{member.email}"' in blocked.text  # what was typed stays
    assert 'value="' + member.password not in blocked.text
    assert log_in(browser_at(app, HOME), other).status_code == 303  # others are not affected
    assert mailbox.to(member.email, wait=0.2) == []  # nothing is sent unasked


def test_a_login_link_by_email_lets_the_member_in_while_the_account_is_locked(
    app, make_member, mailbox
):
    member = make_member()
    lock(app, member)
    home = browser_at(app, HOME)
    assert log_in(home, member).status_code == 429

    sent = home.post("/inloggen/link", data={"email": member.email})
    assert sent.status_code == 200 and "Kijk in je e-mail" in sent.text
    link = mailbox.link(member.email, "/inloggen/link/")
    page = home.get(path_of(link))
    assert page.status_code == 200
    assert f'value="{member.email}"' in page.text
    assert home.get("/account").status_code == 302  # opening the link is not logging in
    token = hidden_link(page.text)

    wrong = log_in(home, member, "nog steeds fout", link=token)
    assert wrong.status_code == 200 and "klopt niet" in wrong.text
    assert hidden_link(wrong.text) == token  # a typo does not lose the link
    assert log_in(home, member, link=token).status_code == 303
    assert home.get("/account").status_code == 200

    # The link is the member's proof, not a way around the limit for anyone else.
    assert log_in(browser_at(app, ATTACKER), member).status_code == 429
    other = make_member()
    lock(app, other)
    assert log_in(browser_at(app, HOME), other, link=token).status_code == 429
    assert log_in(browser_at(app, HOME), other, link="vals").status_code == 429


def test_asking_for_a_login_link_answers_the_same_for_an_unknown_address(app, make_member, mailbox):
    unknown = browser_at(app, HOME).post("/inloggen/link", data={"email": "niemand@example.org"})
    known_member = make_member()
    known = browser_at(app, HOME).post("/inloggen/link", data={"email": known_member.email})
    wait_for_background_work()
    assert unknown.status_code == known.status_code == 200

    def body(response):
        main = re.search(r"<main.*</main>", response.text, re.S).group(0)
        return main.replace("niemand@example.org", "X").replace(known_member.email, "X")

    assert body(unknown) == body(known)
    assert mailbox.to("niemand@example.org", wait=0.2) == []
    assert len(mailbox.to(known_member.email)) == 1


def test_a_bad_or_old_login_link_is_refused_kindly(app, client):
    page = client.get("/inloggen/link/niet-een-echte-link")
    assert page.status_code == 400 and "Deze link werkt niet" in page.text
    bad = client.post("/inloggen/link", data={"email": "geen adres"})
    assert bad.status_code in (200, 303, 400) and bad.status_code != 500


def test_a_password_reset_by_email_also_lets_the_member_in_while_the_account_is_locked(
    app, make_member, mailbox
):
    member = make_member()
    lock(app, member)
    home = browser_at(app, HOME)
    assert home.post("/wachtwoord-vergeten", data={"email": member.email}).status_code == 200
    reset = path_of(mailbox.link(member.email, "/wachtwoord-herstellen/"))
    new_password = "een nieuw lang wachtwoord voor mij"
    done = home.post(reset, data={"password": new_password, "password_again": new_password})
    assert done.status_code == 303
    page = home.get(done.location)
    assert page.status_code == 200 and "Je wachtwoord is gewijzigd" in page.text
    answer = home.post(
        "/inloggen",
        data={"email": member.email, "password": new_password, "link": hidden_link(page.text)},
    )
    assert answer.status_code == 303
    assert home.get("/account").status_code == 200
    # Elsewhere, without that round trip, the account limit still holds.
    assert log_in(browser_at(app, ATTACKER), member, new_password).status_code == 429

"""Profile photos: the type comes from the content, metadata is stripped, a file too large is
refused before it is read, and who may see the photo is who may see the profile field."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image

from alliance.extensions import db
from alliance.members.models import Member
from tests.conftest import AuthActions

PHOTO_MB = 5


def png_with_gps() -> bytes:
    """A PNG whose EXIF says where it was taken (52.09 N, 5.12 E: Utrecht)."""
    image = Image.new("RGB", (640, 480), (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefoonmerk"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (5.0, 7.0, 12.0)
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def upload(client, data: bytes, name: str = "foto.png"):
    return client.post(
        "/profiel/foto",
        data={"photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def photo_key(app, member_id: int) -> str | None:
    with app.app_context():
        key = db.session.get(Member, member_id).photo_key
        db.session.remove()
    return key


def test_a_png_with_gps_comes_back_without_it(app, client, auth, make_member):
    original = png_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # it is there
    member = make_member(name="Sanne de Vries")
    auth.login(member)
    response = upload(client, original)
    assert response.status_code == 303
    page = client.get(f"/leden/{member.id}").text
    assert f"/leden/{member.id}/foto/groot?v=" in page and 'alt="Foto van Sanne de Vries"' in page
    for size, pixels in (("groot", 320), ("klein", 96)):
        served = client.get(f"/leden/{member.id}/foto/{size}")
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        image = Image.open(io.BytesIO(served.data))
        assert image.format == "JPEG" and image.size == (pixels, pixels)
        assert not image.getexif()  # no EXIF at all, so no GPS
        assert b"Exif" not in served.data and b"Telefoonmerk" not in served.data


def test_a_jpg_that_is_html_or_svg_is_refused_with_a_clear_message(app, client, auth, make_member):
    member = make_member()
    auth.login(member)
    for content in (
        b"<!doctype html><html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10,  # the right first bytes are not enough
    ):
        response = upload(client, content, "vakantie.jpg")
        assert response.status_code == 422
        assert "Dit bestand is geen foto in JPEG-, PNG- of WebP-formaat" in response.text
        assert 'id="photo-error"' in response.text
        assert photo_key(app, member.id) is None


class Endless:
    """A request body of ``size`` bytes that is made as it is read, and counts what was read."""

    def __init__(self, head: bytes, size: int):
        self.head, self.size, self.read_bytes, self.position = head, size, 0, 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.position
        n = left if n is None or n < 0 else min(n, left)
        start = self.position
        self.position += n
        self.read_bytes += n
        body = self.head[start : start + n]
        return body + b"\0" * (n - len(body))

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:  # the test client measures the body
        self.position = offset if whence == 0 else self.size + offset
        return self.position


def test_a_6_mb_file_is_refused_before_it_is_read_whole(app, client, auth, make_member):
    member = make_member()
    auth.login(member)
    boundary = "grens"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="groot.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0"
    ).encode("latin-1")
    size = 6 * 1024 * 1024
    body = Endless(head, size)
    response = client.post(
        "/profiel/foto",
        input_stream=body,
        content_length=size,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    assert "Dit bestand is groter dan 5 MB" in response.text
    assert 'id="photo-error"' in response.text
    assert body.read_bytes < 1024 * 1024, body.read_bytes
    assert photo_key(app, member.id) is None


def test_a_file_just_over_the_limit_is_refused_while_reading(app, client, auth, make_member):
    """Within the room the request is allowed for the form around it, but over 5 MB: the
    service stops reading at the limit."""
    member = make_member()
    auth.login(member)
    boundary = "grens"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8\xff\xe0"
        + b"\0" * (PHOTO_MB * 1024 * 1024 + 10_000)
    )
    body += f"\r\n--{boundary}--\r\n".encode()
    # The body is made here: the test client's own multipart body would stay open when unread.
    response = client.post(
        "/profiel/foto",
        input_stream=io.BytesIO(body),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422
    assert "Dit bestand is groter dan 5 MB" in response.text
    assert photo_key(app, member.id) is None


def test_who_sees_the_photo_is_who_sees_the_field(app, client, auth, make_member):
    member = make_member(name="Olga Open", offers=["open data"], public_fields=["offers"])
    auth.login(member)
    assert upload(client, png_with_gps()).status_code == 303
    auth.logout()
    page = client.get(f"/leden/{member.id}").text
    assert "/foto/groot" not in page and ">OO</span>" in page  # the initials instead
    assert client.get(f"/leden/{member.id}/foto/groot").status_code == 404
    auth.login(member)
    client.post(
        "/profiel/bewerken",
        data={"name": "Olga Open", "offers": "open data", "public_fields": ["offers", "photo"]},
    )
    auth.logout()
    assert client.get(f"/leden/{member.id}/foto/groot").status_code == 200
    assert "/foto/groot" in client.get(f"/leden/{member.id}").text
    other = make_member()
    auth.login(other)
    assert client.get(f"/leden/{member.id}/foto/klein").status_code == 200
    assert client.get(f"/leden/{member.id}/foto/anders").status_code == 404
    assert client.get(f"/leden/{other.id}/foto/klein").status_code == 404  # none uploaded


def test_a_new_photo_replaces_the_old_one_and_removing_shows_initials(
    app, client, auth, make_member
):
    from alliance.core.database import wait_for_background_work
    from alliance.core.storage import storage

    member = make_member(name="Piet Jansen")
    auth.login(member)
    upload(client, png_with_gps())
    first = photo_key(app, member.id)
    upload(client, png_with_gps())
    second = photo_key(app, member.id)
    assert first and second and first != second
    wait_for_background_work()
    with app.app_context():
        kept = list(storage().keys(f"photos/{member.id}"))
    assert sorted(kept) == [
        f"photos/{member.id}/{second}-groot.jpg",
        f"photos/{member.id}/{second}-klein.jpg",
    ]
    assert client.post("/profiel/foto/verwijderen").status_code == 303
    wait_for_background_work()
    assert photo_key(app, member.id) is None
    assert ">PJ</span>" in client.get(f"/leden/{member.id}").text
    with app.app_context():
        assert list(storage().keys(f"photos/{member.id}")) == []


def test_deleting_the_account_deletes_the_photo(app, client, auth, make_member):
    from alliance.core.database import wait_for_background_work
    from alliance.core.storage import storage

    member = make_member()
    auth.login(member)
    upload(client, png_with_gps())
    assert client.get("/mijn-gegevens/download").status_code == 200
    response = client.post(
        "/mijn-gegevens/verwijderen", data={"password": member.password, "confirm": "y"}
    )
    assert response.status_code == 303
    wait_for_background_work()
    with app.app_context():
        assert list(storage().keys(f"photos/{member.id}")) == []


@pytest.fixture
def logged_in() -> dict:
    """A client logged in by the first example, reused by the others."""
    return {}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    prefix=st.sampled_from([b"\xff\xd8\xff\xe0", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBPVP8 "]),
    rest=st.binary(max_size=400),
    cut=st.floats(min_value=0.01, max_value=0.99),
)
def test_broken_images_are_refused_never_a_500(app, make_member, logged_in, prefix, rest, cut):
    """The right first bytes, then anything (or a real photo cut short)."""
    if not logged_in:
        logged_in["client"] = app.test_client()
        AuthActions(logged_in["client"]).login(make_member())
    whole = png_with_gps()
    for content in (prefix + rest, whole[: int(len(whole) * cut)]):
        response = upload(logged_in["client"], content, "x.jpg")
        assert response.status_code == 422, content[:40]

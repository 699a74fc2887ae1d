"""Profile photos: an upload checked by its content, re-encoded by Pillow to two square sizes
without any metadata (EXIF, GPS, comments), kept in the file store; initials on a colour when
there is none.

Nothing of the uploaded file is kept or served: only the two JPEGs Pillow wrote from its
pixels. A file is a photo when its first bytes say JPEG, PNG or WebP *and* Pillow reads it as
that; its name and the type the browser claims are not asked."""

import hashlib
import io
import secrets
import warnings
from typing import BinaryIO

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user
from PIL import Image, ImageOps

from alliance.core import uploads
from alliance.core.database import after_commit
from alliance.core.errors import RuleError
from alliance.core.storage import storage
from alliance.members.models import Member

#: The largest upload accepted (the issue: at most 5 MB).
MAX_BYTES = 5 * 1024 * 1024
#: Width and height of the two sizes kept, in pixels (shown at half that on a sharp screen).
SIZES = {"groot": 320, "klein": 96}
#: More pixels than this is refused before decoding (a small file can unpack to gigabytes).
MAX_PIXELS = 40_000_000
_FORMATS = {"JPEG", "PNG", "WEBP"}

#: How many backgrounds the initials have (``.avatar--0`` … in app.css; each has a contrast of
#: at least 4.5:1 with white text; no inline style, the CSP allows none).
COLOURS = 7


def photo_key(member_id: int, token: str, size: str) -> str:
    """Where one size of a photo is kept: never made from anything the member typed."""
    return f"photos/{member_id}/{token}-{size}.jpg"


def not_a_photo() -> RuleError:
    return RuleError(
        "photo",
        _(
            "This file is not a photo in JPEG, PNG or WebP format. We look at what is in the "
            "file, not at its name. Choose another file."
        ),
    )


def too_large() -> RuleError:
    return RuleError(
        "photo", _("This file is larger than %(n)d MB. Choose a smaller photo.", n=MAX_BYTES >> 20)
    )


def _read_image(data: bytes) -> Image.Image:
    """The pixels of the photo, upright, or a RuleError."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in _FORMATS:
                raise not_a_photo()
            if image.width * image.height > MAX_PIXELS:
                raise RuleError("photo", _("This photo has too many pixels. Choose a smaller one."))
            image.load()
            return ImageOps.exif_transpose(image)  # turned as the camera meant, then stripped
        except RuleError:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a decoder trips over: not a photo
            raise not_a_photo() from error


def _flat(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def encode(data: bytes) -> dict[str, bytes]:
    """The two sizes of a photo as JPEG, written from its pixels alone (no EXIF, no GPS)."""
    image = _flat(_read_image(data))
    encoded = {}
    for size, pixels in SIZES.items():
        square = ImageOps.fit(image, (pixels, pixels), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        square.save(out, "JPEG", quality=85, optimize=True)
        encoded[size] = out.getvalue()
    return encoded


def set_photo(member: Member, stream: BinaryIO, filename: str = "") -> None:
    """Check, re-encode and keep a new photo; the old one is removed once this is committed."""
    if uploads.sniff(stream, filename) not in uploads.IMAGES:
        raise not_a_photo()
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise too_large()
    encoded = encode(data)
    token = secrets.token_hex(8)
    store = storage()
    for size, body in encoded.items():
        store.save(photo_key(member.id, token, size), io.BytesIO(body), MAX_BYTES)
    old, member_id = member.photo_key, member.id
    member.photo_key = token
    if old:
        _when_committed(lambda: _delete(member_id, old))


def remove_photo(member: Member) -> None:
    """No photo any more (the initials show); the files go once this is committed."""
    old, member.photo_key = member.photo_key, None
    if old:
        member_id = member.id
        _when_committed(lambda: _delete(member_id, old))


def _delete(member_id: int, token: str) -> None:
    store = storage()
    for size in SIZES:
        store.delete(photo_key(member_id, token, size))


def _when_committed(callback) -> None:
    """After the request's commit (a rollback keeps the old files); outside a request (the
    command line commits itself) right away."""
    if has_request_context():
        after_commit(callback)
    else:
        callback()


def open_photo(member: Member, size: str) -> BinaryIO | None:
    """The stored JPEG of ``size``, or None."""
    if not member.photo_key or size not in SIZES:
        return None
    try:
        return storage().open(photo_key(member.id, member.photo_key, size))
    except FileNotFoundError:
        return None


def shown(member: Member) -> bool:
    """Whether the current viewer sees the member's photo (templates: the avatar)."""
    return bool(member.photo_key) and member.shows("photo", current_user)


def initials(name: str) -> str:
    """ "Sanne de Vries" → "SV": the first letters of the first and last word."""
    words = [word for word in (name or "").split() if word[:1].isalnum()]
    if not words:
        return "?"
    first, last = words[0][0], words[-1][0] if len(words) > 1 else ""
    return (first + last).upper()


def colour(member_id: int) -> int:
    """The background of a member's initials (a number for the CSS class): always the same
    for the same member."""
    digest = hashlib.sha256(str(member_id).encode()).digest()
    return digest[0] % COLOURS

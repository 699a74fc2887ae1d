"""Werkgroepen: small, time-boxed working groups with a private space that publish their result."""

from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/werkgroepen")

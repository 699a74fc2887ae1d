"""Site-wide pages: home, the information pages, language choice, health and security.txt."""

from flask import Blueprint

bp = Blueprint("core", __name__)

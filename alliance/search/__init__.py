"""Search: one permission-aware Dutch search over items, replies, members and working groups."""

from flask import Blueprint

bp = Blueprint("search", __name__)

"""Themes of the action plan: a page per theme; coordinators add, rename and retire them."""

from flask import Blueprint

bp = Blueprint("themes", __name__, url_prefix="/themas")

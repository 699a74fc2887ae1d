"""Kennisbank: dilemmas and experiences, answered from every perspective, with the loop closed."""

from flask import Blueprint

bp = Blueprint("knowledge", __name__, url_prefix="/kennisbank")

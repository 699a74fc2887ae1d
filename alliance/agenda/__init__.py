"""Agenda: meedenksessies and other events that members propose, join and report on."""

from flask import Blueprint

bp = Blueprint("agenda", __name__, url_prefix="/agenda")

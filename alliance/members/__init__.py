"""Members: profiles that say what a member gives and asks, and the member directory."""

from flask import Blueprint

bp = Blueprint("members", __name__)

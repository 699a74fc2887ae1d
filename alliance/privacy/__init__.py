"""The member's own data (AVG): download everything as a ZIP, delete the account."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

"""Moderation: reports, the queue for coordinators, hiding and restoring, suspensions, the audit
log, and the pages that say what each role can do."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

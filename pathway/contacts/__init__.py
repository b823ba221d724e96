"""Contacts and visits for staff: the history of a young person's contacts, and recording one."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, url_prefix="/young-people/<int:person_id>/contacts")

from pathway.contacts import routes  # noqa: E402,F401

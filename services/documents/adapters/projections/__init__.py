"""The documents service's read models, one file each; its worker runs every one listed here."""
from . import documents, ended_sessions, users

PROJECTIONS = [documents.PROJECTION, users.PROJECTION, ended_sessions.PROJECTION]

"""The documents service's read models, one file each; its worker runs every one listed here."""
from . import documents, users

PROJECTIONS = [documents.PROJECTION, users.PROJECTION]

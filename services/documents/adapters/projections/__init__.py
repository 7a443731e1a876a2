"""The documents service's read models, one file each; its worker runs every one listed here."""
from . import customers, documents, ended_sessions, rfqs, users

PROJECTIONS = [documents.PROJECTION, users.PROJECTION, customers.PROJECTION, rfqs.PROJECTION,
               ended_sessions.PROJECTION]

"""The documents service's read models, one file each; its worker runs every one listed here."""
from . import customers, document_versions, documents, ended_sessions, rfqs, user_versions, users

PROJECTIONS = [documents.PROJECTION, users.PROJECTION, customers.PROJECTION, rfqs.PROJECTION,
               ended_sessions.PROJECTION, user_versions.PROJECTION, document_versions.PROJECTION]

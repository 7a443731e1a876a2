"""The documents service's own read models, one file each; bootstrap.py adds the kit's ended_sessions
(eventkit) and its worker runs every one."""
from . import customers, document_versions, documents, rfqs, user_versions, users

PROJECTIONS = [documents.PROJECTION, users.PROJECTION, customers.PROJECTION, rfqs.PROJECTION,
               user_versions.PROJECTION, document_versions.PROJECTION]

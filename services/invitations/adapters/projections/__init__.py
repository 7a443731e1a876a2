"""The invitations service's read models, one file each; its worker runs every one listed here."""
from . import candidates

PROJECTIONS = [candidates.PROJECTION]

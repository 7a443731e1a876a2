"""The invitations service's read models, one file each; its worker runs every one listed here."""
from . import acceptances, candidates, history, unapproved_usernames

PROJECTIONS = [candidates.PROJECTION, unapproved_usernames.PROJECTION, history.PROJECTION, acceptances.PROJECTION]

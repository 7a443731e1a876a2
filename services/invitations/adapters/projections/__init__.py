"""The invitations service's read models, one file each; its worker runs every one listed here."""
from . import acceptances, callers, candidates, ended_sessions, history, unapproved_usernames

PROJECTIONS = [candidates.PROJECTION, unapproved_usernames.PROJECTION, history.PROJECTION, acceptances.PROJECTION,
               callers.PROJECTION, ended_sessions.PROJECTION]

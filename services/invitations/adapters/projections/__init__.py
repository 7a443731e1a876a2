"""The invitations service's own read models, one file each; bootstrap.py adds the kit's callers and
ended_sessions (eventkit) and its worker runs every one."""
from . import acceptances, candidates, history, unapproved_usernames

PROJECTIONS = [candidates.PROJECTION, unapproved_usernames.PROJECTION, history.PROJECTION, acceptances.PROJECTION]

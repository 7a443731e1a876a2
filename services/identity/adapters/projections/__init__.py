"""The identity service's read models, one file each; its worker runs every one listed here."""
from . import customers, invitation_tokens

PROJECTIONS = [customers.PROJECTION, invitation_tokens.PROJECTION]

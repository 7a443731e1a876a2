"""The identity service's read models, one file each; its worker runs every one listed here."""
from . import company_names, customers, invitation_tokens

PROJECTIONS = [customers.PROJECTION, invitation_tokens.PROJECTION, company_names.PROJECTION]

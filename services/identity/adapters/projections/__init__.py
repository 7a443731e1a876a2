"""The identity service's read models, one file each; its worker runs every one listed here."""
from . import customers

PROJECTIONS = [customers.PROJECTION]

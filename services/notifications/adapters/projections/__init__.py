"""The notifications service's read models, one file each; its worker runs every one listed here.

users, customers and tenants record the facts e-mails need; mailings records the e-mails events call for;
bootstrap.py adds the kit's callers and ended_sessions (eventkit), which say who may call the API now.
"""
from . import customers, mailings, tenants, users

PROJECTIONS = [users.PROJECTION, customers.PROJECTION, tenants.PROJECTION, mailings.PROJECTION]

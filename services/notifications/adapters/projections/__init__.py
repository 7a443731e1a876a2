"""The notifications service's read models, one file each; its worker runs every one listed here.

users, customers and tenants record the facts e-mails need; mailings records the e-mails events call for.
"""
from . import customers, mailings, tenants, users

PROJECTIONS = [users.PROJECTION, customers.PROJECTION, tenants.PROJECTION, mailings.PROJECTION]

"""The distributor's name its customers know, read by the portal's pages before anyone has logged in."""
from __future__ import annotations


def test_the_company_name_is_public_and_null_until_staff_set_it(invitations, staff_headers, tenant):
    url = f"/v1/tenants/{tenant}/company"
    assert invitations.get(url).json == {"company_name": None}
    changed = invitations.patch(f"/v1/tenants/{tenant}/invitation-settings", json={"company_name": "Northwind Supply"},
                                headers=staff_headers(tenant))
    assert changed.status_code == 200, changed.json
    answer = invitations.get(url)
    assert (answer.status_code, answer.json) == (200, {"company_name": "Northwind Supply"})

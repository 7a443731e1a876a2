"""One tenant's world for the documents tests: customers and users made through identity's real API,
documents published through the documents API with the ERP's key, and portal users' access tokens."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tests.conftest import eventually
from tests.documents_samples import body

ALL = ["ALL"]
WAIT = 60.0  # seconds for identity's events to reach the documents service's projections on a busy machine


class World:
    def __init__(self, tenant, identity, documents, identity_app, staff_headers, erp_headers):
        self.tenant, self.identity, self.documents = tenant, identity, documents
        self.signer = identity_app.extensions["identity"].security.signer
        self.staff = staff_headers(tenant)
        self.erp = erp_headers(tenant)
        self.base = f"/v1/tenants/{tenant}"

    # identity: customers and users, each change an event the documents service projects
    def customer(self, code: str, account: str) -> None:
        r = self.identity.put(f"{self.base}/customers/{code}", headers=self.staff,
                              json={"kind": "company", "name": f"{code} Ltd", "receivable_account": account})
        assert r.status_code in (200, 201), r.json

    def user(self, customer: str, username: str, areas=ALL, own_orders_only=False, staff_twin=False) -> dict:
        r = self.identity.post(f"{self.base}/users", headers=self.staff, json={
            "customer_code": customer, "username": username, "areas": list(areas), "own_orders_only": own_orders_only,
            "send_welcome_email": False, "with_staff_user": staff_twin, "emails": [f"{username}@example.com"]})
        assert r.status_code == 201, r.json
        return r.json

    def change(self, user: dict, action: str) -> None:
        r = self.identity.post(f"{self.base}/users/{user['user_id']}/{action}", headers=self.staff)
        assert r.status_code == 200, r.json

    def access(self, user: dict, **changes) -> None:
        r = self.identity.patch(f"{self.base}/users/{user['user_id']}/access", headers=self.staff, json=changes)
        assert r.status_code == 200, r.json

    def staff_user(self, username: str, role: str = "in-house") -> dict:
        r = self.identity.post(f"{self.base}/staff-users", headers=self.staff, json={
            "username": username, "name": username.title(), "roles": [role], "initial_password": None})
        assert r.status_code == 201, r.json
        return r.json

    def token(self, user: dict) -> dict:
        """An access token for the user, signed with identity's key; the claims say only who it is."""
        claims = {"tenant": self.tenant, "preferred_username": user["username"], "user_type": user["user_type"]}
        token = self.signer.issue(user["user_id"], claims, datetime.now(timezone.utc))
        return {"Authorization": f"Bearer {token}"}

    # the ERP
    def publish(self, kind: str, number: str, account: str, **fields):
        area = f"{kind}s"
        r = self.documents.put(f"{self.base}/documents/{area}/{number}", headers=self.erp,
                               json=body(kind, account, **fields))
        assert r.status_code in (200, 201), r.json
        return r

    # portal users
    def listing(self, user: dict, **query) -> list[str]:
        r = self.documents.get(f"{self.base}/documents", headers=self.token(user), query_string=query)
        assert r.status_code == 200, r.json
        return sorted(f"{i['kind']}:{i['number']}" for i in r.json["items"])

    def show(self, user: dict, kind: str, number: str):
        return self.documents.get(f"{self.base}/documents/{kind}s/{number}", headers=self.token(user))

    # staff: why
    def why(self, asker: dict, user: dict, kind: str, number: str):
        return self.documents.get(f"{self.base}/documents/{kind}s/{number}/visibility", headers=self.token(asker),
                                  query_string={"user_id": user["user_id"]})

    def decided(self, asker: dict, user: dict, kind: str, number: str, rule: str) -> dict:
        """Wait until both projections have caught up enough for `rule` to decide, and return the answer."""
        def check():
            r = self.why(asker, user, kind, number)
            assert r.status_code == 200 and r.json["rule"] == rule, r.json
            return r.json
        return eventually(check, timeout=WAIT)


def new_number(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"

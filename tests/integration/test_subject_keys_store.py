"""The key store in identity's database (issue 17): one key per subject, made once, and gone for good when
the subject is forgotten, so the same ciphertext then opens to the marker."""
import os
import uuid

from identity.adapters.subject_keys import FORGOTTEN, KeyWrapper, forget, key_of, keys_made, open_value, seal

from ..fixtures.settings import PERSONAL_DATA_TOKENS


def test_a_forgotten_subject_has_no_key_and_its_values_read_as_the_marker(identity_app, tenant):
    wrapper, subject = KeyWrapper(os.urandom(32)), f"contact-{uuid.uuid4()}"
    with identity_app.extensions["identity"].pool.connection() as conn:
        key = key_of(conn, wrapper, tenant, subject)
        assert key_of(conn, wrapper, tenant, subject) == key  # made once
        sealed = seal(key, tenant, subject, "first_name", "Ada")
        stored = conn.execute("SELECT wrapped_key FROM subject_keys WHERE tenant_id = %s AND subject = %s",
                              (tenant, subject)).fetchone()["wrapped_key"]
        assert key not in bytes(stored)  # only wrapped
        assert forget(conn, tenant, subject, "asked to be forgotten") is True
        assert forget(conn, tenant, subject, "again") is False
        assert key_of(conn, wrapper, tenant, subject) is None  # never made again
        assert open_value(key_of(conn, wrapper, tenant, subject), tenant, "first_name", sealed) == FORGOTTEN


def test_many_people_get_their_keys_at_once_each_made_once_and_a_forgotten_one_none(identity_app, tenant):
    wrapper = KeyWrapper(os.urandom(32))
    known, new, gone = (f"contact-{uuid.uuid4()}" for _ in range(3))
    many = [f"contact-{uuid.uuid4()}" for _ in range(500)]
    with identity_app.extensions["identity"].pool.connection() as conn:
        before = key_of(conn, wrapper, tenant, known)
        forget(conn, tenant, gone, "asked to be forgotten")

        keys = keys_made(conn, wrapper, tenant, [known, new, gone, *many])

        assert keys[known] == before and keys[gone] is None
        assert len({keys[s] for s in [new, *many]}) == 501  # a key of its own each
        assert keys_made(conn, wrapper, tenant, [new, *many]) == {s: keys[s] for s in [new, *many]}  # made once


def test_a_sealing_release_makes_the_key_of_a_person_who_has_none_never_of_a_company_or_a_forgotten_one(
        identity, identity_app, tenant, staff_headers):
    staff, tag = staff_headers(tenant), uuid.uuid4().hex[:6]
    person = identity.post(f"/v1/tenants/{tenant}/customers", headers=staff, json={
        "code": f"IND{tag}", "kind": "individual", "name": "Joe Bloggs", "receivable_account": f"AR-{tag}",
        "emails": "joe@bloggs.example"})
    company = identity.post(f"/v1/tenants/{tenant}/customers", headers=staff, json={
        "code": f"CO{tag}", "name": "Acme Tools Ltd", "receivable_account": f"AR-CO{tag}", "emails": "ap@acme.example"})
    assert person.status_code == company.status_code == 201, (person.json, company.json)
    joe, acme, gone = (f"customer-{person.json['customer_id']}", f"customer-{company.json['customer_id']}",
                       f"contact-{uuid.uuid4()}")
    with identity_app.extensions["identity"].pool.connection() as conn:
        # Joe stands for a person whose events were written before sealing: no key yet.
        conn.execute("DELETE FROM subject_keys WHERE tenant_id = %s AND subject = %s", (tenant, joe))
        forget(conn, tenant, gone, "asked to be forgotten")

    def release(make: bool) -> dict:
        answer = identity.post(f"/v1/tenants/{tenant}/personal-data/keys", json={"subjects": [joe, acme, gone],
                               "make": make}, headers={"Authorization": f"Bearer {PERSONAL_DATA_TOKENS['invitations']}"})
        assert answer.status_code == 200, answer.json
        return answer.json
    assert release(False) == {"keys": {joe: None, acme: None, gone: None}, "forgotten": [gone]}
    made = release(True)
    assert made["keys"][joe] and made["keys"][acme] is None and made["keys"][gone] is None
    assert made["forgotten"] == [gone] and release(False)["keys"][joe] == made["keys"][joe]

"""Found by schemathesis: a problem's `instance` must be a URI reference, so a path with non-ASCII
characters is answered percent-encoded, not raw."""


def test_a_problem_for_a_path_with_non_ascii_characters_names_it_as_a_uri_reference(identity, staff_headers,
                                                                                     tenant):
    answer = identity.get(f"/v1/tenants/{tenant}/customer-imports/§EÒð", headers=staff_headers(tenant))
    assert answer.status_code == 404
    assert answer.json["instance"] == f"/v1/tenants/{tenant}/customer-imports/%C2%A7E%C3%92%C3%B0"

"""Authorization: the bare key, Bearer unless turned off, 401 {} otherwise, checked before the body."""

from __future__ import annotations

import pytest

from mockserver import DEFAULT_API_KEY, AuthScheme, KeyCheck

from .conftest import Api

GOOD_BODY = {"task_ids": ["a", "b"]}


@pytest.mark.parametrize("header", [DEFAULT_API_KEY, f"Bearer {DEFAULT_API_KEY}", f"bearer {DEFAULT_API_KEY}"])
def test_the_key_is_accepted_bare_or_as_bearer(api: Api, header: str) -> None:
    answer = api.post("/fetch-many", GOOD_BODY, key=header)
    assert (answer.status, answer.body) == (200, {"tasks": []})


@pytest.mark.parametrize(
    "header",
    [None, "", "wrong-key", f"{DEFAULT_API_KEY}x", DEFAULT_API_KEY[:-1], f"Bearer  {DEFAULT_API_KEY}", "Bearer"],
    ids=["missing", "empty", "wrong", "longer", "shorter", "double-space", "bearer-empty"],
)
@pytest.mark.parametrize("path", ["/fetch-many", "/fetch"])
def test_a_missing_empty_or_wrong_key_gets_401_empty_object(api: Api, header: str | None, path: str) -> None:
    answer = api.post(path, GOOD_BODY, key=header)
    assert (answer.status, answer.content_type, answer.body) == (401, "application/json", {})


def test_the_key_is_checked_before_the_body(api: Api) -> None:
    answer = api.send("POST", "/fetch-many", b"{not json", {"Authorization": "wrong"})
    assert (answer.status, answer.body) == (401, {})


def test_account_needs_the_key(api: Api) -> None:
    answer = api.send("GET", "/account")
    assert (answer.status, answer.content_type, answer.body) == (401, "application/json", {})


def test_bare_scheme_refuses_bearer(bare_server: str) -> None:
    bare = Api(bare_server)
    assert bare.post("/fetch-many", GOOD_BODY, key=f"Bearer {DEFAULT_API_KEY}").status == 401
    assert bare.post("/fetch-many", GOOD_BODY, key=DEFAULT_API_KEY).status == 200
    bare.client.close()


@pytest.mark.parametrize(
    ("scheme", "header", "accepted"),
    [
        (AuthScheme.BARE, "k3y", True),
        (AuthScheme.BARE, "Bearer k3y", False),
        (AuthScheme.BEARER_TOO, "BEARER k3y", True),
        (AuthScheme.BEARER_TOO, "Basic k3y", False),
        (AuthScheme.BEARER_TOO, "k3y \t", True),
        (AuthScheme.BEARER_TOO, "ké", False),
        (AuthScheme.BEARER_TOO, None, False),
    ],
)
def test_key_check(scheme: AuthScheme, header: str | None, accepted: bool) -> None:
    assert KeyCheck("k3y", scheme).accepts(header) is accepted


def test_a_non_ascii_key_is_compared_as_utf8_bytes() -> None:
    assert KeyCheck("ключ").accepts("ключ".encode().decode("latin-1"))

"""The control token of `serve --control` and `proxy`: given, else from the environment, else generated."""

from __future__ import annotations

import pytest

from mockserver import UsageError
from mockserver.control.token import CONTROL_TOKEN_ENV, control_token


def test_the_flag_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONTROL_TOKEN_ENV, "from-env")
    assert control_token("from-flag") == ("from-flag", f"(token from the flag or ${CONTROL_TOKEN_ENV})")


def test_without_the_flag_the_environment_s_token_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONTROL_TOKEN_ENV, "from-env")
    assert control_token(None) == ("from-env", f"(token from the flag or ${CONTROL_TOKEN_ENV})")


def test_without_either_a_token_is_generated_and_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONTROL_TOKEN_ENV, raising=False)
    token, words = control_token(None)
    assert (len(token), words) == (32, f"with 'Authorization: Bearer {token}'")


def test_an_empty_flag_is_refused_naming_the_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONTROL_TOKEN_ENV, "from-env")
    with pytest.raises(UsageError) as refused:
        control_token("")
    assert str(refused.value) == "the control token from --control-token is empty; give a non-empty token"


def test_an_empty_environment_variable_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONTROL_TOKEN_ENV, "")
    with pytest.raises(UsageError) as refused:
        control_token(None)
    assert str(refused.value) == (
        f"the control token from ${CONTROL_TOKEN_ENV} is empty; give a non-empty token, or unset it to have one "
        "generated"
    )

"""The ground check: before any rule, one cheap request says whether the server answers and takes the key.

A run against a server that is down, a page that is not the API, or a key that is refused would
otherwise report every rule as drift. So `contract`, `diff` and `snapshot` first send ``GET /account``
(``GET /v2/me`` for v2; counted in the budget) and stop at once, with one line saying which, when the
ground does not hold.
"""

from __future__ import annotations

from .client import Client, RateLimitedOut
from .exchange import Exchange
from .oracle import KEY_REFUSED
from .target import API_KEY_ENV
from .versions import V2_API_KEY_ENV


class GroundError(Exception):
    """The server cannot be reached, does not answer as the API, or refuses the key; the message says which."""


GROUNDS = {
    "v1": ("/account", "--base-url", f"--api-key or ${API_KEY_ENV}"),
    "v2": ("/v2/me", "--v2-base-url (or --base-url)", f"--v2-api-key or ${V2_API_KEY_ENV}"),
}
"""Per API version: the cheap keyed read that is its ground, the flag naming its server, and where its key is given."""


def check_ground(client: Client, api: str = "v1") -> Exchange:
    """Send the ground read of `api` (``GET /account``, ``GET /v2/me``); raise GroundError unless it answered."""
    path, url_flag, key_flags = GROUNDS[api]
    url = client.target.base_url
    try:
        exchange = client.get(path)
    except RateLimitedOut as exc:
        raise GroundError(f"{url} answered only 429 to GET {path}: {exc}") from None
    answer = exchange.answer
    if answer is None:
        raise GroundError(f"cannot reach {url}: {exchange.problem}; check {url_flag}")
    if answer.status in KEY_REFUSED:
        raise GroundError(f"{url} refused the API key (GET {path} answered {answer.status}): check {key_flags}")
    if not answer.is_json:
        shown = answer.media_type or "no content type"
        raise GroundError(
            f"{url} does not answer as the Apiframe API: GET {path} answered {answer.status} ({shown}), "
            f"not JSON; check {url_flag}"
        )
    return exchange

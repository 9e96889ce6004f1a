"""The ground check: before any rule, one cheap request says whether the server answers and takes the key.

A run against a server that is down, a page that is not the API, or a key that is refused would
otherwise report every rule as drift. So `contract`, `diff` and `snapshot` first send ``GET /account``
(counted in the budget) and stop at once, with one line saying which, when the ground does not hold.
"""

from __future__ import annotations

from .client import Client, RateLimitedOut
from .exchange import Exchange
from .target import API_KEY_ENV

REFUSED = (401, 403)


class GroundError(Exception):
    """The server cannot be reached, does not answer as the API, or refuses the key; the message says which."""


def check_ground(client: Client) -> Exchange:
    """Send ``GET /account`` through `client` and return the exchange; raise GroundError unless the API answered."""
    url = client.target.base_url
    try:
        exchange = client.get("/account")
    except RateLimitedOut as exc:
        raise GroundError(f"{url} answered only 429 to GET /account: {exc}") from None
    answer = exchange.answer
    if answer is None:
        raise GroundError(f"cannot reach {url}: {exchange.problem}; check --base-url")
    if answer.status in REFUSED:
        raise GroundError(
            f"{url} refused the API key (GET /account answered {answer.status}): check --api-key or ${API_KEY_ENV}"
        )
    if not answer.is_json:
        shown = answer.media_type or "no content type"
        raise GroundError(
            f"{url} does not answer as the Apiframe API: GET /account answered {answer.status} ({shown}), "
            "not JSON; check --base-url"
        )
    return exchange

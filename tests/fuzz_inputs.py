"""Hypothesis strategies for hostile input: JSON text, header sets, paths, methods, whole requests and raw bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from hypothesis import strategies as st

from mockserver import DEFAULT_API_KEY, load_fixtures
from mockserver.edges.v1 import load_endpoints
from mockserver.edges.v1.uploads import UPLOAD_ROUTES
from mockserver.limits import MAX_BODY_BYTES

from .fuzzing import CONTROL_TOKEN, route_of

KNOWN_IDS = tuple(task["task_id"] for task in load_fixtures().tasks)
KEY = DEFAULT_API_KEY.encode()
WITH_KEY = ((b"Authorization", KEY),)
WITH_TOKEN = ((b"Authorization", f"Bearer {CONTROL_TOKEN}".encode()),)
SUBMIT_PATHS = tuple(endpoint.path for endpoint in load_endpoints().values())
UPLOAD_PATHS = tuple(upload.path for upload in UPLOAD_ROUTES)
FORM_SUBMIT_PATHS = tuple(endpoint.path for endpoint in load_endpoints().values() if endpoint.form is not None)
"""The submit endpoints that take a multipart form besides JSON (POST /suno-upload)."""
ROUTES = (
    "/fetch-many",
    "/fetch",
    "/account",
    "/openapi.json",
    *SUBMIT_PATHS,
    *UPLOAD_PATHS,
    "/uploads/0.png",
    "/__mock__/health",
    "/__mock__/tasks",
    "/__mock__/reset",
    "/__mock__/faults",
    "/__mock__/journal",
    "/__mock__/submissions",
    "/__mock__/webhooks",
    "/",
)


@dataclass(frozen=True)
class RawRequest:
    """An HTTP/1.1 request built from parts, its Content-Length (or chunked framing) always true to its body."""

    method: bytes
    target: bytes
    headers: tuple[tuple[bytes, bytes], ...] = ()
    body: bytes = b""
    chunked: bool = False
    version: bytes = b"HTTP/1.1"

    def encode(self) -> bytes:
        """Return the request as bytes on the wire."""
        lines = [b"%s %s %s" % (self.method, self.target, self.version)]
        lines += [name + b": " + value for name, value in self.headers]
        if self.chunked:
            lines.append(b"transfer-encoding: chunked")
            payload = (b"%x\r\n%s\r\n" % (len(self.body), self.body) if self.body else b"") + b"0\r\n\r\n"
        else:
            lines.append(b"content-length: %d" % len(self.body))
            payload = self.body
        return b"\r\n".join(lines) + b"\r\n\r\n" + payload

    @property
    def head(self) -> bool:
        """Say whether this is a HEAD request, answered without a body."""
        return self.method == b"HEAD"

    @property
    def route(self) -> str:
        """The path this request reaches."""
        return route_of(self.target)

    @property
    def authorization(self) -> bytes | None:
        """The first Authorization value as the server reads it, or None."""
        # RFC 9110 drops the blanks around a field value; the mock does so too.
        values = [value.strip(b" \t") for name, value in self.headers if name.lower() == b"authorization"]
        return values[0] if values else None


# JSON text, written by hand so that it can hold what no encoder writes: duplicate keys, lone
# surrogates, numbers past any float or past Python's 4300-digit integer limit, nesting past recursion.
json_numbers = st.one_of(
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["1e308", "1.7976931348623157e308", "1e999", "-1e999", "-0", "5e-324", "0.1e-999", "1E+2"]),
    st.integers(4000, 6000).map(lambda digits: "9" * digits),
)
json_strings = st.one_of(
    st.text(max_size=20).map(json.dumps),
    st.text(max_size=20).map(lambda text: json.dumps(text, ensure_ascii=False)),
    st.integers(0xD800, 0xDFFF).map(lambda unit: f'"\\u{unit:04x}"'),
    st.sampled_from(KNOWN_IDS).map(json.dumps),
)
# A few fixed keys, so that objects often repeat one.
# The fields that steer the mock's checks, so that generated objects often reach past the first of them.
json_keys = st.one_of(
    st.sampled_from(
        ['"task_ids"', '"task_id"', '"a"', '"prompt"', '"parent_task_id"', '"index"', '"webhook_url"', '"image_urls"']
    ),
    json_strings,
)
json_scalars = st.one_of(st.sampled_from(["true", "false", "null"]), json_numbers, json_strings)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(st.tuples(json_keys, children), max_size=6).map(
            lambda pairs: "{" + ",".join(f"{key}:{value}" for key, value in pairs) + "}"
        ),
    ),
    max_leaves=15,
)
deep_json = st.integers(1, 5000).flatmap(
    lambda depth: st.sampled_from(["[" * depth + "]" * depth, '{"a":' * depth + "0" + "}" * depth])
)
task_ids_json = st.builds(
    lambda items, extra: '{"task_ids":[' + ",".join(items) + "]" + extra + "}",
    st.lists(st.one_of(st.sampled_from(KNOWN_IDS).map(json.dumps), json_strings, json_values), max_size=24),
    st.sampled_from(["", ',"webhook_url":1', ',"task_ids":["a","b"]', ',"task_ids":null', ',"task_ids":[]']),
)
json_texts = st.one_of(json_values, deep_json, task_ids_json, task_ids_json.flatmap(lambda text: st.just(text[:-1])))

bodies = st.one_of(
    json_texts.map(lambda text: text.encode()),
    json_texts.map(lambda text: ("\ufeff" + text).encode()),
    json_texts.map(lambda text: text.encode("utf-16")),
    st.binary(max_size=500),
    st.sampled_from([b"", b" \n\t", b"{}", b"[]", b"null", b"NaN", b'{"task_ids": [Infinity, "b"]}']),
    st.integers(MAX_BODY_BYTES - 1, MAX_BODY_BYTES + 1).map(lambda size: b" " * size),
)

methods = st.one_of(
    st.sampled_from([b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"HEAD", b"OPTIONS"]),
    st.from_regex(rb"\A[A-Za-z]{1,12}\Z"),
)
_path_text = st.text(st.characters(codec="ascii", exclude_characters=" \r\n\t#?%"), max_size=30)
targets = st.builds(
    lambda path, query: path + query,
    st.one_of(
        st.sampled_from(ROUTES),
        st.sampled_from(ROUTES).map(lambda route: route.rstrip("/") + "/"),
        st.sampled_from(ROUTES).map(lambda route: "".join(f"%{ord(char):02X}" for char in route)),
        st.one_of(st.sampled_from(KNOWN_IDS), st.text(max_size=30)).map(
            lambda task_id: "/__mock__/tasks/" + quote(task_id, safe="")
        ),
        _path_text.map(lambda text: "/" + text),
        st.sampled_from(ROUTES).map(lambda route: "http://mock.invalid" + route),
        st.just("*"),
    ),
    st.one_of(st.just(""), st.text(max_size=30).map(lambda text: "?" + quote(text, safe="=&"))),
).map(lambda target: target.encode())
raw_targets = st.binary(min_size=1, max_size=40).filter(lambda raw: not set(raw) & set(b" \r\n"))

_header_value = st.binary(max_size=60).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b""))
authorizations = st.one_of(
    st.sampled_from(
        [
            *(KEY, b"Bearer " + KEY, b"bearer " + KEY, b"BEARER " + KEY, b" " + KEY + b" ", KEY + b"x", KEY[:-1]),
            *(b"", b"Bearer", b"Bearer ", b"Basic " + KEY, KEY + KEY, b"Bearer " + CONTROL_TOKEN.encode()),
            *(CONTROL_TOKEN.encode(), "ключ".encode(), b"\xff\xfe"),
        ]
    ),
    _header_value,
)
content_types = st.one_of(
    st.sampled_from(
        [
            *(b"application/json", b"application/json; charset=utf-8", b"APPLICATION/JSON", b"text/plain"),
            *(b"application/x-www-form-urlencoded", b"multipart/form-data; boundary=x", b"application/octet-stream"),
        ]
    ),
    _header_value,
)


def is_field_value(value: bytes) -> bool:
    """Say whether HTTP allows `value` in a header: no control bytes but the tab."""
    return all((byte >= 0x20 and byte != 0x7F) or byte == 0x09 for byte in value)


_header_name = st.from_regex(rb"\A[A-Za-z0-9!#$&'*+.^_`|~-]{1,24}\Z").filter(
    lambda name: name.lower() not in (b"content-length", b"transfer-encoding")
)
_special_headers = st.sampled_from(
    [
        (b"expect", b"100-continue"),
        (b"connection", b"close"),
        (b"connection", b"keep-alive"),
        (b"connection", b"Upgrade"),
        (b"upgrade", b"websocket"),
        (b"upgrade", b"h2c"),
        (b"sec-websocket-key", b"dGhlIHNhbXBsZSBub25jZQ=="),
        (b"sec-websocket-version", b"13"),
        (b"accept-encoding", b"gzip, br"),
        (b"host", b"["),
        (b"host", b"mock.invalid:99999"),
        (b"x-big", b"a" * 20_000),
    ]
)
_extra_headers = st.lists(st.one_of(_special_headers, st.tuples(_header_name, _header_value)), max_size=4)


@st.composite
def header_sets(draw: st.DrawFn) -> tuple[tuple[bytes, bytes], ...]:
    """Return a header set: Authorization and Content-Type present, absent or garbage, then a few others."""
    headers: list[tuple[bytes, bytes]] = []
    if draw(st.booleans()):
        headers.append((b"Host", b"mock"))
    for name, values in ((b"Authorization", authorizations), (b"Content-Type", content_types)):
        headers += [(name, value) for value in draw(st.lists(values, max_size=2))]
    headers += draw(_extra_headers)
    return tuple(draw(st.permutations(headers)))


requests = st.builds(
    RawRequest,
    method=methods,
    target=st.one_of(targets, raw_targets),
    headers=header_sets(),
    body=bodies,
    chunked=st.booleans(),
    version=st.sampled_from([b"HTTP/1.1", b"HTTP/1.0"]),
).filter(lambda request: not (request.chunked and request.version == b"HTTP/1.0"))

# Bytes that are not, or not quite, HTTP; each ends its head so that the server has all of it. Blank
# lines alone are not a request (servers skip them before one), so the server rightly waits for more.
_mangled = st.builds(
    lambda request, at, byte: request.encode()[:at] + byte + request.encode()[at + 1 :],
    requests.map(lambda request: RawRequest(request.method, request.target, request.headers, version=request.version)),
    st.integers(0, 200),
    st.binary(min_size=0, max_size=3),
)
raw_streams = (
    st.one_of(
        st.binary(max_size=300),
        st.builds(lambda *parts: b" ".join(parts), methods, st.binary(max_size=40), st.binary(max_size=10)),
        # An HTTP/2 preface, a head with two Hosts, the start of a TLS ClientHello.
        st.sampled_from(
            [b"PRI * HTTP/2.0\r\n\r\nSM", b"GET / HTTP/1.1\r\nHost: a\r\nHost: b", b"\x16\x03\x01\x02\x00"]
        ),
        _mangled,
    )
    .filter(lambda raw: raw.strip(b"\r\n"))
    .map(lambda raw: raw + b"\r\n\r\n")
)


# The first bytes of what a hostile form may carry: real signatures, a ZIP archive, nothing, or noise.
_FILE_STARTS = [b"\x89PNG\r\n\x1a\n", b"ID3\x04", b"\xff\xfb\x90\x00", b"RIFF\x00\x00\x00\x00WAVE", b"PK\x03\x04", b""]
_part_names = st.one_of(st.sampled_from(["image", "audio", "file", "audio_url", "webhook_url"]), st.text(max_size=8))


@st.composite
def _form_part(draw: st.DrawFn) -> bytes:
    name = draw(st.one_of(st.none(), _part_names))
    filename = draw(st.one_of(st.none(), st.sampled_from(["a.png", "a.mp3", "a.zip", 'a"b', ""])))
    disposition = "form-data" + ("" if name is None else f'; name="{name}"')
    disposition += "" if filename is None else f'; filename="{filename}"'
    data = draw(st.sampled_from(_FILE_STARTS)) + draw(st.binary(max_size=200))
    return f"Content-Disposition: {disposition}\r\n\r\n".encode() + data


@st.composite
def forms(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """Return a Content-Type and a multipart body: parts named or not, files of any kind, cut short or whole."""
    boundary = draw(st.sampled_from([b"b0undary", b"x", b"-" * 70, b"b" * 300]))
    parts = draw(st.lists(_form_part(), max_size=12))
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts) + b"--" + boundary + b"--\r\n"
    body = body[: draw(st.integers(0, len(body)))] if draw(st.booleans()) else body
    declared = draw(st.sampled_from([b"multipart/form-data; boundary=" + boundary, b"multipart/form-data"]))
    return declared, body

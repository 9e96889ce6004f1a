"""v2's other resources: uploads served back, LoRAs trained, listed and archived, provider assets registered."""

from __future__ import annotations

import httpx
import pytest

from mockserver import MockState

from .v2 import KEY

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64
MOV = b"\0\0\0\x14ftypqt  " + b"\0" * 64
M4A = b"\0\0\0\x20ftypM4A " + b"\0" * 64
WEBM = b"\x1aE\xdf\xa3" + b"\0" * 64
TEXT_FIELD = "Must be a file upload (a part with a filename), not a text field"


@pytest.mark.parametrize(
    ("content", "kind", "media_type"),
    [
        (PNG, "image", "image/png"),
        (MP4, "video", "video/mp4"),
        (MOV, "video", "video/quicktime"),
        (WEBM, "video", "video/webm"),
        (M4A, "audio", "audio/mp4"),
    ],
    ids=["png", "mp4", "mov", "webm", "m4a"],
)
def test_an_upload_is_known_by_its_first_bytes_and_served_from_its_url(
    v2: httpx.Client, content: bytes, kind: str, media_type: str
) -> None:
    answer = v2.post("/v2/uploads", files={"file": ("any.bin", content, "text/plain")}, headers=KEY)
    assert answer.status_code == 201
    upload = answer.json()
    assert (upload["kind"], upload["contentType"], upload["byteSize"]) == (kind, media_type, len(content))
    assert upload["url"] == f"{v2.base_url}/mock-cdn/{upload['id']}"
    served = httpx.get(upload["url"])
    assert (served.status_code, served.headers["content-type"], served.content) == (200, media_type, content)


def test_an_upload_of_an_unknown_type_or_without_a_file_is_400(v2: httpx.Client) -> None:
    text = v2.post("/v2/uploads", files={"file": ("a.txt", b"hello", "image/png")}, headers=KEY)
    assert (text.status_code, text.json()) == (
        400,
        {
            "error": "Invalid request body",
            "details": {"file": ["Unsupported file type: PNG, JPEG, WebP, GIF, MP4, WebM, MOV, MP3, WAV, OGG, M4A"]},
        },
    )
    flac = v2.post("/v2/uploads", files={"file": ("a.flac", b"fLaC" + b"\0" * 64)}, headers=KEY)
    assert (flac.status_code, flac.json()["details"]) == (400, text.json()["details"])
    empty = v2.post("/v2/uploads", files={"other": ("a.png", PNG, "image/png")}, headers=KEY)
    assert (empty.status_code, empty.json()["details"]) == (400, {"file": ["Required: send exactly one file field"]})
    json_body = v2.post("/v2/uploads", json={"file": "x"}, headers=KEY)
    assert json_body.status_code == 400
    assert list(json_body.json()["details"]) == ["(body)"]


def test_a_text_field_named_file_is_no_upload_however_its_bytes_look(v2: httpx.Client) -> None:
    # A part without a filename is a plain field (RFC 7578 4.2), even when its bytes are a PNG's.
    answer = v2.post("/v2/uploads", files={"file": (None, PNG, "image/png")}, headers=KEY)
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"file": [TEXT_FIELD]}},
    )


def test_a_lora_image_sent_as_a_text_field_is_no_image(v2: httpx.Client) -> None:
    images = [*_images(14), ("images", (None, PNG, "image/png"))]
    answer = v2.post("/v2/loras", data={"name": "cat", "subjectKind": "object"}, files=images, headers=KEY)
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"images": [TEXT_FIELD]}},
    )


def test_an_upload_without_a_key_is_401(v2: httpx.Client) -> None:
    answer = v2.post("/v2/uploads", files={"file": ("a.png", PNG, "image/png")})
    assert (answer.status_code, answer.json()) == (401, {"error": "API key is required"})


def _images(count: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("images", (f"{index}.png", PNG, "image/png")) for index in range(count)]


def test_a_lora_trains_from_pending_to_ready_and_costs_two_credits(v2: httpx.Client) -> None:
    form = {"name": "my cat", "subjectKind": "object"}
    answer = v2.post("/v2/loras", data=form, files=_images(15), headers=KEY)
    assert answer.status_code == 202
    lora_id = answer.json()["id"]
    assert answer.json() == {"id": lora_id, "status": "PENDING", "imageCount": 15}
    statuses = [v2.get(f"/v2/loras/{lora_id}", headers=KEY).json()["status"] for _ in range(4)]
    assert statuses == ["PENDING", "TRAINING", "READY", "READY"]
    ready = v2.get(f"/v2/loras/{lora_id}", headers=KEY).json()
    assert (ready["name"], ready["isReady"], ready["steps"], ready["loraRank"]) == ("my cat", True, 1000, 16)
    assert v2.get("/v2/me", headers=KEY).json()["team"]["credits"] == 1248


def test_a_lora_for_a_person_needs_gender_and_ethnicity_and_15_to_30_images(v2: httpx.Client) -> None:
    answer = v2.post("/v2/loras", data={"name": "me", "steps": "10"}, files=_images(3), headers=KEY)
    assert (answer.status_code, answer.json()) == (
        400,
        {
            "error": "Invalid request body",
            "details": {
                "images": ["Must be 15 to 30 images, not 3"],
                "steps": ["Must be a whole number from 500 to 3000"],
                "gender": ["Required when subjectKind is person"],
                "ethnicity": ["Required when subjectKind is person"],
            },
        },
    )


def test_loras_are_listed_newest_first_and_an_archived_one_only_when_asked(v2: httpx.Client) -> None:
    made = [
        v2.post("/v2/loras", data={"name": f"l{n}", "subjectKind": "style"}, files=_images(15), headers=KEY).json()[
            "id"
        ]
        for n in range(3)
    ]
    assert v2.delete(f"/v2/loras/{made[0]}", headers=KEY).status_code == 204
    listed = v2.get("/v2/loras", headers=KEY).json()
    assert ([lora["id"] for lora in listed["items"]], listed["nextCursor"]) == ([made[2], made[1]], None)
    everything = v2.get("/v2/loras", params={"includeArchived": "true", "limit": 2}, headers=KEY).json()
    rest = v2.get("/v2/loras", params={"includeArchived": "true", "cursor": everything["nextCursor"]}, headers=KEY)
    assert [lora["status"] for lora in rest.json()["items"]] == ["ARCHIVED"]
    missing = v2.get("/v2/loras/00000000-0000-0000-0000-000000000000", headers=KEY)
    assert (missing.status_code, missing.json()) == (404, {"error": "LoRA not found"})


def test_an_asset_is_registered_and_read_back(v2: httpx.Client) -> None:
    created = v2.post("/v2/assets/create", json={"url": "https://a.example/v.mp4", "type": "video"}, headers=KEY)
    assert created.status_code == 201
    asset_id = created.json()["assetId"]
    asset = v2.get(f"/v2/assets/{asset_id}", headers=KEY).json()
    assert (asset["id"], asset["url"], asset["type"]) == (asset_id, "https://a.example/v.mp4", "video")
    bad = v2.post("/v2/assets/create", json={"url": "https://a.example/v.mp4", "type": "text"}, headers=KEY)
    assert (bad.status_code, bad.json()["details"]) == (
        400,
        {"type": ['Must be one of "image", "video", "audio", not "text"']},
    )
    assert v2.get("/v2/assets/nope", headers=KEY).status_code == 404


def test_a_form_without_named_fields_is_400_and_an_unknown_file_404(v2: httpx.Client) -> None:
    body = b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n"
    answer = v2.post("/v2/uploads", content=body, headers={**KEY, "Content-Type": "multipart/form-data; boundary=b"})
    assert (answer.status_code, answer.json()["details"]) == (400, {"(body)": ["The form has no fields"]})
    missing = v2.get("/mock-cdn/nothing")
    assert missing.status_code == 404


FILE_PART = b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n' + b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/v2/uploads",
            b"--b\r\n" + FILE_PART + b"\r\n--b",
            "The form cannot be read: it ends before its closing boundary (--b--): it was cut short, or its "
            "Content-Length is wrong",
        ),
        (
            "/v2/loras",
            b"".join([b'--b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n'] * 1000) + b"--b--\r\n",
            "The form cannot be read: it has more than 64 parts",
        ),
    ],
    ids=["cut short", "a thousand parts"],
)
def test_a_hostile_form_is_a_400_in_v2_s_shape(v2: httpx.Client, path: str, body: bytes, message: str) -> None:
    answer = v2.post(path, content=body, headers={**KEY, "Content-Type": "multipart/form-data; boundary=b"})
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"(body)": [message]}},
    )


def test_a_form_whose_boundary_is_too_long_to_read_is_a_400_not_a_500(v2: httpx.Client) -> None:
    boundary = "b" * 300
    body = f"--{boundary}\r\n".encode() + FILE_PART + f"\r\n--{boundary}--\r\n".encode()
    headers = {**KEY, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    answer = v2.post("/v2/uploads", content=body, headers=headers)
    message = "The form cannot be read: its boundary is 300 bytes long: a boundary has at most 256"
    assert (answer.status_code, answer.json()) == (
        400,
        {"error": "Invalid request body", "details": {"(body)": [message]}},
    )


def test_a_lora_form_is_checked_field_by_field(v2: httpx.Client) -> None:
    form = {"subjectKind": "animal", "loraRank": "4"}
    files = [*_images(14), ("images", ("x.txt", b"hello", "text/plain"))]
    answer = v2.post("/v2/loras", data=form, files=files, headers=KEY)
    assert answer.status_code == 400
    assert answer.json()["details"] == {
        "name": ["Required: 1 to 60 characters"],
        "images.14": ["Must be a JPEG, PNG or WebP image of at most 10485760 bytes"],
        "loraRank": ["Must be a whole number from 8 to 64"],
        "subjectKind": ["Must be one of person, style, object"],
    }


def test_a_lora_the_credits_cannot_pay_for_is_402(v2: httpx.Client, v2_state: MockState) -> None:
    v2_state.store.account = {**v2_state.store.account, "credits": 1}
    answer = v2.post("/v2/loras", data={"name": "x", "subjectKind": "style"}, files=_images(15), headers=KEY)
    assert (answer.status_code, answer.json()) == (
        402,
        {"error": "Insufficient credits", "creditsRequired": 2, "creditsAvailable": 1},
    )


@pytest.mark.parametrize(("params", "field"), [({"limit": "0"}, "limit"), ({"cursor": "!"}, "cursor")])
def test_a_lora_list_query_out_of_bounds_is_400(v2: httpx.Client, params: dict[str, str], field: str) -> None:
    answer = v2.get("/v2/loras", params=params, headers=KEY)
    assert (answer.status_code, list(answer.json()["details"])) == (400, [field])

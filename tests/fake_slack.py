"""A fake Slack Web API on loopback: records every call and checks it against Slack's own specs.

    with FakeSlack() as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test")
        ...  # drive the app
        fake.wait_for("chat.postMessage")
        fake.assert_clean()

Methods, required and known parameters come from ``slack_specs/web_api_openapi_v2.json`` (only
the methods the tests use are kept: another one is ``unknown_method`` until
benchmarks/vendor_slack_specs.py vendors it); response shapes follow Slack's payload samples;
Block Kit limits follow Slack's Block Kit reference.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict, deque
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Slack's specs, trimmed to what the tests use (benchmarks/vendor_slack_specs.py writes them).
SLACK_SPECS = Path(__file__).resolve().parent / "slack_specs"

# The workspace and bot the fake answers as.
TEAM_ID = "T0123ABCD"
TEAM_NAME = "Newsroom Test"
TEAM_URL = "https://newsroom-test.slack.com/"
BOT_USER_ID = "U0BOT0001"
BOT_USER_NAME = "newsroom"
BOT_ID = "B0BOT0001"
APP_ID = "A0APP0001"

# Parameters newer than the 2021 spec, accepted on every method.
NEWER_PARAMS = frozenset({"unfurl_id", "source", "team_id", "metadata"})
# Newer parameters that slack_sdk's WebClient (3.47) sends for these methods when given.
NEWER_METHOD_PARAMS: dict[str, frozenset[str]] = {
    "chat.postMessage": frozenset({"container_id", "markdown_text"}),
    "chat.postEphemeral": frozenset({"markdown_text"}),
    "chat.update": frozenset({"file_ids", "markdown_text", "reply_broadcast"}),
    "chat.unfurl": frozenset({"user_auth_blocks"}),
    "views.open": frozenset({"interactivity_pointer"}),
    "conversations.replies": frozenset({"include_all_metadata"}),
}
# Parameters sent as JSON strings in form bodies; recorded as Python objects.
JSON_PARAMS = ("blocks", "attachments", "view", "metadata")

RESPONSE_URL = "response_url"
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update", RESPONSE_URL})
BLOCK_TYPES = frozenset(
    {
        "actions",
        "call",
        "context",
        "context_actions",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "table",
        "video",
    }
)
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_ACTIONS_ELEMENTS = 25
MAX_BLOCK_ID = 255

_FIRST_TS_MICROS = 1_718_870_400_000_000  # 2024-06-20T08:00:00Z


@dataclass(frozen=True)
class MethodSpec:
    """What the OpenAPI spec says one Web API method accepts."""

    params: frozenset[str]
    required: frozenset[str]
    token_required: bool


@cache
def web_api_methods() -> dict[str, MethodSpec]:
    """Every method of the vendored ``web_api_openapi_v2.json``, by name (``chat.postMessage``)."""
    spec = json.loads((SLACK_SPECS / "web_api_openapi_v2.json").read_text())
    methods = {}
    for path, operations in spec["paths"].items():
        params = [p for op in operations.values() for p in op.get("parameters", [])]
        names = {p["name"] for p in params} - {"token"}
        required = {p["name"] for p in params if p.get("required")}
        methods[path.lstrip("/")] = MethodSpec(
            params=frozenset(names),
            required=frozenset(required & names),
            token_required="token" in required,
        )
    return methods


@dataclass(frozen=True)
class Call:
    """One request the fake answered; ``response_name`` is set for response URL posts."""

    method: str
    params: dict[str, Any]
    token: str | None
    status: int
    response: dict[str, Any]
    response_name: str | None = None


def block_problems(blocks: object, *, max_blocks: int) -> list[str]:
    """What Slack would reject in a list of Block Kit blocks."""
    if not isinstance(blocks, list):
        return [f"blocks is a {type(blocks).__name__}, not a list"]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks (max {max_blocks})")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_TYPES:
            problems.append(f"{where}: unknown block type {kind!r}")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(block_id) > MAX_BLOCK_ID:
                problems.append(f"{where}: block_id is {len(block_id)} characters (max 255)")
            if block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        if kind == "section":
            problems += _section_problems(where, block)
        elif kind == "header":
            problems += _text_problems(f"{where} header text", block.get("text"), MAX_HEADER_TEXT)
        elif kind == "context" and len(block.get("elements", [])) > MAX_CONTEXT_ELEMENTS:
            count = len(block["elements"])
            problems.append(f"{where}: context has {count} elements (max {MAX_CONTEXT_ELEMENTS})")
        elif kind == "actions" and len(block.get("elements", [])) > MAX_ACTIONS_ELEMENTS:
            count = len(block["elements"])
            problems.append(f"{where}: actions has {count} elements (max {MAX_ACTIONS_ELEMENTS})")
    return problems


def _section_problems(where: str, block: dict[str, Any]) -> list[str]:
    if "text" not in block and "fields" not in block:
        return [f"{where}: section has neither text nor fields"]
    problems = _text_problems(f"{where} section text", block.get("text"), MAX_SECTION_TEXT)
    fields = block.get("fields", [])
    if len(fields) > MAX_SECTION_FIELDS:
        problems.append(f"{where}: section has {len(fields)} fields (max {MAX_SECTION_FIELDS})")
    for j, text_object in enumerate(fields):
        problems += _text_problems(f"{where} fields[{j}]", text_object, MAX_FIELD_TEXT)
    return problems


def _text_problems(where: str, text_object: object, limit: int) -> list[str]:
    text = text_object.get("text", "") if isinstance(text_object, dict) else ""
    return [f"{where} is {len(text)} characters (max {limit})"] if len(text) > limit else []


def message_problems(params: dict[str, Any]) -> list[str]:
    """Block Kit problems of a message, and a missing ``text`` fallback beside ``blocks``."""
    if "blocks" not in params:
        return []
    problems = block_problems(params["blocks"], max_blocks=MAX_MESSAGE_BLOCKS)
    if not str(params.get("text") or "").strip():
        problems.append("blocks without a non-empty text fallback")
    return problems


def metadata_problems(metadata: object) -> list[str]:
    """What Slack would reject in message metadata: an object with a string `event_type`
    and an object `event_payload` (api.slack.com/metadata/using)."""
    if metadata is None:
        return []
    if not isinstance(metadata, dict):
        return [f"metadata is a {type(metadata).__name__}, not an object"]
    problems = []
    if not isinstance(metadata.get("event_type"), str) or not metadata["event_type"]:
        problems.append("metadata without a string event_type")
    if not isinstance(metadata.get("event_payload"), dict):
        problems.append("metadata without an object event_payload")
    return problems


def view_problems(view: object) -> list[str]:
    """Block Kit problems of a view published to App Home."""
    if not isinstance(view, dict):
        return [f"view is a {type(view).__name__}, not an object"]
    problems = [] if view.get("type") == "home" else [f"view type {view.get('type')!r}, not 'home'"]
    return problems + block_problems(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS)


@dataclass(frozen=True)
class _Request:
    path: str
    query: str
    content_type: str
    authorization: str | None
    body: bytes


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: dict[str, Any], **headers: str) -> _Reply:
        headers["Content-Type"] = "application/json; charset=utf-8"
        return cls(status, json.dumps(payload).encode(), headers)


@dataclass(frozen=True)
class _Fault:
    status: int
    error: str
    retry_after: int | None = None


class FakeSlack:
    """A recording, validating Slack Web API and response URL endpoint on 127.0.0.1."""

    def __init__(self) -> None:
        self._server = _Server(self)
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._calls: list[Call] = []
        self._violations: list[str] = []
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._threads: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self._sequence = 0
        port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{port}"
        self.base_url = f"{self.origin}/api/"

    # -- lifecycle

    def start(self) -> FakeSlack:
        """Serve requests in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- what was sent

    @property
    def calls(self) -> list[Call]:
        """Every call so far, in the order answered."""
        with self._changed:
            return list(self._calls)

    @property
    def violations(self) -> list[str]:
        """Every way a call broke the Web API spec or Block Kit limits."""
        with self._changed:
            return list(self._violations)

    def calls_to(self, method: str) -> list[Call]:
        """The calls to one method (``"response_url"`` for response URL posts)."""
        return [call for call in self.calls if call.method == method]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The params of the chat.postMessage calls answered ok, optionally in one channel."""
        return [
            call.params
            for call in self.calls_to("chat.postMessage")
            if call.response.get("ok") and channel in (None, call.params.get("channel"))
        ]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until ``count`` calls to ``method`` were answered; return the calls to it."""
        with self._changed:
            done = self._changed.wait_for(
                lambda: sum(call.method == method for call in self._calls) >= count, timeout
            )
            calls = [call for call in self._calls if call.method == method]
            if not done:
                seen = [call.method for call in self._calls]
                raise AssertionError(
                    f"{len(calls)} of {count} {method} calls after {timeout}s; calls: {seen}"
                )
            return calls

    def assert_clean(self) -> None:
        """Raise AssertionError listing the violations, if any."""
        if violations := self.violations:
            listed = "\n".join(f"- {violation}" for violation in violations)
            raise AssertionError(f"Slack API violations:\n{listed}")

    def reset(self) -> None:
        """Forget calls, violations and pending faults (timestamps keep increasing, and the
        messages posted stay in their threads, as in Slack)."""
        with self._changed:
            self._calls.clear()
            self._violations.clear()
            self._faults.clear()

    # -- faults and response URLs

    def fail_next(self, method: str, error: str = "channel_not_found", times: int = 1) -> None:
        """Answer the next calls with HTTP 200 ``{"ok": false, "error": error}``.

        For ``"response_url"``, HTTP 404 with ``error`` as plain text (``expired_url``, say).
        """
        self._add_fault(method, _Fault(200, error), times)

    def rate_limit_next(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """Answer the next calls with HTTP 429, a ``Retry-After`` header and ``ratelimited``."""
        self._add_fault(method, _Fault(429, "ratelimited", retry_after), times)

    def server_error_next(self, method: str, status: int = 503, times: int = 1) -> None:
        """Answer the next calls with an HTTP server error."""
        self._add_fault(method, _Fault(status, "fatal_error"), times)

    def response_url(self, name: str) -> str:
        """A response URL to put in a payload; posts to it are recorded as ``response_url``."""
        return f"{self.origin}/response/{name}"

    def _add_fault(self, method: str, fault: _Fault, times: int) -> None:
        with self._changed:
            self._faults[method].extend([fault] * times)

    # -- answering

    def _dispatch(self, request: _Request) -> _Reply:
        if request.path.startswith("/api/"):
            return self._api_call(request.path.removeprefix("/api/"), request)
        if request.path.startswith("/response/"):
            return self._response_url_post(request.path.removeprefix("/response/"), request)
        self._violate(f"{request.path}: neither /api/<method> nor a response URL")
        return _Reply(404, b"not found")

    def _violate(self, violation: str) -> None:
        with self._changed:
            self._violations.append(violation)
            self._changed.notify_all()

    def _api_call(self, method: str, request: _Request) -> _Reply:
        params, problems = _parse_params(request)
        token = _bearer_token(request.authorization) or params.pop("token", None)
        error, spec_problems = _check_against_spec(method, params, token)
        problems += spec_problems
        if method in MESSAGE_METHODS:
            problems += message_problems(params)
            problems += metadata_problems(params.get("metadata"))
        elif method == "views.publish" and "view" in params:
            problems += view_problems(params["view"])
        response: dict[str, Any]
        with self._changed:
            fault = self._take_fault(method)
            if fault is not None:
                status, response = fault.status, {"ok": False, "error": fault.error}
            elif error is not None:
                status, response = 200, {"ok": False, "error": error}
            else:
                status, response = 200, self._success(method, params)
            self._record(Call(method, params, token, status, response), problems)
        headers = {"Retry-After": str(fault.retry_after)} if fault and fault.retry_after else {}
        return _Reply.json(status, response, **headers)

    def _response_url_post(self, name: str, request: _Request) -> _Reply:
        params, problems = _parse_params(request)
        problems += message_problems(params)
        with self._changed:
            fault = self._take_fault(RESPONSE_URL)
            response: dict[str, Any]
            if fault is None:
                status, text, response = 200, "ok", {"ok": True}
            else:
                status = 404 if fault.status == 200 else fault.status
                text, response = fault.error, {"ok": False, "error": fault.error}
            call = Call(RESPONSE_URL, params, None, status, response, response_name=name)
            self._record(call, problems)
        headers = {"Content-Type": "text/plain; charset=utf-8"}
        if fault is not None and fault.retry_after:
            headers["Retry-After"] = str(fault.retry_after)
        return _Reply(status, text.encode(), headers)

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    def _record(self, call: Call, problems: list[str]) -> None:
        self._calls.append(call)
        self._violations += [f"{call.method}: {problem}" for problem in problems]
        self._changed.notify_all()

    def _next_ts(self) -> str:
        self._sequence += 1
        micros = _FIRST_TS_MICROS + 100 * self._sequence
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _success(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        channel = params.get("channel")
        if method == "auth.test":
            return {
                "ok": True,
                "url": TEAM_URL,
                "team": TEAM_NAME,
                "user": BOT_USER_NAME,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            echoed: dict[str, Any] = {
                k: params[k] for k in ("blocks", "attachments", "thread_ts") if k in params
            }
            message: dict[str, Any] = {
                "bot_id": BOT_ID,
                "type": "message",
                "text": params.get("text", ""),
                "user": BOT_USER_ID,
                "ts": ts,
                "team": TEAM_ID,
                "app_id": APP_ID,
                **echoed,
            }
            if isinstance(params.get("metadata"), dict):
                message["metadata"] = params["metadata"]
            self._threads[(str(channel), str(params.get("thread_ts") or ts))].append(message)
            return {"ok": True, "channel": channel, "ts": ts, "message": message}
        if method == "conversations.replies":
            return self._replies(str(channel), str(params["ts"]), params)
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "chat.update":
            return {"ok": True, "channel": channel, "ts": params["ts"], "text": params.get("text")}
        if method == "chat.getPermalink":
            permalink = f"{TEAM_URL}archives/{channel}/p{params['message_ts'].replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": permalink}
        if method == "views.publish" and isinstance(params["view"], dict):
            return {"ok": True, "view": self._published_view(params["view"])}
        return {"ok": True}

    def _replies(self, channel: str, ts: str, params: dict[str, Any]) -> dict[str, Any]:
        """A thread as conversations.replies answers it: the messages posted through the fake
        in the thread of `ts`, oldest first (people's messages are not known to the fake, so
        the parent is only there when the bot posted it). Metadata only when asked for, as in
        Slack; pages of `limit` with a cursor."""
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        thread = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in self._threads.get((channel, ts), [])
        ]
        limit = int(params.get("limit") or 1000)
        start = int(params.get("cursor") or 0)
        page = thread[start : start + limit]
        more = start + limit < len(thread)
        return {
            "ok": True,
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _published_view(self, view: dict[str, Any]) -> dict[str, Any]:
        view_hash = self._next_ts()
        view_id = f"V0VIEW{self._sequence:04d}"
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view.get("type"),
            "blocks": view.get("blocks", []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "external_id": view.get("external_id", ""),
            "state": {"values": {}},
            "hash": view_hash,
            "root_view_id": view_id,
            "previous_view_id": None,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
        }


def _check_against_spec(
    method: str, params: dict[str, Any], token: str | None
) -> tuple[str | None, list[str]]:
    """The error Slack would answer (or None), and every way the call breaks the spec."""
    spec = web_api_methods().get(method)
    if spec is None:
        return "unknown_method", ["not a method of the Web API spec"]
    error = None
    problems = []
    if spec.token_required and not token:
        error = "not_authed"
        problems.append("no token (Authorization: Bearer header)")
    missing = sorted(name for name in spec.required if params.get(name) in (None, ""))
    if missing:
        error = error or "invalid_arguments"
        problems.append(f"missing required parameter(s) {', '.join(missing)}")
    allowed = spec.params | NEWER_PARAMS | NEWER_METHOD_PARAMS.get(method, frozenset())
    unknown = sorted(set(params) - allowed)
    if unknown:
        problems.append(f"parameter(s) not in the spec: {', '.join(unknown)}")
    return error, problems


def _parse_params(request: _Request) -> tuple[dict[str, Any], list[str]]:
    """Query and body parameters as slack_sdk sends them, JSON strings decoded."""
    params: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
    problems = []
    text = request.body.decode("utf-8")
    if request.content_type.startswith("application/json"):
        try:
            body = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError:
            body = None
        if isinstance(body, dict):
            params.update(body)
        else:
            problems.append("the JSON body is not an object")
    elif text and request.content_type.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(text, keep_blank_values=True))
    elif text:
        problems.append(f"unsupported Content-Type {request.content_type!r}")
    for name in JSON_PARAMS:
        if isinstance(params.get(name), str):
            try:
                params[name] = json.loads(params[name])
            except json.JSONDecodeError:
                problems.append(f"{name} is not valid JSON")
    return params, problems


def _bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if len(body) < length:
            # The client went away mid-request (a replica killed while posting): Slack
            # would never see this call, so neither is it recorded nor checked.
            self.close_connection = True
            return
        request = _Request(
            path=url.path,
            query=url.query,
            content_type=self.headers.get("Content-Type", ""),
            authorization=self.headers.get("Authorization"),
            body=body,
        )
        try:
            reply = self.server.fake._dispatch(request)
        except Exception as exc:  # a bug in the fake or a request it cannot read
            self.server.fake._violate(f"{request.path}: the fake failed: {exc!r}")
            reply = _Reply.json(500, {"ok": False, "error": "fatal_error"})
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

"""Copy into tests/slack_specs/ the part of ../shared/slack-specs that the tests use.

    python benchmarks/vendor_slack_specs.py            # rewrite tests/slack_specs/
    python benchmarks/vendor_slack_specs.py --check    # exit 1 when it would change anything

The tests read only the copy, so a fresh clone passes `make test` with nothing beside it. The
trimming keeps the JSON structure the tests read and is deterministic: the same source gives
byte-identical files. To use one more Web API method, event or payload shape in the tests, add
it to the lists below and run the script again.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "slack-specs"
TARGET = REPO / "tests" / "slack_specs"

# Web API methods: those the bot calls (auth.test through slack_bolt, chat.postMessage,
# chat.getPermalink, conversations.replies, views.publish), and those tests/fake_slack.py
# answers or knows newer parameters of. A method left out is "unknown_method" to the fake.
WEB_API_METHODS = (
    "auth.test",
    "chat.getPermalink",
    "chat.postEphemeral",
    "chat.postMessage",
    "chat.unfurl",
    "chat.update",
    "conversations.replies",
    "views.open",
    "views.publish",
)
# Events API topics: the bot events of manifest.json that the events spec has
# (app_home_opened is newer than the spec).
EVENT_TOPICS = ("message.channels", "message.groups", "reaction.added", "reaction.removed")
# Payload shapes that tests/slack_payloads.py builds payloads on.
PAYLOAD_SHAPES = (
    "AppHomeOpenedPayload",
    "MessageChangedPayload",
    "MessagePayload",
    "MessageThreadBroadcastPayload",
    "ReactionAddedPayload",
    "ReactionRemovedPayload",
    "SlashCommandPayload",
)
# Copied byte for byte.
WHOLE_FILES = (
    "LICENSE.manifest-schema",
    "LICENSE.slack-api-specs",
    "manifest.schema.1.0.0.json",
    "payload-shapes/LICENSE.java-slack-sdk",
    *(f"payload-shapes/{name}.json" for name in PAYLOAD_SHAPES),
)

README = """\
# Slack's own definitions, trimmed to what the tests use

Written by `benchmarks/vendor_slack_specs.py` from `../shared/slack-specs/`; do not edit by
hand: change the script's lists and run it again (`--check` tells whether this copy is current).
The trimmed JSON files are written as the source is (4-space indent, keys in source order).

- `web_api_openapi_v2.json`: slackapi/slack-api-specs, `web-api/slack_web_openapi_v2.json`
  (last updated 2021), MIT (`LICENSE.slack-api-specs`). Trimmed: `paths` kept only for
  {methods}; `definitions` kept only where a kept path refers to them, directly or through
  another definition; every other key as in the source.
- `events_api_async_v1.json`: slackapi/slack-api-specs, `events-api/` (AsyncAPI 1.2), MIT
  (`LICENSE.slack-api-specs`). Trimmed: `topics` kept only for {topics};
  `components.schemas` kept only where a kept topic refers to them; every other key as in the
  source.
- `manifest.schema.1.0.0.json`: slackapi/manifest-schema, MIT (`LICENSE.manifest-schema`).
  Not trimmed.
- `payload-shapes/*.json`: slackapi/java-slack-sdk, `json-logs/samples` (values blanked), MIT
  (`payload-shapes/LICENSE.java-slack-sdk`). Only the shapes `tests/slack_payloads.py` loads;
  each file as in the source.
"""


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` in a JSON document, depth first."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _referenced(kept: Any, table: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The entries of ``table`` that ``kept`` refers to as ``prefix + name``, transitively,
    in the table's order."""
    names: set[str] = set()
    pending = list(_refs(kept))
    while pending:
        ref = pending.pop()
        if not ref.startswith(prefix):
            raise ValueError(f"a $ref outside {prefix}: {ref}")
        name = ref.removeprefix(prefix)
        if name not in names:
            names.add(name)
            pending += _refs(table[name])
    return {name: value for name, value in table.items() if name in names}


def _select(table: dict[str, Any], keys: tuple[str, ...], what: str) -> dict[str, Any]:
    missing = sorted(set(keys) - set(table))
    if missing:
        raise SystemExit(f"not in the source's {what}: {', '.join(missing)}")
    return {key: value for key, value in table.items() if key in keys}


def trim_web_api(spec: dict[str, Any]) -> dict[str, Any]:
    paths = _select(spec["paths"], tuple(f"/{m}" for m in WEB_API_METHODS), "paths")
    definitions = _referenced(paths, spec["definitions"], "#/definitions/")
    return {
        key: paths if key == "paths" else definitions if key == "definitions" else value
        for key, value in spec.items()
    }


def trim_events(spec: dict[str, Any]) -> dict[str, Any]:
    topics = _select(spec["topics"], EVENT_TOPICS, "topics")
    schemas = _referenced(topics, spec["components"]["schemas"], "#/components/schemas/")
    components = {**spec["components"], "schemas": schemas}
    return {
        key: topics if key == "topics" else components if key == "components" else value
        for key, value in spec.items()
    }


def _dump(data: Any) -> bytes:
    return (json.dumps(data, indent=4) + "\n").encode()


def vendored(source: Path) -> dict[str, bytes]:
    """The files of the trimmed copy, by path relative to it."""

    def load(name: str) -> Any:
        return json.loads((source / name).read_text(encoding="utf-8"))

    files = {name: (source / name).read_bytes() for name in WHOLE_FILES}
    files["web_api_openapi_v2.json"] = _dump(trim_web_api(load("web_api_openapi_v2.json")))
    files["events_api_async_v1.json"] = _dump(trim_events(load("events_api_async_v1.json")))
    methods = ", ".join(f"`{m}`" for m in WEB_API_METHODS)
    topics = ", ".join(f"`{t}`" for t in EVENT_TOPICS)
    files["README.md"] = README.format(methods=methods, topics=topics).encode()
    return dict(sorted(files.items()))


def _present(target: Path) -> set[str]:
    if not target.is_dir():
        return set()
    return {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="../shared/slack-specs")
    parser.add_argument("--target", type=Path, default=TARGET, help="tests/slack_specs")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)

    files = vendored(args.source)
    present = _present(args.target)
    stale = sorted(
        name
        for name, data in files.items()
        if name not in present or (args.target / name).read_bytes() != data
    )
    extra = sorted(present - set(files))
    if args.check:
        for name in stale:
            print(f"stale: {args.target / name}")
        for name in extra:
            print(f"not vendored: {args.target / name}")
        return 1 if stale or extra else 0
    for name in extra:
        (args.target / name).unlink()
    for name in stale:
        path = args.target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
    total = sum(len(data) for data in files.values())
    print(
        f"{args.target}: {len(files)} files, {total / 1024:.0f} KiB; "
        f"{len(stale)} written, {len(extra)} removed"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

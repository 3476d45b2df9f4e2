"""Write docs/samples/: what the bot posts about the five seed articles, from the real views.

    python benchmarks/render_samples.py                 # docs/samples/*, the README's excerpts
    python benchmarks/render_samples.py --out /tmp/s    # somewhere else

The seeds are served as pages of their outlets by a local news site (tests/news_site.py) and
posted one by one as links in a channel, as a reporter would: each thread reply is what the
message listener builds (handlers.messages), the digest is what the scheduler posts
(bot.views.digest.render_digest over DigestService.build) and App Home is what
handlers.home publishes. Slack itself is replaced by a stub that records the messages, so the
script needs no token and no network. Re-run it after changing the views; the README shows
the samples it writes.

For each message it writes a Markdown rendering (Slack's mrkdwn turned into Markdown: links as
links, emoji as shortcodes, which GitHub shows), an HTML page styled like a Slack message and
the Block Kit JSON as sent (Slack's Block Kit Builder displays it); with a Chromium on the
machine (`apt-get install chromium fonts-noto-color-emoji`) also a PNG of each HTML page.
The README's excerpts, between `<!-- sample:NAME -->` and `<!-- /sample -->`, are rewritten
(`--no-readme` leaves them).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.*` is not installed: import it from the repo root
    sys.path.insert(0, str(ROOT))

from bot.services import build_services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.views.digest import render_digest  # noqa: E402
from handlers.home import handle_app_home_opened  # noqa: E402
from handlers.messages import _reply  # noqa: E402
from tests.news_site import OUTLETS, news_site  # noqa: E402

CHANNEL = "C0DESK0001"
EDITOR = "U0EDITOR01"
SHOWN_BASE = "https://news.example"  # the local site's address, as shown in the samples
HEADER = "<!-- Written by `python benchmarks/render_samples.py` from the seeds; do not edit. -->\n"


@dataclass
class StubSlack:
    """The two Web API calls the listeners make here: a permalink and publishing App Home."""

    views: list[dict[str, Any]] = field(default_factory=list)

    def chat_getPermalink(self, *, channel: str, message_ts: str) -> dict[str, Any]:
        return {"permalink": f"https://example.slack.com/archives/{channel}/p{message_ts}"}

    def views_publish(self, *, user_id: str, view: dict[str, Any]) -> dict[str, Any]:
        self.views.append(view)
        return {"ok": True}


# mrkdwn -> Markdown ---------------------------------------------------------------------------

_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_BARE = re.compile(r"<((?:https?|mailto):[^<>|]+)>")
_MENTION = re.compile(r"<([#@])([A-Z0-9]+)(?:\|([^<>]*))?>")
_DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")


def markdown(mrkdwn: str) -> str:
    """Slack mrkdwn as GitHub Markdown: links as [label](url), bold and italic converted."""
    text = _DATE.sub(r"\1", mrkdwn)
    text = _MENTION.sub(lambda m: m.group(1) + (m.group(3) or m.group(2)), text)
    text = _LINK.sub(lambda m: f"[{m.group(2)}]({m.group(1)})", text)
    text = _BARE.sub(lambda m: f"<{m.group(1)}>", text)
    text = _BOLD.sub(r"**\1**", text)
    text = _ITALIC.sub(r"*\1*", text)
    text = _STRIKE.sub(r"~~\1~~", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _text(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    value = str(obj.get("text", ""))
    return markdown(value) if obj.get("type") == "mrkdwn" else value


def blocks_markdown(blocks: list[dict[str, Any]]) -> list[str]:
    """One Markdown paragraph per block, in order."""
    out: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            out.append(f"**{_text(block.get('text'))}**")
        elif kind == "section":
            parts = [_text(block.get("text"))]
            parts += [_text(f) for f in block.get("fields", [])]
            out.append("\n".join(p for p in parts if p).replace("\n", "  \n"))
        elif kind == "context":
            shown = " · ".join(_text(e) for e in block.get("elements", []))
            out.append("<sub>" + shown.replace("\n", "<br>") + "</sub>")
        elif kind == "divider":
            out.append("---")
        elif kind == "actions":
            out.append(" ".join(f"`[{_text(e.get('text'))}]`" for e in block["elements"]))
        else:
            out.append(f"*({kind} block)*")
    return out


def _quoted(blocks: list[dict[str, Any]]) -> str:
    """The blocks as one Markdown block quote."""
    lines: list[str] = []
    for paragraph in blocks_markdown(blocks):
        lines += [*(f"> {line}" if line else ">" for line in paragraph.splitlines()), ">"]
    return "\n".join(lines[:-1]) + "\n"


def message_markdown(title: str, blocks: list[dict[str, Any]]) -> str:
    """A message as a quoted block under a title."""
    return f"#### {title}\n\n" + _quoted(blocks)


# mrkdwn and Block Kit -> HTML, and a screenshot of it ------------------------------------------

EMOJI = {
    "new": "🆕",
    "link": "🔗",
    "scissors": "✂️",
    "repeat": "🔁",
    "warning": "⚠️",
    "calendar": "📆",
    "straight_ruler": "📏",
    "white_check_mark": "✅",
    "arrows_counterclockwise": "🔄",
    "triangular_flag_on_post": "🚩",
}
_EMOJI = re.compile(r":([a-z0-9_+-]+):")
_CSS = """
body { margin: 0; background: #fff; font: 15px/1.47 -apple-system, "Segoe UI", "Noto Sans",
  "DejaVu Sans", sans-serif; color: #1d1c1d; }
.message { display: flex; gap: 8px; padding: 8px 20px; width: 720px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #1264a3; color: #fff;
  font-weight: 700; display: flex; align-items: center; justify-content: center; flex: none; }
.name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061;
  padding: 1px 3px; border-radius: 2px; margin-left: 4px; vertical-align: 2px; }
.time { color: #616061; font-size: 12px; margin-left: 6px; }
.header { font-size: 18px; font-weight: 900; margin: 6px 0; }
.section { margin: 4px 0; white-space: normal; }
.context { color: #616061; font-size: 12px; margin: 4px 0; }
hr { border: 0; border-top: 1px solid #ddd; margin: 10px 0; }
a { color: #1264a3; text-decoration: none; }
code { background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px;
  color: #e01e5a; font-size: 12px; }
.home { width: 720px; padding: 16px 24px; background: #fff; }
.thread { color: #616061; font-size: 13px; padding: 4px 20px 0 64px; }
"""


def mrkdwn_html(mrkdwn: str) -> str:
    """Slack mrkdwn as HTML (already escaped: &amp; &lt; &gt; stay as they are)."""
    text = _DATE.sub(r"\1", mrkdwn)
    text = _MENTION.sub(lambda m: f'<a href="#">{m.group(1)}{m.group(3) or m.group(2)}</a>', text)
    text = _LINK.sub(lambda m: f'<a href="{m.group(1)}">{m.group(2)}</a>', text)
    text = _BARE.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    text = _ITALIC.sub(r"<i>\1</i>", text)
    text = _STRIKE.sub(r"<s>\1</s>", text)
    text = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", text)
    text = _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    return text.replace("\n", "<br>")


def _html_text(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    value = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_html(value)
    return _EMOJI.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), html.escape(value))


def blocks_html(blocks: list[dict[str, Any]]) -> str:
    out = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            out.append(f'<div class="header">{_html_text(block.get("text"))}</div>')
        elif kind == "section":
            parts = [_html_text(block.get("text"))]
            parts += [_html_text(f) for f in block.get("fields", [])]
            out.append(f'<div class="section">{"<br>".join(p for p in parts if p)}</div>')
        elif kind == "context":
            shown = " · ".join(_html_text(e) for e in block.get("elements", []))
            out.append(f'<div class="context">{shown}</div>')
        elif kind == "divider":
            out.append("<hr>")
        else:
            out.append(f'<div class="context">({html.escape(str(kind))} block)</div>')
    return "\n".join(out)


def message_html(blocks: list[dict[str, Any]], *, note: str = "") -> str:
    """One bot message as Slack shows it in a channel (an approximation: Slack's own fonts and
    emoji differ)."""
    thread = f'<div class="thread">{html.escape(note)}</div>' if note else ""
    return (
        f'{thread}<div class="message"><div class="avatar">N</div><div>'
        '<div><span class="name">newsroom</span><span class="app">APP</span>'
        '<span class="time">9:00 AM</span></div>'
        f"{blocks_html(blocks)}</div></div>"
    )


def page_html(body: str) -> str:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><style>{_CSS}</style></head>'
        f'<body><div id="page" style="display:inline-block">{body}</div>'
        "<script>document.title = document.getElementById('page').scrollHeight;</script>"
        "</body></html>\n"
    )


def browser() -> str | None:
    """A headless-capable Chromium on this machine (`apt-get install chromium`), if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(chrome: str, page: Path, png: Path, width: int = 760) -> None:
    """`page` rendered by headless Chromium into `png`, as tall as its content."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run(
        [chrome, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    found = re.search(r"<title>(\d+)</title>", dom)
    height = int(found.group(1)) + 16 if found else 1200
    subprocess.run(
        [chrome, *flags, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
        capture_output=True,
        timeout=60,
        check=True,
    )


# the messages ---------------------------------------------------------------------------------


def _shown(value: Any, base: str) -> Any:
    """`value` with the local site's address replaced by SHOWN_BASE (JSON round trip)."""
    return json.loads(json.dumps(value).replace(base, SHOWN_BASE))


def render(out: Path) -> tuple[list[Path], dict[str, str]]:
    """Post the seeds, build the digest and App Home, and write the samples into `out`;
    returns the files written and the README's excerpts."""
    seed_texts = {p.name: p.read_text() for p in sorted((ROOT / "seeds").glob("0*.txt"))}
    logger = logging.getLogger("render_samples")
    slack = StubSlack()
    replies: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp, news_site(seed_texts) as base:
        settings = Settings(database_url=f"sqlite:///{tmp}/samples.db", allow_private_fetch=True)
        services = build_services(settings)
        for n, name in enumerate(sorted(seed_texts)):
            slug = name[:3]
            ts = f"1718870{400 + n}.000100"
            outcome = services.links.post_link(
                channel=CHANNEL, ts=ts, thread_ts=None, url=f"{base}/world/{slug}"
            )
            message = _reply(outcome, slack, logger)  # type: ignore[arg-type]
            posted = {"text": message.text, "blocks": message.blocks}
            replies.append((OUTLETS.get(slug, slug), _shown(posted, base)))
        now = datetime.now(UTC)
        digest = services.digest.build(since=now - timedelta(hours=24), until=now)
        digest_posts = [
            _shown({"text": m.text, "blocks": m.blocks}, base) for m in render_digest(digest, False)
        ]
        handle_app_home_opened(
            {"type": "app_home_opened", "user": EDITOR, "tab": "home"},
            slack,  # type: ignore[arg-type]
            services,
            logger,
        )
        home = _shown(slack.views[-1], base)
        services.ingest.engine.dispose()
        services.inbox_engine.dispose()

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def write(name: str, text: str) -> None:
        path = out / name
        path.write_text(text)
        written.append(path)

    intro = (
        "The five seed articles posted one after the other in a channel, each link from its "
        "outlet's page.\n\n"
    )
    write(
        "thread_replies.md",
        HEADER
        + "# Thread replies\n\n"
        + intro
        + "\n".join(
            message_markdown(f"{i}. A link to {outlet}", r["blocks"])
            for i, (outlet, r) in enumerate(replies, 1)
        ),
    )
    write("thread_replies.json", json.dumps([r for _, r in replies], indent=2) + "\n")
    parts = [HEADER + "# The digest\n\n" + intro.replace(".\n\n", ", then the daily digest.\n\n")]
    for i, post in enumerate(digest_posts):
        title = "The digest message" if i == 0 else f"Its thread reply {i}"
        parts.append(message_markdown(title, post["blocks"]))
    write("digest.md", "\n".join(parts))
    write("digest.json", json.dumps(digest_posts, indent=2) + "\n")
    write(
        "app_home.md",
        HEADER + "# App Home\n\n" + intro + message_markdown("The Home tab", home["blocks"]),
    )
    write("app_home.json", json.dumps(home, indent=2) + "\n")
    pages = {
        "thread_reply": message_html(replies[1][1]["blocks"], note="reply in the thread of a link"),
        "digest": "".join(
            message_html(p["blocks"], note="" if i == 0 else "reply in the digest's thread")
            for i, p in enumerate(digest_posts)
        ),
        "app_home": f'<div class="home">{blocks_html(home["blocks"])}</div>',
    }
    for name, body in pages.items():
        write(f"{name}.html", page_html(body))
    # The README shows the reply with conflicts (the second link), the digest's parent message
    # and App Home.
    excerpts = {
        "thread_reply": _quoted(replies[1][1]["blocks"]),
        "digest": _quoted(digest_posts[0]["blocks"]),
        "app_home": _quoted(home["blocks"]),
    }
    chrome = browser()
    if chrome is None:
        print(
            "no Chromium found (apt-get install chromium): docs/samples/*.png not redrawn",
            file=sys.stderr,
        )
    else:
        for name in pages:
            screenshot(chrome, out / f"{name}.html", out / f"{name}.png")
            written.append(out / f"{name}.png")
    return written, excerpts


_MARKED = re.compile(r"(<!-- sample:(\w+) -->\n).*?(<!-- /sample -->)", re.DOTALL)


def update_readme(readme: Path, samples: dict[str, str]) -> bool:
    """Replace what stands between each `<!-- sample:NAME -->` and `<!-- /sample -->` in the
    README with that sample; True when the README changed."""
    text = readme.read_text()

    def fill(match: re.Match[str]) -> str:
        return match.group(1) + samples[match.group(2)] + match.group(3)

    updated = _MARKED.sub(fill, text)
    if updated != text:
        readme.write_text(updated)
    return updated != text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "samples")
    parser.add_argument(
        "--no-readme", action="store_true", help="Leave the README's excerpts as they are."
    )
    args = parser.parse_args()
    paths, excerpts = render(args.out)
    for path in paths:
        print(path)
    if not args.no_readme and update_readme(ROOT / "README.md", excerpts):
        print(ROOT / "README.md")


if __name__ == "__main__":
    main()

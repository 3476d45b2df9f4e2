"""Thin Slack listeners: parse the payload, call one service, respond.

`register(app)` wires each listener in one line; every listener is a plain function that
imports without an App and gets `services`, `poster` and `settings` from the context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from handlers.commands import handle_newsroom
from handlers.home import handle_app_home_opened
from handlers.messages import handle_message
from handlers.middleware import HANDLED_EVENTS, claim_event
from handlers.posting import deliver_post
from handlers.reactions import handle_reaction_added, handle_reaction_removed

Listener = Callable[..., Any]
Wrap = Callable[[Listener], Listener]


def _inline(listener: Listener) -> Listener:
    return listener


__all__ = ["HANDLED_EVENTS", "deliver_post", "register"]


def register(
    app: App, *, message: Wrap = _inline, event: Wrap = _inline, command: Wrap = _inline
) -> None:
    """Wire the listeners; `message`, `event` and `command` wrap them (e.g. to run off the
    request, each kind on its own pool). The event types are handlers.HANDLED_EVENTS."""
    app.use(claim_event)  # after the app's own middleware, which puts services in the context
    app.event("message")(message(handle_message))
    app.event("reaction_added")(event(handle_reaction_added))
    app.event("reaction_removed")(event(handle_reaction_removed))
    app.event("app_home_opened")(event(handle_app_home_opened))
    app.command("/newsroom")(command(handle_newsroom))

"""register(app): one line per listener, the middleware first, wrappers applied."""

from __future__ import annotations

from unittest.mock import Mock, call

from slack_bolt import App

import handlers
from handlers.commands import handle_newsroom
from handlers.home import handle_app_home_opened
from handlers.messages import handle_message
from handlers.middleware import claim_event
from handlers.reactions import handle_reaction_added, handle_reaction_removed

EVENTS = [
    ("message", handle_message),
    ("reaction_added", handle_reaction_added),
    ("reaction_removed", handle_reaction_removed),
    ("app_home_opened", handle_app_home_opened),
]


def _app() -> tuple[Mock, list[Mock], list[Mock]]:
    """A spec'd App whose event() and command() hand out a recorded registrar each."""
    app, events, commands = Mock(spec=App), [], []

    def registrar(made: list[Mock]) -> Mock:
        made.append(Mock())
        return made[-1]

    app.event.side_effect = lambda name: registrar(events)
    app.command.side_effect = lambda name: registrar(commands)
    return app, events, commands


def test_each_listener_is_registered_once_for_its_event_or_command():
    app, events, commands = _app()

    handlers.register(app)

    assert app.use.call_args_list == [call(claim_event)]
    assert app.event.call_args_list == [call(name) for name, _ in EVENTS]
    for (_, listener), registrar in zip(EVENTS, events, strict=True):
        assert registrar.call_args == call(listener)
    assert app.command.call_args_list == [call("/newsroom")]
    assert commands[0].call_args == call(handle_newsroom)


def test_the_wrappers_are_applied_messages_events_and_commands_apart():
    """Messages (which fetch links) are wrapped apart from the other events and commands."""
    app, events, commands = _app()
    message = Mock(side_effect=lambda listener: ("message", listener))
    event = Mock(side_effect=lambda listener: ("event", listener))
    command = Mock(side_effect=lambda listener: ("command", listener))

    handlers.register(app, message=message, event=event, command=command)

    assert message.call_args_list == [call(handle_message)]
    assert event.call_args_list == [call(listener) for _, listener in EVENTS[1:]]
    assert command.call_args_list == [call(handle_newsroom)]
    wrapped = ["message"] + ["event"] * (len(EVENTS) - 1)
    for (_, listener), kind, registrar in zip(EVENTS, wrapped, events, strict=True):
        assert registrar.call_args == call((kind, listener))
    assert commands[0].call_args == call(("command", handle_newsroom))

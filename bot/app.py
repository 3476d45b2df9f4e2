"""The Bolt app factory: an App wired to the services, making no call to Slack while built."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

import handlers
from bot.services import Services
from bot.settings import Settings
from bot.slack import ChannelThrottle, SlackPoster, make_client


class ConfigError(Exception):
    """Settings missing for the requested mode; str() says which."""


def create_app(settings: Settings, services: Services, *, client: WebClient | None = None) -> App:
    """A Bolt App whose listeners get `services`, `poster` and `settings` from the context."""
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise ConfigError(
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see README: Connect to Slack)"
        )
    client = client or make_client(settings)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        token_verification_enabled=False,  # no auth.test at construction
        logger=logging.getLogger("newsroom.slack"),
    )
    poster = SlackPoster(client, ChannelThrottle(settings.post_interval))

    def inject(context: BoltContext, next: Callable[[], Any]) -> Any:
        context["services"] = services
        context["poster"] = poster
        context["settings"] = settings
        return next()

    app.use(inject)
    handlers.register(app)
    return app


def app_poster(app: App, settings: Settings) -> SlackPoster:
    """A poster on the app's client, for the scheduler."""
    return SlackPoster(app.client, ChannelThrottle(settings.post_interval))

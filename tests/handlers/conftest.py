"""Fixtures for the listeners' unit tests: Services of spec'd mocks, a poster and a logger."""

from __future__ import annotations

import logging
from unittest.mock import Mock

import pytest

from bot.services import Services
from bot.services.alerts import AlertService
from bot.services.claims import ClaimService
from bot.services.digest import DigestService
from bot.services.events import EventLog
from bot.services.feeds import FeedService
from bot.services.flags import FlagService
from bot.services.ingest import IngestService
from bot.services.jobs import JobQueue
from bot.services.links import LinkService
from bot.services.outbox import Outbox
from bot.services.stories import StoryService
from bot.slack import SlackPoster


@pytest.fixture
def services() -> Services:
    """The real Services holder, each service a mock with its class's spec."""
    ingest = Mock(spec=IngestService)
    ingest.engine = Mock()
    ingest.engine.dialect.name = "sqlite"  # Services.backend
    flags = Mock(spec=FlagService)
    flags.emoji = "triangular_flag_on_post"  # an attribute: the spec does not give it
    return Services(
        ingest=ingest,
        stories=Mock(spec=StoryService),
        claims=Mock(spec=ClaimService),
        links=Mock(spec=LinkService),
        flags=flags,
        digest=Mock(spec=DigestService),
        events=Mock(spec=EventLog),
        jobs=Mock(spec=JobQueue),
        outbox=Mock(spec=Outbox),
        inbox_engine=Mock(),
        feeds=Mock(spec=FeedService),
        alerts=Mock(spec=AlertService),
    )


@pytest.fixture
def poster() -> Mock:
    return Mock(spec=SlackPoster, return_value="1700000000.000900")


@pytest.fixture
def logger() -> Mock:
    return Mock(spec=logging.Logger)

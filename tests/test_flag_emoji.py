"""The reaction the bot's messages name when they say how to flag is the first configured."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.services import build_services
from bot.settings import Settings
from bot.views.digest import digest_text, render_digest
from bot.views.replies import home_view


def test_the_first_configured_flag_reaction_is_the_one_named(tmp_path, seed_texts):
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path / 'n.db'}",
        flag_reactions=["eyes", "warning"],
    )
    services = build_services(settings)
    for text in seed_texts.values():
        services.ingest.ingest_text(text)
    now = datetime.now(UTC)

    digest = services.digest.build(since=now - timedelta(hours=1), until=now + timedelta(1))
    home = home_view(digest=digest, flagged=[], now=now, feeds=[])

    assert digest.flag_emoji == "eyes"
    assert "react with :eyes:" in digest_text(digest)
    assert all("triangular_flag_on_post" not in str(m.blocks) for m in render_digest(digest, False))
    assert "react with :eyes:" in str(render_digest(digest, False)[0].blocks)
    assert "react with :eyes:" in str(home) and "triangular_flag_on_post" not in str(home)

"""HTML pages built from the seed captures, as a news site would serve them."""

from __future__ import annotations

import html

from bot.core.extract import guess_title


def article_page(
    text: str,
    *,
    canonical: str | None = None,
    site: str = "Example News",
    author: str = "Jane Reporter",
    published: str = "2024-06-20T15:28:00+00:00",
) -> str:
    """A page with metadata, navigation and footer boilerplate around the article."""
    title = guess_title(text)
    paragraphs = "\n".join(
        f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip()
    )
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
{link}
<meta property="og:site_name" content="{html.escape(site)}">
<meta name="author" content="{html.escape(author)}">
<meta property="article:published_time" content="{published}">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article><h1>{html.escape(title)}</h1>
<p class="byline">By {html.escape(author)}</p>
{paragraphs}
</article></main>
<footer><p>© 2024 {html.escape(site)}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""

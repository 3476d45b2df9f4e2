"""Hypothesis strategies for hostile input: JSON values, Slack events, URL-like strings,
/newsroom command lines, number-heavy sentences and broken HTML.

Each structured strategy mixes realistic pieces (so the parsers get past their first checks)
with the odd ones that break parsers: surrogates, control characters, odd escapes, extreme
sizes and nesting.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# --- text -------------------------------------------------------------------------------------

# Any code point, lone surrogates included (json.loads('"\\ud800"') gives one, so Slack payloads
# and JSONL records can carry them).
ANY_CHAR = st.characters(exclude_categories=())
# Characters that mean something to the parsers under test.
SYNTAX_CHARS = st.sampled_from(
    [
        *"<>|&#%:/?.=@[]\\;,+-_~'\"`$€£¥₹()!*{} \t\r\n\x00\x0b\x0c\x1c\x85\xa0\u2028\u3000",
        *["\u202e", "\ufeff", "\u200b", "\ud800", "\udfff", "０", "٣", "१", "½", "²", "。"],
    ]
)
hostile_text = st.one_of(
    st.text(ANY_CHAR, max_size=80),
    st.text(st.one_of(SYNTAX_CHARS, st.characters(codec="ascii")), max_size=80),
)
label_text = st.text(st.one_of(SYNTAX_CHARS, st.characters(codec="utf-8")), max_size=10)

# --- JSON -------------------------------------------------------------------------------------

SLACK_KEYS = [
    "type", "subtype", "user", "bot_id", "bot_profile", "channel", "text", "blocks",
    "elements", "url", "ts", "thread_ts", "style", "block_id", "team", "app_id",
]  # fmt: skip
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities too (json.loads accepts them)
    hostile_text,
)
json_keys = st.one_of(st.sampled_from(SLACK_KEYS), hostile_text)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(json_keys, children, max_size=3),
    ),
    max_leaves=8,
)
json_objects = st.dictionaries(json_keys, json_values, max_size=5)

# --- URLs -------------------------------------------------------------------------------------

SCHEMES = [
    "http", "https", "HTTP", "hTtPs", "ftp", "file", "javascript", "mailto", "data", "",
    "ht tp", "http\t", "https\n", "slack", "h", "x-y",
]  # fmt: skip
SCHEME_SEPS = ["://", "://", "://", ":/", ":", ":///", "//", ":\\\\", ""]
SLACK_HOSTS = [
    "slack.com", "SLACK.COM", "app.slack.com", "files.slack.com", "a.b.slack.com",
    "slack-edge.com", "a.slack-edge.com", "slack-files.com", "slack-redir.net", "www.slack.com",
    "slack.com.", "ｓｌａｃｋ.com", "slack。com", "notslack.com", "slack.com.example.org",
    "slack.comm", "xslack-edge.com",
]  # fmt: skip
IP_HOSTS = [
    "127.0.0.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "127.1", "0", "256.256.256.256",
    "1.2.3.4.5", "[::1]", "[::ffff:127.0.0.1]", "[fe80::1%25eth0]", "[2001:db8::1]", "[::1",
    "::1]", "[v1.x]", "[]", "[zz::]", "[::1%]", "[1:2:3:4:5:6:7:8:9]", "::1",
]  # fmt: skip
ODD_HOSTS = [
    "", "bücher.de", "例え.jp", "xn--nxasmq6b.com", "xn--.com", "xn--zz.com", "a" * 64 + ".com",
    ".".join(["a" * 60] * 5), "..", ".com", "a..b", "exa mple.com", "exa_mple.com",
    "-a-.com", "①.com", "ＥＸＡＭＰＬＥ.com", "example.com..", "a%2eb.com", "google.com",
    "www.google.co.uk", "www-example-com.cdn.ampproject.org", "www.m.amp.example.com",
]  # fmt: skip
domain_labels = st.one_of(
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
    st.sampled_from(["www", "m", "mobile", "amp", "com", "co", "uk", "news"]),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
)
hosts = st.one_of(
    st.lists(domain_labels, min_size=1, max_size=4).map(".".join),
    st.sampled_from(SLACK_HOSTS + IP_HOSTS + ODD_HOSTS),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda ip: f"[{ip}]"),
    label_text,
)
USERINFO = ["", "", "", "user@", "user:pass@", "@", "a@b@", ":@", "us er@", "slack.com@"]
PORTS = [
    "", "", "", ":80", ":443", ":8080", ":0", ":65535", ":65536", ":-1", ":abc", ":",
    ":٨٠", ":+80", ": 80", ":0443", ":99999999999999999999",
]  # fmt: skip
PATH_SEGMENTS = [
    "", ".", "..", "amp", "story.amp", "story.amp.html", ".amp", "%2e%2e", "%2E", "%", "%zz",
    "%41", "%2F", "%00", "%7e", "%C3%BC", "%ff", "a b", "ü", "\u202e", "~x", "story-123",
    "a;b=c", "@", ":", "AMP", "%61mp", "s", "c", "news", "2024",
]  # fmt: skip
QUERY_PAIRS = [
    "utm_source=x", "UTM_Medium=y", "utm_=", "mtm_kwd=1", "fbclid=1", "gclid=", "amp=1", "amp=",
    "amp", "amp=0", "outputType=amp", "outputtype=AMP", "ref=x", "a=1", "b=2", "a=2", "=", "",
    "%75tm_source=x", "q=a%20b", "x=ü", "&", "x=%", "x=%zz", "x=1=2", "z", "A=1", "region=us",
    "x=a#b", "q=<script>",
]  # fmt: skip
AMP_VIEWERS = [
    "", "", "", "", "https://www.google.com/amp/s/", "https://google.co.uk/amp/",
    "https://example-com.cdn.ampproject.org/c/s/", "https://x.cdn.ampproject.org/v/",
]  # fmt: skip
WRAPPINGS = [
    "{u}", "{u}", "{u}", "<{u}>", "<{u}|label>", "  {u}\n", "{a}", "<{a}|{u}>", "<{u}|{a}>",
]  # fmt: skip

# Every strategy is built once, at import: one built inside a draw costs more than the draw.
_schemes = st.one_of(st.sampled_from(SCHEMES), label_text)
_scheme_seps = st.sampled_from(SCHEME_SEPS)
_userinfos = st.sampled_from(USERINFO)
_ports = st.one_of(st.sampled_from(PORTS), st.integers(-1, 70000).map(lambda p: f":{p}"))
_segments = st.lists(st.one_of(st.sampled_from(PATH_SEGMENTS), label_text), max_size=4)
_pairs = st.lists(st.one_of(st.sampled_from(QUERY_PAIRS), label_text), max_size=4)
_fragments = st.one_of(st.just(""), label_text.map(lambda t: "#" + t))
_amp_viewers = st.sampled_from(AMP_VIEWERS)
_wrappings = st.sampled_from(WRAPPINGS)


@st.composite
def url_like(draw: st.DrawFn) -> str:
    """A string built like a link, most parts plausible, any part broken."""
    scheme, sep, userinfo = draw(_schemes), draw(_scheme_seps), draw(_userinfos)
    host, port, segments = draw(hosts), draw(_ports), draw(_segments)
    path = ("/" if segments or draw(st.booleans()) else "") + "/".join(segments)
    pairs = draw(_pairs)
    query = ("?" + "&".join(pairs)) if pairs or draw(st.booleans()) else ""
    url = f"{scheme}{sep}{userinfo}{host}{port}{path}{query}{draw(_fragments)}"
    viewer = draw(_amp_viewers)
    if viewer:  # Google's AMP viewer wrapping the link
        url = viewer + url.split("://", 1)[-1]
    return draw(_wrappings).format(u=url, a=url.replace("&", "&amp;"))


any_url = st.one_of(url_like(), hostile_text)

# --- Slack events -----------------------------------------------------------------------------

RICH_TYPES = [
    "rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted",
    "link", "link", "text", "user", "emoji", "channel", "broadcast", "",
]  # fmt: skip
TEXT_TOKENS = [
    "<@U123>", "<#C123|general>", "<!here>", "&amp;", "&lt;", "&gt;", "<", ">", "|",
    "<https://slack.com/archives/C1/p1|x>", "<http://example.com/a?x=1&amp;y=2|a>",
    "<https://files.slack.com/f|f>", "<mailto:a@b.c|a@b.c>", "<https://a.com/x>",
    "<https://a.com/x|dup>", "<http://a.com/x>", "<https://b.com/>",
]  # fmt: skip
# Message text: words, `<url|label>` / `<url>` links, mentions and escapes, all mixed.
message_text = st.lists(
    st.one_of(
        hostile_text,
        any_url.map("<{}>".format),
        st.builds("<{}|{}>".format, any_url, label_text),
        st.sampled_from(TEXT_TOKENS),
    ),
    max_size=6,
).map(" ".join)


def _rich_element(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(RICH_TYPES), json_values)},
        optional={
            "url": st.one_of(any_url, json_values),
            "text": st.one_of(message_text, json_values),
            "elements": st.one_of(st.lists(children, max_size=4), json_values),
            "style": json_values,
        },
    )


rich_elements = st.recursive(
    st.one_of(st.fixed_dictionaries({"type": st.just("link"), "url": any_url}), json_values),
    _rich_element,
    max_leaves=8,
)


def _chain(url: str, depth: int) -> dict[str, Any]:
    """One link at the bottom of a chain of sections `depth` deep (JSON allows ~900 levels)."""
    node: dict[str, Any] = {"type": "link", "url": url}
    for _ in range(depth):
        node = {"type": "rich_text_section", "elements": [node]}
    return node


deep_rich_chains = st.builds(_chain, any_url, st.sampled_from([0, 1, 3, 40, 400]))
blocks = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "type": st.sampled_from(["rich_text", "rich_text", "section", "context", ""]),
                "elements": st.one_of(
                    st.lists(st.one_of(rich_elements, deep_rich_chains), max_size=3),
                    json_values,
                ),
            }
        ),
        json_values,
    ),
    max_size=3,
)
SUBTYPES = [
    None, "thread_broadcast", "file_share", "message_changed", "message_deleted", "bot_message",
    "channel_join", "me_message", "",
]  # fmt: skip
slack_events = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["message", "app_mention", ""]),
        "subtype": st.one_of(st.sampled_from(SUBTYPES), json_values),
        "user": st.one_of(st.sampled_from(["U123", "UBOT", "", None]), json_values),
        "bot_id": st.one_of(st.sampled_from(["B1", "", None]), json_values),
        "bot_profile": json_values,
        "channel": st.one_of(st.sampled_from(["C123", "", None]), json_values),
        "text": st.one_of(message_text, json_values),
        "blocks": st.one_of(blocks, json_values),
        "ts": json_values,
    },
)
events = st.one_of(json_objects, slack_events)
bot_user_ids = st.one_of(st.sampled_from(["UBOT", "U123", "", None]), hostile_text)

# --- /newsroom command lines ------------------------------------------------------------------

COMMAND_NAMES = [
    "help", "search", "story", "claims", "compare", "conflicts", "flagged", "digest",
    "subscribe", "unsubscribe", "status",
]  # fmt: skip
COMMAND_TOKENS = [
    "today", "week", "WEEK", "preview", "now", "Now", "08:30", "8:30", "24:00", "99:99", "0:0",
    "٠٨:٣٠", "08:30:00", "8.30", "UTC", "utc", "Europe/London", "America/New_York",
    "Not/AZone", "../../etc/passwd", "/", "<#C123|general>", "<#C0ABC>", "<#G12|x>",
    "<#c123|x>", "<#C123", "#general", "<#>", "<#C1|a|b>", "<@U123>", "<https://example.com/a|x>",
    "<https://example.com/b>", "https://example.com/c", "<https://slack.com/x|y>", "<|>", "<>",
    "42", "abc123", "İ", "ß", "`", "``", "x" * 300,
]  # fmt: skip
SEPARATORS = [" ", " ", "  ", "\t", "\n", "\u3000", "\xa0", "\x1c", "\u2028", "\x85"]
_separators = st.sampled_from(SEPARATORS)
_words = st.one_of(
    st.sampled_from(COMMAND_NAMES).flatmap(
        lambda n: st.sampled_from([n, n, n.upper(), n.title(), n + "x"])
    ),
    st.sampled_from(COMMAND_TOKENS),
    url_like().map("<{}|x>".format),
    url_like(),
    st.text(st.one_of(SYNTAX_CHARS, ANY_CHAR), min_size=1, max_size=12),
)
# A subcommand name (any case) followed by a mix of real and broken arguments.
command_lines = st.builds(
    lambda lead, name, rest: lead + name + "".join(rest),
    st.sampled_from(["", " ", "\n"]),
    st.sampled_from(COMMAND_NAMES).flatmap(
        lambda n: st.sampled_from([n, n, n.upper(), n.title(), n + "x", ""])
    ),
    st.lists(st.builds("{}{}".format, _separators, _words), max_size=5),
)
command_texts = st.one_of(st.text(ANY_CHAR, max_size=60), command_lines)

# --- number-heavy text ------------------------------------------------------------------------

# The value forms of issue #15: weekdays, bare months, ages in every form, rates.
VALUE_FORMS = [
    "Monday", "on Thursday", "late Monday night", "Tuesday morning", "Friday's operation",
    "last Friday", "next Sunday", "Black Friday", "Good Friday", "Super Tuesday",
    "Mail on Sunday", "Friday prayers", "Thursday 20th June", "Monday, Sept. 8, 2014", "Mondays",
    "in January", "in September", "mid-August", "early September", "late October", "in May",
    "since May", "May", "may", "last September", "next January", "late February 2016",
    "early September 2014", "Igor Vorozhbitsyn, 41,", "Forty-two year old", "a 23-year-old",
    "aged 41", "46-year old", "46 year-old", "Seven year old", "6-month old", "Three hundred",
    "A dozen", "Dozens", "Twenty-one", "$2 million a day", "$2million-a-year",
    "$2 million-a-day", "50 km per hour", "50 km/h", "30 mph", "$100 a barrel", "20 a day",
    "3% a year", "$5/day", "a year ago", "per", "a day", "/h", "2million", "3billion",
    "ages 13 to 15", "aged 13 and 14", "13 and 14 years old", "aged 41 and", "27 years of age",
    "$10m (£6.4m)", "39 feet (12 meters)", "(about", "(12", ")", "two and a half years",
    "a year and a half", "half an hour", "3 and a half million", "two years and a half",
]  # fmt: skip
NUMBER_PHRASES = [
    "$3.6bn", "$3.5 billion", "at least a dozen", "60 percent to 70 percent", "1,234,567.89",
    "½", "٣٫٦", "١٢٣٤", "१२३", "२०२४", "1e308", "1E-5", "1" + "0" * 400, "9" * 30, "0" * 25,
    "between 50 and 60", "2012–13", "2012/13", "2010-2014", "the early 1990s", "the 90s",
    "mid-2000s", "June 20, 2024", "20 June", "Feb 29", "February 29, 2023", "31 February",
    "June 2024", "May 2024", "Sept. 5", "a couple of", "tens of thousands",
    "hundreds of millions", "several hundred", "a few thousand", "£5m-£6m", "US$ 4", "U.S.$5",
    "HK$ 10bn", "Rs. 10 lakh", "₹3 crore", "€2,5", "¥1,000", "USD 5", "RMB 3bn",
    "34-year-old", "aged 34", "in their 20s", "Jess Smith, 19, said", "No. 10", "Flight 17",
    "COVID-19", "G7", "G-7", "F-16", "5G", "+44 20 7946 0958", "(202) 555-0100", "15:28",
    "3 p.m.", "10.30am", "192.168.0.1", "3.6.1", "9/11", "24/7", "20/06/2024", "two-thirds",
    "first", "First,", "twenty-first", "thirtieth", "the Second World War", "about 2000 people",
    "5 or 6", "two or three", "50+", "50 or more", "50-plus", "up to 50-60", "~5", "≈ 5", "≥ 7",
    "<= 3", "> 10", "12m wide", "3 sq km", "5km²", "10 lb", "2 tonnes", "3 t", "3 weeks",
    "6-month-old", "1.5 million", "a half dozen", "half a million", "one hundred and twenty",
    "nineteen ninety", "0.0", "0", "-5", "−5", "00", "000,000", "1,23", "1 000 000",
    "816\u202f000 t", "816\u00a0000", "between 2010 and 2014", "from 50 to 60",
    "rose 5% to 60%", "5 percentage points", "3 pp", "a million", "an estimated 40,000",
    "nearly 1,000", "just over 3", "roughly 1.5m", "one", "one year", "One", "Group of Seven",
    "in 1066", "since 1200", "1. ", "2) ", "1,000,000,000,000,000,000,000,000", "$", "£", "%",
    "percent", "and", "to", "or", "-", "–", "/", ",", ".", "1.", ".5", "5.", "1,", "a", "an",
    "3 won", "5 pounds sterling", "10 pounds", "2 Australian dollars", "100 yen", "1m", "2b",
    "3tr", "4K", "7k", "$3bn-$4bn", "3 to 4 million", "60-70%", "in the 1950s", "their early 30s",
    *VALUE_FORMS,
]  # fmt: skip
NUMBER_WORDS = [
    "one", "two", "twelve", "twenty", "ninety-nine", "hundred", "thousand", "million",
    "billion", "trillion", "dozen", "a", "an", "half", "and",
]  # fmt: skip

# The new value forms side by side and run together: where their look-behinds, look-aheads and
# the scanner's resume position meet.
value_form_text = st.lists(
    st.builds(
        "{}{}".format,
        st.one_of(
            st.sampled_from(VALUE_FORMS),
            st.sampled_from(NUMBER_PHRASES),
            st.text(st.one_of(SYNTAX_CHARS, st.characters(codec="utf-8")), max_size=3),
        ),
        st.sampled_from([" ", " ", "", "-", ", ", "'s ", ". ", "\n"]),
    ),
    max_size=10,
).map("".join)


def _repeat(head: str, word: str, sep: str, count: int, tail: str) -> str:
    return head + sep.join([word] * count) + tail


# Long runs of number words ("a hundred hundred hundred ..."): the worst case for the word
# reader's arithmetic.
repeated_number_words = st.builds(
    _repeat,
    st.sampled_from(["", "a ", "one ", "about ", "at least one ", "nearly a "]),
    st.sampled_from(["dozen", "hundred", "thousand", "million", "trillion"]),
    st.sampled_from([" ", "-", " and "]),
    st.integers(1, 400),
    st.sampled_from(["", " people", "%", " km"]),
)


def _format_number(x: float, style: str) -> str:
    if style == "comma":
        return f"{x:,}"
    if style == "space":
        return f"{x:,}".replace(",", " ")
    if style == "fixed":
        return f"{x:.3f}" if isinstance(x, float) else str(x)
    return repr(x)


numbers_as_text = st.builds(
    _format_number,
    st.one_of(st.integers(-(10**30), 10**30), st.floats()),
    st.sampled_from(["comma", "space", "fixed", "repr"]),
)
number_text = st.one_of(
    st.text(ANY_CHAR, max_size=120),
    st.lists(
        st.builds(
            "{}{}".format,
            st.one_of(
                st.sampled_from(NUMBER_PHRASES),
                st.sampled_from(NUMBER_WORDS),
                numbers_as_text,
                st.text(st.one_of(SYNTAX_CHARS, st.characters(codec="utf-8")), max_size=6),
            ),
            st.sampled_from([" ", " ", "", "-", ", ", "\n", "\u00a0"]),
        ),
        max_size=14,
    ).map("".join),
    repeated_number_words,
)

# --- HTML -------------------------------------------------------------------------------------

VOCABULARY = (
    "the minister said on Tuesday that talks with Vietnam over the oil field would resume next"
    " week after a pause of three months while officials in Hanoi denied any agreement had been"
    " reached and analysts warned that prices could rise sharply if the deal collapsed again"
).split()
TAGS = [
    "p", "div", "article", "main", "section", "span", "a", "b", "i", "h1", "h2", "ul", "li",
    "table", "tr", "td", "script", "style", "title", "noscript", "template", "iframe", "svg",
    "math", "pre", "code", "blockquote", "figure", "figcaption", "nav", "footer", "header",
    "aside", "form", "textarea", "select", "option", "x-y", "P", "DIV", "o:p", "br", "img",
]  # fmt: skip
ATTR_NAMES = [
    "class", "id", "href", "src", "content", "property", "name", "itemprop", "rel", "type",
    "style", "onclick", "lang", "charset", "data-x", "",
]  # fmt: skip
DATE_STRINGS = [
    "2024-06-20T10:00:00Z", "2024-06-20", "2024-06-20T10:00:00+05:30", "not a date",
    "2024-13-45", "", " ", "20240620", "2024-06-20T25:00:00", "0001-01-01", "9999-12-31",
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2024-06-20T10:00:00.123456789Z",
]  # fmt: skip
MARKUP_DEBRIS = [
    "<!--", "-->", "<!-- unclosed", "<![CDATA[", "]]>", "<?xml version='1.0' encoding='utf-8'?>",
    "<!DOCTYPE html>", "&", "&amp", "&#0;", "&#x110000;", "&#xD800;", "&nbsp;", "<", ">", "</",
    "</p>", "</div></div></div>", "<p", "<br/>", "\x00", "\ufeff", "\r\n",
]  # fmt: skip
prose = st.lists(st.sampled_from(VOCABULARY), max_size=60).map(" ".join)
# Long enough to pass the extractor's minimum (25 words) when nothing swallows it.
article_prose = st.lists(st.sampled_from(VOCABULARY), min_size=30, max_size=90).map(" ".join)
html_text = st.one_of(
    prose,
    hostile_text,
    st.binary(max_size=80).map(lambda b: b.decode("utf-8", errors="replace")),
    st.binary(max_size=80).map(lambda b: b.decode("latin-1")),
    prose.map(lambda t: t.encode("utf-8").decode("cp1252", errors="replace")),
    st.sampled_from(MARKUP_DEBRIS),
)
attr_values = st.one_of(
    hostile_text,
    any_url,
    st.sampled_from(DATE_STRINGS),
    st.sampled_from([10, 1000, 100_000]).map(lambda n: "a" * n),
    st.sampled_from(['"', "'", "\"'><script>", "article:published_time", "canonical"]),
)
attributes = st.lists(
    st.builds(
        " {}={}{}{}".format,
        st.one_of(st.sampled_from(ATTR_NAMES), label_text),
        st.sampled_from(['"', "'", ""]),
        attr_values,
        st.sampled_from(['"', "'", ""]),
    ),
    max_size=3,
).map("".join)


def _markup(tag: str, attrs: str, inner: list[str], close: str) -> str:
    return f"<{tag}{attrs}>{''.join(inner)}{close.format(t=tag)}"


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        _markup,
        st.one_of(st.sampled_from(TAGS), label_text),
        attributes,
        st.lists(children, max_size=4),
        st.sampled_from(["</{t}>", "</{t}>", "", "</p>", "</{t}"]),
    )


html_fragments = st.recursive(html_text, _element, max_leaves=30)

META_PROPS = [
    'property="article:published_time"', 'name="pubdate"', 'name="date"',
    'itemprop="datePublished"', 'name="author"', 'property="og:title"',
]  # fmt: skip


def _deep_json(depth: int, closed: bool) -> str:
    return "[" * depth + ("]" * depth if closed else "")


_ld_script = '<script type="application/ld+json">{}</script>'.format
# Metadata the extractor reads: publication meta tags, JSON-LD, canonical links.
head_extras = st.lists(
    st.one_of(
        st.builds(
            '<meta {} content="{}">'.format,
            st.sampled_from(META_PROPS),
            st.one_of(st.sampled_from(DATE_STRINGS), hostile_text),
        ),
        st.one_of(
            json_values,
            st.fixed_dictionaries({"datePublished": st.sampled_from(DATE_STRINGS)}),
        ).map(lambda data: _ld_script(json.dumps(data, ensure_ascii=False))),
        st.builds(_deep_json, st.sampled_from([10, 100, 1000, 5000]), st.booleans()).map(
            _ld_script
        ),
        any_url.map('<link rel="canonical" href="{}">'.format),
        any_url.map('<meta property="og:url" content="{}">'.format),
    ),
    max_size=3,
).map("".join)


def _document(
    shape: str, prolog: str, title: str, head: str, depth: int, tag: str, closed: bool,
    before: list[str], lead: str, paragraphs: list[str], after: list[str], junk: str,
) -> str:  # fmt: skip
    inner = (
        f"<{tag}>" * depth
        + "".join(before)
        + f"<p>{lead}</p>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "".join(after)
        + (f"</{tag}>" * depth if closed else "")
    )
    if shape == "page":
        return (
            f"{prolog}<html><head><title>{title}</title>{head}</head>"
            f"<body><article>{inner}</article></body></html>"
        )
    return inner if shape == "fragment" else junk + inner


# A page: sometimes well formed around an article long enough to extract, sometimes not.
html_documents = st.builds(
    _document,
    st.sampled_from(["page", "page", "page", "fragment", "bare"]),
    st.sampled_from(["", "<!DOCTYPE html>", "<?xml version=1.0?>"]),
    st.one_of(prose, hostile_text),
    head_extras,
    st.sampled_from([0, 0, 0, 10, 300, 3000]),
    st.sampled_from(["div", "span", "b", "table"]),
    st.booleans(),
    st.lists(html_fragments, max_size=2),
    st.one_of(article_prose, article_prose, prose),
    st.lists(prose, max_size=3),
    st.lists(html_fragments, max_size=4),
    hostile_text,
)

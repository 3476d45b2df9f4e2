"""Numeric expressions in a sentence, normalised to intervals with a kind and a unit.

``find_quantities`` reads "at least a dozen", "$3.5bn", "about 60 percent to 70 percent",
"816 000 t", "a 34-year-old", "the early 2000s", "June 20, 2024", "fifth" and the like, and
gives each a :class:`Quantity`: the exact surface with its offsets, an interval
``[low, high]``, a point ``value`` inside it, a ``kind``, a ``unit`` and the ``qualifier``
(and, for a weekday, the calendar ``day`` it names when the published day is known).

Conventions
-----------
* Exact values have ``low == value == high``. A range ("50 to 60", "50-60", "between 50 and
  60", "60 percent to 70 percent") is ``[50, 60]`` with ``value`` the midpoint.
* Qualifiers (``qualifier`` keeps the words, lower-cased):

  - lower bounds — at least, more than, over, above, in excess of, upward(s) of, no fewer /
    less than, "50+", "50 or more": ``[x, inf]`` (strict ">" is read as ">="), value x;
  - upper bounds — up to, at most, no more than, as many as, as much as, less / fewer than,
    under, below, "or less": ``[0, x]``, value x;
  - approximately — about, around, roughly, approximately, some, an estimated, circa, "~",
    "or so": ``[0.9x, 1.1x]``; nearly, almost, close to, just under: ``[0.9x, x]``; just
    over: ``[x, 1.1x]``; value x. For years the tolerance is one year, not 10%;
  - only, just, exactly, a mere: kept as the qualifier, the value stays exact.

  On a range, bounds qualifiers open it ("up to 50-60" is ``[0, 60]``); tolerance words are
  recorded but do not widen it ("about 60 percent to 70 percent" stays ``[60, 70]``).
* Vague plurals are order-of-magnitude intervals with ``value = low``, short of the next
  scale word: dozens ``[24, 144)``, hundreds ``[200, 1000)``, thousands ``[2e3, 1e4)``, tens
  of thousands ``[2e4, 1e5)``, hundreds of millions ``[2e8, 1e9)``, several / a few hundred
  ``[200, 1000)``; "a couple
  of" is ``[2, 3]``. "a few", "several", "many" alone are not numbers; nor is a lone "one"
  (a pronoun far more often than a count) unless a unit or scale follows ("one year").
  Fractions ("two-thirds", "half") are not read, but for a half before a unit or scale ("two
  and a half years", "3 and a half million", "half an hour", "a year and a half").
* Kinds and units: ``count`` (unit ""), ``money`` (ISO code; "$" is USD, "¥" JPY, "pounds"
  is GBP only with a scale or "sterling", otherwise a weight), ``percent`` ("%"; percentage
  points are kind percent with unit "pp"), ``distance`` (km; miles, feet, yards, metres
  converted; "1.5m" is million unless a dimension word or a direction follows, "12m wide",
  "100m downstream", a compared length precedes, "as long as 4m", or it stands between an
  article and a noun that is not plural in a sentence without money, "a 10m fall": metres),
  ``weight`` (kg; tonnes, "t", tons (taken as metric), lb, g converted), ``duration`` (unit
  "days": weeks 7, months 30.44, years 365.25, decades 3652.5), ``age`` (unit "years";
  "34-year-old", "46-year old", "Forty-two year old", "aged 34", "in their 20s" =
  ``[20, 29]``, "Jess Smith, 19, said"), ``ordinal`` ("fifth", "30th", "sixth-highest",
  a rank "No. 248"),
  ``year``, ``date`` and ``weekday``. Speeds are distances per hour ("50 km/h", "30 mph":
  unit "km/hour").
* Rates: a figure followed by "a" / "an" / "per" / "each" / "every" and a period or item,
  or "/" and one ("$2 million a day", "$2million-a-year", "50 km per hour", "$100 a barrel",
  "20 a day"), keeps its kind and value and appends the period to the unit: "USD/day",
  "USD/year", "km/hour", "USD/barrel", "/day" for a count. A daily and a yearly figure thus
  never share a unit. "a year ago" / "a year earlier" are not rates.
* Years: a plain four-digit number 1900-2100 (or 1000-1899 after "in", "since"...) is a year
  unless a qualifier or a people noun makes it a count ("about 2000 people"); "2012–13" and
  "2012/13" are one fiscal period ``[2012, 2013]`` (unit "fiscal"); "2010-2014" is
  ``[2010, 2014]``; decades ("the 1950s", "the 90s") are ``[1950, 1959]`` with unit
  "decade", "early"/"mid"/"late" narrowing them to a third. For years and dates ``value``
  is the start of the period, not the midpoint.
* Dates: ``value`` is YYYYMMDD as a number (unit "yyyymmdd"); the year comes from the text,
  else from ``published`` (the latest such day not more than ~6 months after it), else the
  date is month-day only (unit "mmdd", value MMDD). "9/11"-style slash dates are skipped as
  ambiguous.
* Months are intervals of days in the same units: "June 2024" is ``[20240601, 20240630]``;
  a bare month ("in January", "since September", "last October") takes its year from
  ``published`` like a date (the latest such month not more than ~6 months after it; "last"
  the latest before the published month, "next" the first after it), else it is
  ``[0101, 0131]`` in unit "mmdd". "early" / "mid" / "late" narrow a month to days 1-10,
  11-20 and 21 to the end ("mid-August", "early September 2014"; qualifier "early"...).
  ``value`` is the first day. A bare month needs a word before it that makes it one (in,
  since, by, until, from, during, of, to, and, this, last, next, early, mid, late...); "May"
  only after in / since / last / next / early / mid / late, or before a year.
* Weekdays (capitalised names only) are kind ``weekday``, ``value`` 0-6 (Monday = 0), low ==
  high == value, unit "", so two reports' "Thursday" and "Friday" compare as values.
  "last" / "next" / "early" / "late" before and "morning" / "afternoon" / "evening" /
  "night" / "overnight" after belong to the surface and the ``qualifier`` ("late Monday
  night": qualifier "late night"). With ``published``, ``day`` is the date it names: the
  latest such weekday on or before the published day (news speaks of the past week); "last
  Friday" the latest before the published day (a week back when published on a Friday);
  "next Friday" the first after it. Not weekdays: names ("Black Friday", "Good Friday",
  "Super Tuesday", "Easter Monday", "the Sunday Times", "the Mail on Sunday", a weekday
  after a capitalised word inside a sentence), a weekday just before a date ("Thursday 20th
  June" is the date) and plurals ("on Mondays").
* One unit of time with an article is a duration where it cannot be a rate: after a
  qualifier or "for", "within", "in", "after"..., or before "after", "later", "long" ("more
  than an hour" ``[1/24, inf]``, "a day after the ceasefire" 1 day; not "twice a day").
* Relative times ("10 days ago", "a week ago", "last week", "late last month", "earlier this
  year", "the past eight years", "yesterday", "over the weekend"): with ``published``, dates
  (unit "yyyymmdd": "last week" the calendar week before) or, when they name years, kind
  ``year``; else kind ``date`` in unit "days ago", the interval of days before publication
  they can name ("last month" ``[1, 61]``). They replace a duration they hold ("two weeks").
* Not quantities: clock times ("15:28", "3 p.m."), phone numbers, URLs, version numbers,
  list markers at the start ("1. ..."), labels ("No. 10 Downing Street", "Flight 17",
  "Article 5", "Boeing 737"), model names joined by a hyphen or letters ("COVID-19", "G7", "G-7",
  "F-16", "Su-30", "T-90", "5G"), number words capitalised inside a sentence ("Group of
  Seven", "Air Force One").

Modules
-------
``scan`` finds where quantities start, reads each and settles its kind; ``amounts`` reads
one number (digits or words) with its scale and unit; ``words`` number words, ordinals and
vague plurals; ``money`` currencies; ``units`` the unit after a number (percent, ages,
durations, distances, weights); ``dates`` years, decades and dates; ``qualifiers`` the
qualifier words and the intervals they make; ``ranges`` "50 to 60" and "2012–13";
``rates`` "a day", "per hour"; ``weekdays`` weekday names and the days they resolve to;
``relative`` times relative to the published day; ``durations`` one unit of time with an
article ("more than an hour", "a day after");
``quantity`` the :class:`Quantity` type; ``years`` :func:`years_mentioned`.
"""

from bot.core.numbers.quantity import KINDS, MAX_MAGNITUDE, Quantity
from bot.core.numbers.scan import find_quantities
from bot.core.numbers.years import years_mentioned

__all__ = ["KINDS", "MAX_MAGNITUDE", "Quantity", "find_quantities", "years_mentioned"]

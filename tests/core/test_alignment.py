"""Alignment: which figures of two articles state the same quantity, on hand-made pairs, the
seeds, and the failures found on real coverage (one test per class fixed)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from bot.core import alignment
from bot.core.alignment import (
    FEATURES,
    RIVALS,
    SECOND_STAGE,
    PairModel,
    align,
    candidates,
    comparable,
    default_model,
    rivals,
)
from bot.core.claims import Claim, extract_claims
from bot.core.extract import from_html, from_text
from bot.core.labels import compatible as compatible_values
from tests.core.test_claims import claim
from tests.pages import article_page


@pytest.fixture(scope="module")
def claims(seed_texts) -> dict[str, list[Claim]]:
    drafts = {name: from_text(text) for name, text in seed_texts.items()}
    return {name: extract_claims(d.text, title=d.title) for name, d in drafts.items()}


def _matches(value: str, surface: str) -> bool:
    """A gold value ("$3.6 billion in 2023", "$171 billion (2023)") names the claim's surface."""
    core = surface.removeprefix("just ")
    return core in value or value in surface


def test_every_gold_claim_pair_holds(claims, gold):
    for expected in gold["claim_pairs"]:
        a, b = expected["a"], expected["b"]
        pairs = align(claims[a["article"]], claims[b["article"]])
        found = [
            p
            for p in pairs
            if _matches(a["value"], p.a.surface) and _matches(b["value"], p.b.surface)
        ]
        assert found, f"no pair for {expected}"
        assert {p.label for p in found} == {expected["label"]}, expected
        if "sentence" in a:
            assert a["sentence"] in found[0].a.sentence
            assert b["sentence"] in found[0].b.sentence


def test_the_only_conflicts_of_the_story_are_the_agreement_counts(claims):
    names = sorted(claims)
    conflicts = set()
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for pair in align(claims[first], claims[second]):
                if pair.label == "conflict":
                    conflicts.add(pair.a.counted)
                    assert {pair.a.value, pair.b.value} <= {11.0, 12.0}
    assert len(conflicts) == 1


def test_the_story_as_dated_pages_has_the_same_only_conflict(seed_texts):
    """The seeds as the pages a site serves (titles from the page, relative times read against
    the publication day, as at ingest): still only the agreement counts conflict."""
    claims = {}
    for name, text in seed_texts.items():
        draft = from_html(article_page(text), url=f"https://news.example/{name[:3]}")
        assert draft.published is not None
        day = draft.published.date()
        claims[name] = extract_claims(draft.text, title=draft.title, published=day)
    names = sorted(claims)
    conflicts = set()
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            for pair in align(claims[first], claims[second], b_is_later=True):
                if pair.label == "conflict":
                    conflicts.add(pair.a.counted)
                    assert {pair.a.value, pair.b.value} <= {11.0, 12.0}
    assert len(conflicts) == 1


def test_the_seed_labels_hold_without_titles(seed_texts, gold):
    """No rule depends on a title: the texts alone give the same conflict."""
    bare = {name: extract_claims(from_text(text).text) for name, text in seed_texts.items()}
    a, b = "000_95b775bc5eae5327.txt", "001_c412b43f50216ea0.txt"
    labels = {(p.a.surface, p.b.surface): p.label for p in align(bare[a], bare[b])}
    assert labels.get(("12", "11")) == "conflict"
    assert labels.get(("$3.6 billion", "just $3.5bn")) == "different_period"


def test_the_seeds_rewrite_raises_no_alarm(claims):
    """002 rewrites 000 with the same figures (not written for any benchmark)."""
    pairs = align(claims["000_95b775bc5eae5327.txt"], claims["002_dc8434f2a39adf63.txt"])
    assert pairs and not [p for p in pairs if p.label in ("conflict", "update")]


def test_different_quantities_are_not_paired():
    ships = claim("12", "The navy sent 12 ships to the strait.")
    deals = claim("11", "The leaders signed 11 agreements in Hanoi.")
    assert align([ships], [deals]) == []


def test_a_copy_with_one_figure_changed_is_a_conflict():
    text = "Rescuers said 14 miners were trapped after the tunnel collapsed in Shanxi province."
    pairs = align(extract_claims(text), extract_claims(text.replace("14", "19")))
    assert [(p.a.surface, p.b.surface, p.label) for p in pairs] == [("14", "19", "conflict")]


def test_an_identical_copy_pairs_each_figure_with_its_twin():
    """Two figures of one sentence never pair across ("from 10 to 20" is not 10 vs 20)."""
    text = "Sales rose from 10 million units in 2019 to 20 million units in 2020, the firm said."
    found = extract_claims(text)
    pairs = align(found, found)
    assert pairs and all(p.a is p.b or p.a == p.b for p in pairs)
    assert {p.label for p in pairs} == {"agree"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "The mid-tier Apple Watch could start at anywhere from $499 to $549 and will come "
            "closer to $650, according to Munster.",
            "According to Munster, the mid-tier Apple Watch could start at anywhere from $499 to "
            "$549 and will come closer to $650.",
        ),
        (  # the years date "three launches" in one order, one of them is a claim in both
            "The film will follow Jobs through three product launches, including the first "
            "Macintosh in 1984 and Apple's 2001 debut of the iPod.",
            "Product launches including the first Macintosh in 1984 and Apple's 2001 debut of "
            "the iPod: the film will follow Jobs through three of them.",
        ),
        (  # two dates, the sentence turned round: their places swap
            "The exhibition runs from May 1 to June 3 at the museum in the city's old port, "
            "its curator said.",
            "The exhibition runs to June 3 from May 1 at the museum in the city's old port, "
            "its curator said.",
        ),
        (
            "The 25th- and 26th-floor offices of the magazine are overrun with mice, and the "
            "editor has ordered staff to clear them.",
            "And the editor has ordered staff to clear them: the 25th- and 26th-floor offices of "
            "the magazine are overrun with mice.",
        ),
    ],
)
def test_a_reordered_sentence_pairs_no_figures_crosswise(first, second):
    # The same words in another order: each figure is stated again, none contradicted.
    pairs = align(extract_claims(first), extract_claims(second))
    assert pairs and not [p for p in pairs if p.label in ("conflict", "update")]


def test_a_copy_that_dated_the_same_figure_another_year_is_a_conflict():
    first = (
        "In 2011, he was one of four journalists kidnapped by Qaddafi's forces in Libya, he "
        "told the Boston Globe in an interview."
    )
    second = first.replace("2011", "2010")
    a, b = extract_claims(first), extract_claims(second)
    conflicts = [p for p in align(a, b) if p.label == "conflict"]
    assert [(p.a.surface, p.a.period, p.b.period) for p in conflicts] == [("four", 2011, 2010)]


@pytest.mark.parametrize(
    ("first", "second", "changed"),
    [
        (
            "The hostage was last seen on February 4 near the border, his family said.",
            "The hostage was last seen on January 4 near the border, his family said.",
            ("February 4", "January 4"),
        ),
        (
            "Talks resumed in Sept. 2014 after a pause of several months, officials said.",
            "Talks resumed in Oct. 2014 after a pause of several months, officials said.",
            ("Sept. 2014", "Oct. 2014"),
        ),
        (  # one of two equal figures changed: the copy still states the old one elsewhere
            "Foley was first captured in Libya in 2012, released, and then kidnapped again "
            "around Thanksgiving 2012 by gunmen in Syria.",
            "Foley was first captured in Libya in 2014, released, and then kidnapped again "
            "around Thanksgiving 2012 by gunmen in Syria.",
            ("2012", "2014"),
        ),
        (  # "Thursday" is day 3 of the week: the copy still states it, but not "three days"
            "On Thursday, the group posted a video threatening to kill Somers in three days if "
            "its demands were not met.",
            "On Thursday, the group posted a video threatening to kill Somers in ten days if "
            "its demands were not met.",
            ("three days", "ten days"),
        ),
    ],
)
def test_a_copy_that_changed_one_figure_reports_that_conflict(first, second, changed):
    # A month, one of two equal figures, a figure beside another kind's equal number.
    pairs = align(extract_claims(first), extract_claims(second))
    assert [(p.a.surface, p.b.surface) for p in pairs if p.label == "conflict"] == [changed]


def test_a_reordered_sentence_with_a_figure_changed_is_a_conflict():
    first = "The small watch costs $349 and the large one $549, according to Munster."
    second = "According to Munster, the small watch costs $349 and the large one $599."
    pairs = align(extract_claims(first), extract_claims(second))
    assert [(p.a.surface, p.b.surface) for p in pairs if p.label == "conflict"] == [
        ("$549", "$599")
    ]


def test_ages_of_one_person_in_other_words_are_compared():
    a = claim("41", "Igor Vorozhbitsyn, 41, was detained by police in the city on Monday.")
    b = claim("Forty-two year old", "Forty-two year old Igor Vorozhbitsyn was detained on Monday.")
    assert [p.label for p in align([a], [b])] == ["conflict"]


def test_the_ages_of_two_people_are_not_compared():
    victim = claim("24-year-old", "The gunman shot Corporal Nathan Cirillo, a 24-year-old father.")
    gunman = claim("32-year-old", "The alleged gunman is 32-year-old Michael Zehaf-Bibeau.")
    assert not [p for p in align([victim], [gunman]) if p.label == "conflict"]


def test_weekdays_of_one_event_are_compared():
    a = claim("Thursday", "The ceasefire was announced on Thursday by officials in Cairo.")
    b = claim("Friday", "The ceasefire was announced on Friday by officials in Cairo.")
    assert [p.label for p in align([a], [b])] == ["conflict"]


def test_kinds_that_cannot_state_one_quantity_are_not_candidates():
    money = claim("$5 million", "The club paid $5 million for the striker.")
    people = claim("5", "Police said 5 people were hurt.")
    assert not comparable(money, people)
    assert candidates([money], [people])[0] == []


def test_candidates_tried_by_kind_are_every_comparable_pair(claims):
    # Each claim is tried only against the other side's claims of kinds it may be compared
    # with: the same pairs, in the same order, as trying every pair.
    every = [c for found in claims.values() for c in found]
    every += extract_claims(
        "Police said 12 people were killed on Monday, ten days ago, aged 41; the seventh "
        "attack in 2013 lasted for two days, 8 miles from the border, after talks in June 2013."
    )
    for a in (every[::2], every):
        for b in (every[1::2], every):
            brute = [(i, j) for i, x in enumerate(a) for j, y in enumerate(b) if comparable(x, y)]
            assert alignment._comparable_pairs(a, b) == brute


def test_a_count_and_an_ordinal_or_a_duration_are_one_number_read_two_ways():
    seven = claim("seven", "Police said the gunman fired seven shots.")
    assert comparable(seven, claim("seventh", "He finished seventh in the race."))
    assert not comparable(seven, claim("fifth", "He finished fifth in the race."))
    two = claim("two", "Police said two officers talked to him.")
    assert comparable(two, claim("two days", "The sides talked for two days."))
    assert not comparable(two, claim("three minutes", "They met for three minutes."))


def test_a_back_reference_is_compared_with_the_same_number_or_its_copy():
    again = claim("five", "The five men were flown to Qatar on Saturday.")
    stated = claim("five", "Washington released five Taliban detainees from Guantanamo.")
    other = claim("four", "Washington released four Taliban detainees from Guantanamo.")
    assert comparable(again, stated) and comparable(stated, again)
    assert not comparable(again, other)  # "the five men" is not a figure to dispute
    changed = claim("four", "The four men were flown to Qatar on Saturday.")
    assert comparable(again, changed)  # a copy that changed it changed a fact
    pairs = align(extract_claims(stated.sentence), extract_claims(again.sentence))
    assert all(p.label == "agree" for p in pairs)


def test_the_shipped_model_reads_known_features_and_round_trips():
    model = default_model()
    assert isinstance(model, PairModel)
    assert 0 < model.pair_threshold < model.conflict_threshold < 1
    tested = model.trees.feature[model.trees.feature >= 0]
    assert len(tested) and tested.max() < len(FEATURES)
    assert model.second is not None  # the stage that reads the rivals' probabilities
    assert model.second.feature.max() < len(SECOND_STAGE)
    assert (model.second.feature >= len(FEATURES)).any()  # it reads them
    again = PairModel.from_json(json.loads(json.dumps(model.to_json())))
    a = [claim("12", "Officials said 12 agreements were signed in Beijing on Monday.")]
    b = [claim("11", "Officials said 11 agreements were signed in Beijing on Monday.")]
    index, features = candidates(a, b)
    assert np.array_equal(
        model.probabilities(features, index), again.probabilities(features, index)
    )


def test_the_second_stage_decides_only_disagreeing_figures_with_rivals():
    model = default_model()
    first = PairModel(model.trees, model.pair_threshold, model.conflict_threshold)
    ages = [
        claim("24-year-old", "The gunman shot Corporal Nathan Cirillo, a 24-year-old reservist."),
        claim("32-year-old", "Police named the gunman as 32-year-old Michael Zehaf-Bibeau."),
    ]
    # one figure on each side: no rival to read, the first stage's probability stands
    index, features = candidates(ages[:1], ages[1:])
    alone = model.probabilities(features, index)
    assert np.array_equal(alone, first.probabilities(features, index))
    # rivals: the disagreeing candidates are decided again, the agreeing one is not
    more = [*ages[1:], claim("24", "Cirillo, 24, was standing guard at the memorial.")]
    index, features = candidates(ages[:1], more)
    assert [features[k, FEATURES.index("compatible")] for k in range(2)] == [0.0, 1.0]
    two, one = model.probabilities(features, index), first.probabilities(features, index)
    assert two[1] == one[1] and two[0] != one[0]
    # times, rivals or not, are the first stage's (an article dates many events)
    visit = [claim("2017", "Putin last visited Vietnam in 2017, officials said.")]
    others = [
        claim("2016", "Vietnam last bought Russian tanks in 2016, officials said."),
        claim("2000", "Putin came to power in 2000, officials said."),
    ]
    index, features = candidates(visit, others)
    assert len(index) == 2 and {c.kind for c in visit + others} == {"year"}
    assert np.array_equal(
        model.probabilities(features, index), first.probabilities(features, index)
    )


def test_a_candidates_rivals_are_the_other_candidates_of_its_figures():
    # a's figure 0 has candidates with b's 0 and 1; a's figure 1 only with b's 1
    index = [(0, 0), (0, 1), (1, 1)]
    features = np.zeros((3, len(FEATURES)))
    features[1, FEATURES.index("compatible")] = 1.0  # (0, 1) agree
    probs = np.array([0.2, 0.7, 0.4])
    got = dict(zip(RIVALS, rivals(features, index, probs).T, strict=True))
    assert got["rival_a"].tolist() == [0.7, 0.2, 0.0]
    assert got["margin_a"].tolist() == pytest.approx([-0.5, 0.5, 0.4])
    assert got["agreeing_rival_a"].tolist() == [0.7, 0.0, 0.0]
    assert got["rival_b"].tolist() == [0.0, 0.4, 0.7]
    assert got["agreeing_rival_b"].tolist() == [0.0, 0.0, 0.7]
    assert got["first_stage"].tolist() == probs.tolist()


def test_a_model_naming_a_feature_the_code_lacks_is_refused():
    data = default_model().to_json()
    tree = data["trees"][0]  # type: ignore[index]
    tree["feature"] = ["no_such_feature" if f else f for f in tree["feature"]]
    with pytest.raises(KeyError):
        PairModel.from_json(data)


@pytest.mark.parametrize(
    "sentence",
    [
        "He made the Jobs film alongside Film 360's Guymon Casady and Mark Gordon last year.",
        "One ounce of 18k gold occupies about 1.8 cubic centimetres, the jeweller said.",
        "The smartwatch will likely start at $500Apple's mid-range watch will likely follow.",
        "Shares of U.S. firms rose 12 points after the İstanbul talks on Monday, traders said.",
        "Officials said 40 people, including ΣΑΣ crew, were flown to the capital on Tuesday.",
        "In 2013, 16 of the 40 men, 3 women and 2 boys said 5 more came; 7 left at 9 a.m. 2 1",
        "12 people died",
    ],
)
def test_a_figures_window_reads_as_each_side_read_alone(sentence):
    # The sentence's words are read once for all its figures; a word that runs into a figure
    # ("360's", "18k") or a letter that lower-cases to more than one must not change them.
    for c in extract_claims(sentence):
        if c.kind == "quote":
            continue
        at = sentence.find(c.surface)
        before, after = sentence[:at], sentence[at + len(c.surface) :]
        assert alignment._windows(sentence, at, at + len(c.surface)) == (
            alignment._window(before, last=True),
            alignment._window(after, last=False),
        )


def test_features_are_the_same_whichever_claims_have_candidates():
    a = extract_claims("Police said 12 people were killed and 30 injured in the attack on Monday.")
    b = extract_claims("Officials said 14 people were killed in the attack, and 2015 was calm.")
    index, features = candidates(a, b)
    assert index
    for k, (i, j) in enumerate(index):
        _, alone = candidates([a[i]], [b[j]])
        # Every column but those that weigh a figure's other candidates reads this pair alone.
        others = {"best_a", "best_b", "equal_elsewhere_a", "equal_elsewhere_b"}
        keep = [n not in others for n in alignment.FEATURES]
        assert (features[k, keep] == alone[0, keep]).all()


def test_a_figure_whose_value_the_other_article_states_elsewhere():
    a = extract_claims("Foley, 40, grew up in New Hampshire. His brother, 44, spoke on Monday.")
    b = extract_claims("He was 39 years old. He was held for 44 days, and 44 others were freed.")
    index, features = candidates(a, b)
    row = {
        (a[i].surface, b[j].surface): dict(zip(FEATURES, f, strict=True))
        for (i, j), f in zip(index, features, strict=True)
    }
    # "44" (the brother) is stated in b, so "39 years old" is likely not his age; "40" is not.
    assert row[("44", "39 years old")]["equal_elsewhere_a"] == 1
    assert row[("44", "44")]["equal_elsewhere_a"] == 1  # "44 days" states it too
    assert row[("40", "39 years old")]["equal_elsewhere_a"] == 0
    assert row[("40", "39 years old")]["equal_elsewhere_b"] == 0


@pytest.mark.parametrize(
    ("a", "b", "gap"),
    [
        (
            ("39-year-old", "The 39-year-old reporter vanished."),
            ("40", "Foley, 40, vanished."),
            1.0,
        ),
        (("2017", "Putin last visited in 2017."), ("2000", "Putin took power in 2000."), 17.0),
        (
            ("Jan. 8, 2014", "He was seen on Jan. 8, 2014."),
            ("Jan. 9, 2014", "He was last seen Jan. 9, 2014."),
            1 / 30,
        ),
        (("12", "Putin signed 12 deals on Thursday."), ("11", "Putin signed 11 deals."), -1.0),
    ],
)
def test_the_gap_between_two_times_or_ages_is_in_years(a, b, gap):
    # A ratio says nothing of years (2000 and 2017 are 1% apart); the gap does.
    _, features = candidates([claim(*a)], [claim(*b)])
    assert features[0, FEATURES.index("gap")] == pytest.approx(gap)


def test_names_that_clash_and_names_shared():
    victim = claim("24-year-old", "The gunman shot Corporal Nathan Cirillo, a 24-year-old father.")
    gunman = claim("32-year-old", "The alleged gunman is 32-year-old Michael Zehaf-Bibeau.")
    bary = claim("24", "Abdel-Majed Abdel Bary, 24, is a former rapper from west London.")
    same = claim(
        "23-year-old", "Abdel Majed Abdel Bary, a 23-year-old hip-hop artist, is a suspect."
    )
    row = {}
    for name, (x, y) in {"two people": (victim, gunman), "one": (bary, same)}.items():
        _, features = candidates([x], [y])
        row[name] = dict(zip(FEATURES, features[0], strict=True))
    assert row["two people"]["names_clash"] == 1
    assert row["two people"]["nearest_name_shared"] == 0
    assert row["one"]["names_clash"] == 0
    assert row["one"]["nearest_name_shared"] > 0.5  # "Abdel-Majed" is written "Abdel Majed"
    # A name that opens the sentence, set off by its age, is a name all the same.
    _, features = candidates([bary], [claim("23", "Bary, 23, is the son of a militant.")])
    assert features[0, FEATURES.index("nearest_name_shared")] == 1


def test_an_age_is_about_who_it_is_of_not_the_name_nearby():
    """ "The 39-year-old reporter" is no age of Agence France-Presse's: no names clash with
    Foley's; a son is a son, whoever stands nearby."""
    reporter = claim(
        "39-year-old", "The 39-year-old reporter was working for Agence France-Presse."
    )
    foley = claim("40-year-old", "Foley, a 40-year-old photojournalist, was kidnapped in Syria.")
    son = claim("4-year-old", "A source told CNN that the child was al-Dulaimi's 4-year-old son.")
    their = claim(
        "their eight-year-old",
        "The army has detained Baghdadi's wife and their eight-year-old son.",
    )
    row = {}
    for name, (x, y) in {"reporter": (reporter, foley), "son": (son, their)}.items():
        _, features = candidates([x], [y])
        row[name] = dict(zip(FEATURES, features[0], strict=True))
    assert row["reporter"]["names_clash"] == 0 and row["reporter"]["nearest_name_none"] == 1
    assert row["reporter"]["subject"] == 0  # a reporter, a photojournalist: no word shared
    assert row["son"]["subject"] == 1
    # Figures that are not ages, and ages that do not say whose, have no subject to compare.
    he = claim("39 years old", "He was 39 years old, his family said.")
    assert candidates([he], [foley])[1][0, FEATURES.index("subject")] == -1


def test_relative_times_are_compared_with_each_other_and_with_dates():
    ago = claim("10 days ago", "The group released the video 10 days ago, officials said.")
    week = claim("the past week", "The group released the video in the past week, they said.")
    assert comparable(ago, week)
    assert not compatible_values(ago, week)  # 10 days back is not within the past week
    year = claim("2012", "In 2012, a 23-year-old woman died after an attack on a bus.")
    last = claim("Last year", "Last year a 23-year-old woman died after an attack on a bus.")
    assert comparable(year, last) and candidates([year], [last])[0] == [(0, 0)]
    assert compatible_values(year, last)  # no published day: last year may be 2012


def test_relative_times_resolved_against_the_published_day_compare_as_dates():
    published = date(2014, 9, 12)
    [last] = extract_claims("Last year a woman died after an attack on a bus.", published=published)
    [year] = extract_claims("In 2012, a woman died after an attack on a bus.", published=published)
    assert (last.kind, last.value) == ("year", 2013)
    assert comparable(last, year) and not compatible_values(last, year)


def test_a_weekday_and_a_date_are_compared():
    weekday = claim("Thursday", "Kim missed a session of the assembly in Pyongyang on Thursday.")
    day = claim("Sept. 25", "Kim missed a session of parliament on Sept. 25, state media said.")
    assert comparable(weekday, day)
    assert compatible_values(weekday, day)  # not on one scale: no conflict
    week = claim("last week", "Kim missed a session of parliament last week, state media said.")
    assert comparable(weekday, week)
    month = claim("September", "Kim missed a session of parliament in September, media said.")
    assert not comparable(weekday, month)  # a month is no weekday's date


def test_a_time_since_is_compared_with_a_duration():
    ago = claim("24 years ago", "The official went on leave 24 years ago and never came back.")
    span = claim("25 years", "The official has been on leave for 25 years, the ministry said.")
    assert comparable(ago, span)
    assert not compatible_values(ago, span)
    month = claim("January", "The official went on leave in January, the ministry said.")
    assert not comparable(month, span)  # a date that is no time since


def test_a_day_after_and_two_days_after_are_compared():
    one = claim("a day", "The attack came a day after the ceasefire was announced.")
    two = claim("two days", "The attack came two days after the ceasefire was announced.")
    assert comparable(one, two)
    assert [p.label for p in align([one], [two])] == ["conflict"]

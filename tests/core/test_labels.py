"""Labels of paired figures, as the annotation guide defines them (one test per class of
dev-set failure fixed)."""

from __future__ import annotations

import pytest

from bot.core.alignment import align
from bot.core.claims import extract_claims
from bot.core.labels import compatible, label_pair, shape
from tests.core.test_claims import claim


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        (
            ("about 300", "About 300 people were killed in the flooding, officials said."),
            ("297", "The flooding killed 297 people, officials said."),
            "agree",
        ),
        (
            ("more than 50", "More than 50 people were arrested at the protest on Sunday."),
            ("50 to 60", "Police arrested 50 to 60 people at the protest on Sunday."),
            "agree",
        ),
        (
            ("90 km", "The convoy travelled 90 km from the border before it stopped."),
            ("90 miles", "The convoy travelled 90 miles from the border before it stopped."),
            "conflict",
        ),
        (
            ("$3.6bn", "Exports rose to $3.6bn in 2023, the ministry said."),
            ("$3.5bn", "Exports rose to $3.5bn in 2022, the ministry said."),
            "different_period",
        ),
    ],
)
def test_labels(a, b, label):
    first, second = claim(*a), claim(*b)
    pairs = align([first], [second])
    assert [p.label for p in pairs] == [label]


def test_a_rising_death_toll_in_a_later_article_is_an_update():
    early = claim("twelve", "Twelve people were killed when the building collapsed.")
    later = claim("27", "The collapse killed 27 people, rescuers said on Friday.")
    assert label_pair(early, later, b_is_later=True) == "update"
    assert label_pair(early, later, b_is_later=False) == "conflict"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # The same qualifier with another figure is another value.
        (
            ("more than 50", "More than 50 bodies were found."),
            ("more than 40", "More than 40 bodies were found."),
            False,
        ),
        (
            ("less than 48 hours", "He woke less than 48 hours later."),
            ("less than 48 minutes", "He woke less than 48 minutes later."),
            False,
        ),
        # Counts and years are not rounded: 140 women are not 138.
        (("140", "The ship carried 140 women."), ("138", "The ship carried 138 women."), False),
        (
            ("2012", "He was kidnapped in 2012 in Syria."),
            ("2011", "He was kidnapped in 2011 in Syria."),
            False,
        ),
        # "About" allows 5%, not 10%.
        (
            ("roughly 12 hours", "The blast came roughly 12 hours before."),
            ("13 hours", "The blast came 13 hours before."),
            False,
        ),
        (
            ("about 300", "About 300 people were killed."),
            ("297", "The flood killed 297 people."),
            True,
        ),
        # Measures are rounded and converted.
        (
            ("$350", "The watch costs $350 in stores."),
            ("$349", "The watch costs $349 in stores."),
            True,
        ),
        (("12 metres", "The fish was 12 metres long."), ("40ft", "The fish was 40ft long."), True),
        # ... but a rounder figure stays near the other: $2 million is not $2.5 million.
        (
            ("$2 million", "The club paid $2 million for him."),
            ("$2.5 million", "The club paid $2.5 million for him."),
            False,
        ),
        # "Nearly" is up to 10% below the figure, the figure itself included; never above it.
        (
            ("an hour", "They beat him with sticks for an hour."),
            ("nearly an hour", "He was beaten with sticks for nearly an hour."),
            True,
        ),
        (
            ("28", "In all, 28 bundles of equipment were dropped."),
            ("nearly 30", "The military delivered nearly 30 packages of equipment."),
            True,
        ),
        (
            ("26", "The military dropped 26 packages of equipment."),
            ("nearly 30", "The military delivered nearly 30 packages of equipment."),
            False,
        ),
        (
            ("more than 400", "More than 400 fighters were surrounded."),
            ("nearly 400", "Nearly 400 fighters were surrounded."),
            False,
        ),
        # "More than" leaves its figure out, "at least" keeps it: bounds of two sorts are
        # intervals; two bounds of one sort with other figures disagree.
        (
            ("more than 130", "The coalition mounted more than 130 air strikes."),
            ("at least 135", "There have been at least 135 air strikes."),
            True,
        ),
        (
            ("at least 400", "At least 400 fighters were surrounded."),
            ("nearly 400", "Nearly 400 fighters were surrounded."),
            True,
        ),
        (
            ("more than 50", "More than 50 bodies were found."),
            ("over 40", "Over 40 bodies were found."),
            False,
        ),
        (
            ("nearly $350", "The watch costs nearly $350 in stores."),
            ("$349", "The watch costs $349 in stores."),
            True,
        ),
        # "Hundreds" are fewer than a thousand, "thousands" fewer than ten thousand.
        (
            ("hundreds", "The family received hundreds of phone calls."),
            ("a thousand", "The family received a thousand phone calls."),
            False,
        ),
        (
            ("hundreds", "The family received hundreds of phone calls."),
            ("more than 300", "The family received more than 300 phone calls."),
            True,
        ),
        (
            ("thousands", "Police counted thousands of people."),
            ("10,000", "Police counted 10,000 people."),
            False,
        ),
        # Two ranges agree when they have the same ends; a figure inside a range agrees with it.
        (
            ("ages 13 to 15", "Seven girls, ages 13 to 15, are pregnant."),
            ("between 13 and 14", "Seven girls, all aged between 13 and 14, are pregnant."),
            False,
        ),
        (
            ("between 40 and 50", "The toll was between 40 and 50."),
            ("40 to 50", "The toll was 40 to 50."),
            True,
        ),
        (
            ("ages 13 to 15", "Seven girls, ages 13 to 15, are pregnant."),
            ("14", "One of the girls is 14."),
            True,
        ),
        (
            ("$3m to $4m", "The repairs cost $3m to $4m."),
            ("$3 million to $4 million", "The repairs cost $3 million to $4 million."),
            True,
        ),
    ],
)
def test_compatible_values(a, b, same):
    assert compatible(claim(*a), claim(*b)) is same


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        # A figure denied in one article and stated in the other: a conflict.
        (
            ("$72 million", "He says he did not make $72 million from trading stocks."),
            ("$72 million", "The teenager is worth a rumored $72 million, friends say."),
            "conflict",
        ),
        (
            ("$72 million", "There was no $72 million, he told the paper."),
            ("$72 million", "The teenager is worth $72 million, the magazine said."),
            "conflict",
        ),
        (
            ("$5m", "The club didn't pay $5m for the striker."),
            ("$5m", "The club paid $5m for the striker."),
            "conflict",
        ),
        # Both deny it: they agree.
        (
            ("$72 million", "He did not make $72 million, he says."),
            ("$72 million", "Islam says he never made $72 million."),
            "agree",
        ),
        # A negation that is part of a qualifier, or that denies the verb, not the figure.
        (
            ("no more than 50", "Police said no more than 50 people died."),
            ("50", "Police said 50 people died."),
            "agree",
        ),
        (
            ("10 days", "He has not been seen for 10 days, his family said."),
            ("10 days", "He has been missing for 10 days, his family said."),
            "agree",
        ),
        (
            ("2012", "He did not leave until 2012, his brother said."),
            ("2012", "He left the country in 2012, his brother said."),
            "agree",
        ),
    ],
)
def test_a_denied_figure_contradicts_the_figure_stated(a, b, label):
    assert label_pair(claim(*a), claim(*b)) == label


def test_shapes_read_the_qualifier_off_the_interval():
    said = " people died in the floods, officials said."
    assert shape(claim("more than 50", "More than 50" + said)) == "lower"
    assert shape(claim("up to 50", "Up to 50" + said)) == "upper"
    assert shape(claim("about 50", "About 50" + said)) == "approx"
    assert shape(claim("nearly 50", "Nearly 50" + said)) == "near"
    assert shape(claim("50 to 60", "Police said 50 to 60" + said)) == "range"
    assert shape(claim("50", "Officials said 50" + said)) == "exact"


def test_a_date_without_its_year_against_a_dated_one():
    a = claim("Aug. 4", "Sotloff went missing on Aug. 4 in northern Syria.")
    b = claim("Aug. 4, 2013", "Sotloff went missing on Aug. 4, 2013 in northern Syria.")
    assert compatible(a, b)
    c = claim("Aug. 3, 2013", "Sotloff went missing on Aug. 3, 2013 in northern Syria.")
    assert not compatible(b, c)
    assert [p.label for p in align([b], [c])] == ["conflict"]


def test_a_copy_that_changed_the_year_of_a_figure_is_a_conflict():
    a = claim("$3.6bn", "Exports rose to $3.6bn in 2023, the ministry said on Monday.")
    b = claim("$3.6bn", "Exports rose to $3.6bn in 2021, the ministry said on Monday.")
    assert label_pair(a, b) == "conflict"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A range or a bound that still overlaps the other: a changed fact all the same.
        (
            ("two or three", "Police said two or three gunmen were involved in the attacks."),
            ("two or six", "Police said two or six gunmen were involved in the attacks."),
        ),
        (
            ("up to 30 per cent", "The outlets channel up to 30 per cent of takings to the state."),
            ("up to 60 per cent", "The outlets channel up to 60 per cent of takings to the state."),
        ),
        # A back-reference changed in a copy.
        (
            ("three", "The three men had been kept in a high security camp until May."),
            ("five", "The five men had been kept in a high security camp until May."),
        ),
    ],
)
def test_a_figure_changed_in_a_copy_of_its_sentence_is_a_conflict(a, b):
    pairs = align([claim(*a)], [claim(*b)])
    assert [(p.a.surface, p.b.surface, p.label) for p in pairs] == [(a[0], b[0], "conflict")]


def test_a_later_copy_that_raised_a_running_count_updated_it():
    a = claim("12", "Rescuers said 12 people were killed when the building collapsed.")
    b = claim("14", "Rescuers said 14 people were killed when the building collapsed.")
    assert label_pair(a, b, b_is_later=True) == "update"
    assert label_pair(a, b) == "conflict"


def test_a_back_reference_pairs_only_with_a_copy_of_its_sentence():
    a = claim("two", "The two men were arrested at the airport, police said on Monday.")
    b = claim("three", "Police arrested three men at the border crossing on Sunday night.")
    assert align([a], [b]) == []


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        # Two tallies so far were counted at different times: an update.
        (
            (
                "200,000",
                "The clip was uploaded last month and has since received 200,000 views.",
            ),
            (
                "610,000",
                "The footage was uploaded two weeks ago and has been viewed 610,000 times.",
            ),
            "update",
        ),
        (
            ("27 million", "As of Tuesday morning, the video had 27 million views on YouTube."),
            ("28 million", "The video has racked up 28 million views on YouTube."),
            "update",
        ),
        # One tally against a figure stated once and for all: they disagree.
        (
            ("11", "The strike killed 11 militants, officials said."),
            ("six", "Six militants have been killed so far, officials said."),
            "conflict",
        ),
        # Neither is a tally.
        (
            ("11", "The strike killed 11 militants, officials said."),
            ("six", "The strike killed six militants, a witness said."),
            "conflict",
        ),
    ],
)
def test_tallies_counted_at_different_times_are_updates(a, b, label):
    assert label_pair(claim(*a), claim(*b)) == label


def test_a_later_tally_that_fell_is_a_conflict():
    """A tally counts up: a later article's lower one contradicts the earlier."""
    earlier = claim("610,000", "The clip has been viewed 610,000 times so far.")
    later = claim("200,000", "The clip has since received 200,000 views.")
    assert label_pair(earlier, later, b_is_later=True) == "conflict"
    assert label_pair(later, earlier, b_is_later=True) == "update"


def test_a_copy_that_changed_a_tally_changed_a_fact():
    a = claim("more than 198,000", "To date it has been viewed more than 198,000 times.")
    b = claim("more than 298,000", "To date it has been viewed more than 298,000 times.")
    assert label_pair(a, b) == "conflict"


def test_a_weekday_against_a_date_of_a_known_year_compares_the_day_of_the_week():
    # September 7, 2014 was a Sunday.
    dated = claim("September 7, 2014", "The meteorite struck Managua on September 7, 2014.")
    saturday = claim("late Saturday night", "The meteorite struck Managua late Saturday night.")
    sunday = claim("Sunday", "The meteorite struck Managua on Sunday, officials said.")
    assert not compatible(dated, saturday)
    assert compatible(saturday, dated) is compatible(dated, saturday)
    assert compatible(dated, sunday)
    # A date of more than one day, or without its year, names no one weekday.
    month = claim("September 2014", "The meteorite struck Managua in September 2014.")
    no_year = claim("September 7", "The meteorite struck Managua on September 7.")
    assert compatible(month, saturday)
    assert compatible(no_year, saturday)
    # Whether the two are paired is the model's call; paired, they never agree.
    assert all(p.label != "agree" for p in align([dated], [saturday]))


def test_a_count_of_others_is_the_total_less_the_one_named():
    others = claim("three", "Ambassador Chris Stevens and three other Americans were killed.")
    four = claim("Four", "Four Americans were killed in the attack, including Stevens.")
    five = claim("Five", "Five Americans were killed in the attack, officials said.")
    assert compatible(others, four) and compatible(four, others)
    assert not compatible(others, five)
    # Two counts of others: the same one left out of both.
    assert not compatible(others, claim("four", "Stevens and four other Americans died."))
    marines = claim("two", "He and two other marines were taking part in the mission.")
    assert compatible(marines, claim("three", "In the video, three marines move through a bunker."))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # Two units: compared in the coarser, a rounder spelling agrees.
        ("He was away for a year.", "He was away for 12 months.", True),
        (
            "He worked for the RCMP for three decades.",
            "He served with the RCMP for 29 years.",
            True,
        ),
        ("The siege lasted 48 hours.", "The siege lasted two days.", True),
        ("He was away for two years.", "He was away for 18 months.", False),
        ("He was held for 13 months.", "He was held for a year.", False),
        (
            "He had a 28-year career with the RCMP.",
            "He worked for the RCMP for three decades.",
            False,
        ),
        # One unit: counts of it, not rounded.
        ("He was away for 24 years.", "He was away for 25 years.", False),
    ],
)
def test_durations_in_two_units_compare_in_the_coarser(a, b, same):
    [ca], [cb] = extract_claims(a), extract_claims(b)
    assert compatible(ca, cb) is same
    assert compatible(cb, ca) is same

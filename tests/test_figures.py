"""Figures and what they count (parallax.text.figures): the comparison's figure
conflicts rest on these readings."""

from __future__ import annotations

from parallax.text.figures import Figure, figures_agree, find_figures


def _only(text: str) -> Figure:
    (figure,) = find_figures(text)
    return figure


def test_a_figure_carries_what_it_counts() -> None:
    assert _only("Some 3,400 dock workers stopped work on Monday.").written == "3,400 dock workers"
    assert _only("Some 3,400 dock workers stopped work on Monday.").unit == "worker"
    assert _only("It says about 4,000 of the port's workers are members.").unit == "worker"
    assert _only("The union is demanding a 15% pay rise.").unit == "%"
    goals = find_figures("He scored 22 goals in 30 league matches, and 19 league goals before.")
    assert [f.unit for f in goals] == ["goal", "match", "goal"]


def test_dates_years_and_openings_count_nothing() -> None:
    assert find_figures("The quake came at 9.47 on Sunday, 19 October 2025.") == []
    assert find_figures("One of the cranes fell in 2021 and No. 3 berth closed.") == []


def test_a_time_of_day_counts_nothing() -> None:
    """ "6:00 p.m." is no figure of "p": two outlets' times are not two counts."""
    assert find_figures("He gave himself up just after 6:00 p.m. on Friday.") == []
    assert [f.written for f in find_figures("Police came at 7 pm and found 3 men.")] == ["3 men"]


def test_a_death_after_the_figure_says_what_it_counts() -> None:
    assert _only("Two injured people died in hospital overnight.").measure == "injured who died"
    assert _only("Three people died in the fire.").measure == "dead"
    died, injured = find_figures("Four people died and 57 were injured, officials said.")
    assert (died.measure, injured.measure) == ("dead", "injured")


def test_an_aftershock_is_measured_apart_from_the_quake() -> None:
    aftershock, quake = find_figures("An aftershock of magnitude 5.1 followed the 6.4 earthquake.")
    assert quake.key == "magnitude"
    assert aftershock.key == "magnitude (second happening)"


def test_qualifiers_let_rounded_and_bounded_figures_agree() -> None:
    about_160 = _only("By Thursday about 160 ships were waiting.")
    more_than_140 = _only("More than 140 ships were waiting.")
    exactly_130 = _only("Officials counted 130 ships.")
    assert (about_160.qualifier, more_than_140.qualifier) == ("about", "at least")
    assert figures_agree(about_160, more_than_140)
    assert figures_agree(_only("Roughly 3,800 workers walked out."), _only("3,790 workers left."))
    assert not figures_agree(exactly_130, more_than_140)
    assert not figures_agree(
        _only("Some 3,400 workers left."), _only("Roughly 3,800 workers left.")
    )


def test_money_is_counted_in_its_currency() -> None:
    fee = _only("The fee is €18 million.")
    assert (fee.unit, fee.value) == ("€", 18_000_000)


def test_a_toll_is_a_count_of_the_dead() -> None:
    toll, later = find_figures("The death toll has risen to five after two injured people died.")
    assert (toll.value, toll.measure) == (5, "dead")
    assert later.measure == "injured who died"
    assert _only("The blast killed at least nine people.").measure == "dead"


def test_two_lower_bounds_are_two_tolls() -> None:
    nine = _only("The blast killed at least nine people.")
    seven = _only("The blast killed at least seven people.")
    assert not figures_agree(nine, seven)
    assert figures_agree(nine, _only("The blast killed at least nine people, police said."))

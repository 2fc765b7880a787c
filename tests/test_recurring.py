"""Page furniture: what a site repeats on pages published months apart is not body text."""

from __future__ import annotations

from dataclasses import replace

import parallax
from parallax.clean.recurring import (
    FURNITURE_REASON,
    RecurrenceParams,
    furniture_of,
    paragraph_key,
    sightings,
    site_of,
)
from parallax.model import Article, Block

SIGN_UP = [
    "Get alerts from the Riverside Ledger every morning!",
    "Your alert has been saved.",
    "Alerts are sent once a day, and only when there is news.",
]
EVENTS = [
    (
        "Bridge reopens after repairs",
        "The Mill Street bridge reopened on Tuesday after eleven weeks of repairs to its "
        "deck. Engineers from the county replaced forty steel beams and the railings.",
    ),
    (
        "Library extends its opening hours",
        "The central library will stay open until nine in the evening from next month, "
        "the council said, after a petition signed by two thousand readers.",
    ),
    (
        "Orchard harvest is the best in a decade",
        "Growers in the valley picked more apples this autumn than in any year since "
        "2014, helped by a wet spring and a warm, dry September.",
    ),
    (
        "Ferry service cut for the winter",
        "The river ferry will run only at weekends from December to March, its operator "
        "announced, citing the cost of fuel and a shortage of crew.",
    ),
]
MONTHS = ["2024-01-10", "2024-03-12", "2024-06-02", "2024-09-20"]


def page(n: int, site: str = "riverside-ledger.example", furniture: bool = True) -> dict:
    title, body = EVENTS[n]
    paragraphs = [title, body, *(SIGN_UP if furniture else [])]
    return {
        "title": title,
        "text": "\n\n".join(paragraphs),
        "url": f"https://www.{site}/news/{n}",
        "published": MONTHS[n],
    }


def test_paragraph_key_ignores_case_spacing_punctuation_and_figures() -> None:
    assert paragraph_key("Your alert has been saved.") == paragraph_key(
        "your  ALERT has been saved"
    )
    assert paragraph_key("Call 555-0100 today") == paragraph_key("Call 555-0199 today!")
    assert paragraph_key("Your alert has been saved.") != paragraph_key("Your alert was lost.")


def test_site_is_the_registered_domain_else_the_host_else_the_outlet() -> None:
    assert site_of("http://www.ledger.example:80/a/b", None) == "ledger.example"
    assert site_of(None, " The Ledger ") == "the ledger"
    # Sections on hosts of their own, local papers of one network: one site, one template.
    assert site_of("http://sport.ledger.co.uk/a", None) == "ledger.co.uk"
    assert site_of("http://travel.ledger.co.uk/b", None) == "ledger.co.uk"
    assert site_of("http://hilltown.dailyguide.com.au/c", None) == "dailyguide.com.au"
    assert site_of("http://localhost:8000/a", None) == "localhost"
    assert site_of(None, None) is None


def _article(site: str, published: str, *paragraphs: str) -> Article:
    blocks = [Block(text, "body", "article text", 0, len(text)) for text in paragraphs]
    return Article(
        id=f"{site}{published}",
        source="test",
        url=f"https://{site}/x",
        title="t",
        outlet=None,
        republished_by=[],
        wire_credits=[],
        byline=[],
        published=published,
        event_dates=[],
        language="en",
        text="\n\n".join(paragraphs),
        captions=[],
        photo_credits=[],
        blocks=blocks,
        format="text",
    )


def test_furniture_is_a_site_repeating_itself_or_a_block_repeated_across_sites() -> None:
    params = RecurrenceParams()
    notice = "Subscribe for full access."
    stock = "No arrests have been made."
    body = [title for title, _ in EVENTS]  # a text of its own for each page
    months = [_article("a.example", day, body[i], notice) for i, day in enumerate(MONTHS[:3])]
    week = [_article("b.example", f"2024-05-0{d}", body[d % 4], notice) for d in (1, 3, 6)]
    stock_sites = [_article(f"s{i}.example", day, body[i], stock) for i, day in enumerate(MONTHS)]
    block_sites = [_article(f"n{i}.example", day, *SIGN_UP) for i, day in enumerate(MONTHS)]
    everything = [*months, *week, *stock_sites, *block_sites]
    seen = sightings(everything, params)
    assert furniture_of(months[0], seen, params) == {paragraph_key(notice)}
    assert furniture_of(week[0], seen, params) == frozenset()  # a week's wire copies
    assert furniture_of(stock_sites[0], seen, params) == frozenset()  # a stock sentence
    assert furniture_of(block_sites[0], seen, params) == {paragraph_key(p) for p in SIGN_UP}
    # The first two of the block alone are no template's block.
    pair = _article("n9.example", MONTHS[0], *SIGN_UP[:2], body[0])
    assert furniture_of(pair, seen, params) == frozenset()


def test_long_paragraphs_are_not_counted_and_an_undated_page_is_one_story() -> None:
    params = RecurrenceParams()
    long_paragraph = " ".join(["word"] * (params.max_words + 1))
    long = [_article("a.example", day, long_paragraph) for day in MONTHS]
    assert sightings(long, params) == {}
    notice = "Your account is paused. Subscribe to read on."
    undated = [
        replace(_article("a.example", "", EVENTS[n][1], notice), url=f"https://a.example/{n}")
        for n in range(3)
    ]
    seen = sightings(undated, params)
    key = paragraph_key(notice)
    assert len(seen[f"a.example\t{key}"]) == 3  # three pages of the site, each its own
    assert len(seen[f"*\t{key}"]) == 3  # and three stories, wherever they were printed
    assert furniture_of(undated[0], seen, params) == {key}
    # Versions of one story (its longest paragraph the same) are one page, and two pages
    # are not enough.
    version = replace(undated[0], url="https://a.example/0-updated")
    versions = [undated[0], version, undated[1]]
    assert furniture_of(undated[0], sightings(versions, params), params) == frozenset()


def test_a_wire_story_on_three_undated_sites_is_text() -> None:
    params = RecurrenceParams()
    wire = [
        "The governor signed the budget late on Friday.",
        "It ends a month of talks.",
        "Roads get most of the extra money.",
    ]
    sites = [_article(f"w{i}.example", "", *wire) for i in range(3)]
    seen = sightings(sites, params)
    assert furniture_of(sites[0], seen, params) == frozenset()
    # Each site gives it a headline of its own: still one story.
    retitled = [replace(page, title=f"Budget signed ({i})") for i, page in enumerate(sites)]
    assert furniture_of(retitled[0], sightings(retitled, params), params) == frozenset()


def test_a_networks_paywall_on_three_undated_sites_is_furniture() -> None:
    """Local papers of one network, each printing the network's paywall block once, over
    a story of its own: the block recurs over three stories, and is furniture."""
    params = RecurrenceParams()
    paywall = [
        "Your account is paused.",
        "Options",
        "To read on you must subscribe to our premium edition.",
    ]
    pages = [
        replace(_article(f"town{n}.example", "", *paywall, EVENTS[n][1]), title=EVENTS[n][0])
        for n in range(3)
    ]
    seen = sightings(pages, params)
    assert furniture_of(pages[0], seen, params) == {paragraph_key(p) for p in paywall}
    # Two sites are not enough.
    assert furniture_of(pages[0], sightings(pages[:2], params), params) == frozenset()


def test_ingest_drops_furniture_and_refuses_a_page_of_nothing_else(db: str) -> None:
    only_furniture = {**page(3), "text": "\n\n".join([EVENTS[3][0], *SIGN_UP])}
    wire = "The governor signed the budget late on Friday, ending a month of talks."
    copies = [
        {
            "title": "Budget signed",
            "text": f"Budget signed\n\n{wire}\n\nIn {town}, the mayor welcomed the extra money for roads.",
            "url": f"https://{site}/budget",
            "published": f"2024-07-0{n + 1}",
        }
        for n, (site, town) in enumerate(
            [("one.example", "Ashford"), ("two.example", "Brampton"), ("three.example", "Cole")]
        )
    ]
    with parallax.Corpus(db) as corpus:
        report = corpus.ingest([page(0), page(1), page(2), only_furniture, *copies])
        assert report.ingested == 6
        (failure,) = report.failures
        assert "recurs on pages published months apart" in failure.reason
        articles = list(corpus.store.articles())
        for article in articles:
            assert not any(line in article.text for line in SIGN_UP)
        ledger = [a for a in articles if a.url and "riverside" in a.url]
        assert len(ledger) == 3
        for article in ledger:
            reasons = [b.reason for b in article.blocks if b.text in SIGN_UP]
            assert reasons == [FURNITURE_REASON] * len(SIGN_UP)
            assert EVENTS[int(article.url[-1])][1] in article.text
        # Three sites printing one wire paragraph in one week keep it.
        assert sum(wire in a.text for a in articles) == 3


def test_a_feed_read_day_by_day_learns_its_furniture_from_the_store(db: str) -> None:
    with parallax.Corpus(db) as corpus:
        corpus.ingest([page(0)])
        corpus.ingest([page(1)])
        first_two = list(corpus.store.articles())
        assert all(SIGN_UP[1] in a.text for a in first_two)  # not yet known
        corpus.ingest([page(2)])
        corpus.ingest([page(3)])
        later = [a for a in list(corpus.store.articles()) if a.id not in {b.id for b in first_two}]
        assert len(later) == 2
        assert not any(SIGN_UP[1] in a.text for a in later)
        assert all(EVENTS[int(a.url[-1])][1] in a.text for a in later)


def test_recurrence_is_a_parameter(db: str) -> None:
    strict = RecurrenceParams(min_periods=5)
    with parallax.Corpus(db) as corpus:
        corpus.ingest([page(n) for n in range(4)], recurrence=strict)
        assert all(SIGN_UP[0] in a.text for a in list(corpus.store.articles()))


def test_a_footer_longer_than_the_stories_does_not_make_them_one() -> None:
    """Undated pages count once per story told, known by headline and longest paragraph:
    on a site whose terms of service outrun its stories, the headline tells them apart."""
    params = RecurrenceParams()
    terms = " ".join(["These terms govern your use of the site and its services."] * 5)
    offer = "Great travel insurance deals online"
    pages = [
        replace(
            _article("ledger.example", "", EVENTS[n][1], offer, terms),
            url=f"https://ledger.example/{n}",
            title=EVENTS[n][0],
        )
        for n in range(3)
    ]
    assert furniture_of(pages[0], sightings(pages, params), params) == {paragraph_key(offer)}


def test_a_menu_row_is_counted_by_its_words_not_its_bars() -> None:
    params = RecurrenceParams()
    menu = (
        "| Home |  |  |  | "
        + " |  |  |  | ".join(
            ["World", "Business", "Sport", "Travel", "Opinion", "Weather", "Puzzles", "Letters"]
        )
        + " |"
    )
    assert len(menu.split()) > params.max_words >= 8
    pages = [_article("ledger.example", day, EVENTS[n][1], menu) for n, day in enumerate(MONTHS)]
    assert furniture_of(pages[0], sightings(pages, params), params) == {paragraph_key(menu)}

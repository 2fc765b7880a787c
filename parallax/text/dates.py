"""Dates stated in text ("May 9, 2023", "9 May", "Nov. 17, 2022") and publication dates,
including the numeric ones datelines use ("Posted: 08/02/2013 11:10 am EDT")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from parallax.text.words import opening_lookahead, word_alternation

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "januar": 1,
    "februar": 2,
    "märz": 3,
    "mai": 5,
    "juni": 6,
    "juli": 7,
    "oktober": 10,
    "dezember": 12,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY_PREFIX = r"(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r"),?\s+(?:the\s+)?)?"
# What a written date can open with, looked ahead for so that a scan passes over every
# other position at once (the patterns' alternations are slow to try at each character).
_OPENS_NAMED = opening_lookahead([*_WEEKDAYS, *_MONTHS])
_OPENS_NUMBERED = opening_lookahead([*_WEEKDAYS, *"0123456789"])
_PATTERNS = [
    re.compile(
        r"\b"
        + _OPENS_NAMED
        + _WEEKDAY_PREFIX
        + _MONTH
        + r"\s+"
        + _DAY
        + r"(?:,?\s+"
        + _YEAR
        + r")?\b",
        re.I,
    ),
    re.compile(
        r"\b"
        + _OPENS_NUMBERED
        + _WEEKDAY_PREFIX
        + _DAY
        + r"\s+(?:of\s+)?"
        + _MONTH
        + r"(?:,?\s+"
        + _YEAR
        + r")?\b",
        re.I,
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
]
_DIGITS = re.compile(r"\d+")
_YEAR_MENTION = re.compile(r"\b((?:19|20)\d\d)\b")
# A weekday named alone ("on Tuesday"), not opening a date ("Tuesday, May 9").
_WEEKDAY = re.compile(word_alternation(list(_WEEKDAYS)).pattern + r"(?![,\s]+\w+\.? \d)", re.I)


# Numeric dates as datelines write them: 08/02/2013, 8/2/13, 14.09.2013, 2012.08.08,
# 2012/08/08. Only datelines are read this way: in running text "3/4" is a fraction or a
# score as often as a date, and the order of day and month needs the line's clock to tell.
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.:])(?:(?P<year_first>(?:19|20)\d\d)[/.](?P<ym>[01]?\d)[/.](?P<yd>[0-3]?\d)"
    r"|(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)?\d\d))(?![\d/]|\.\d)"
)
# A 12-hour clock or a North American time zone marks month-first dates (08/02/2013 is
# August 2); a 24-hour clock or a zone elsewhere, day-first. With neither, month first,
# the order of most English-language news sites that print numeric datelines.
NORTH_AMERICAN_ZONES = r"(?:E|C|M|P|AK|H)[SD]?T|ET|PT"
OTHER_ZONES = r"GMT|BST|CES?T|EES?T|WES?T|IST|AES?T|AED?T|JST|SAST|MSK"
_MONTH_FIRST_CLOCK = re.compile(
    r"\d\s?(?:[ap]\.?m\.?)(?!\w)|\b(?:" + NORTH_AMERICAN_ZONES + r")\b", re.I
)
_DAY_FIRST_CLOCK = re.compile(
    r"\b(?:[01]\d|2[0-3]):[0-5]\d(?!\s?[ap]\.?m)|\b(?:" + OTHER_ZONES + r")\b", re.I
)


def dateline_date(text: str) -> date | None:
    """The date a dateline states first ("Posted: 08/02/2013 11:10 am EDT", "Last updated
    13:26 14/09/2013", "March 4, 2009 10:53 AM"), or None. Written dates need a year;
    numeric ones take day and month in the order the line's clock implies."""
    written = [m for m in find_dates(text) if m.year]
    numeric = _NUMERIC_DATE.search(text)
    if written and (numeric is None or written[0].start < numeric.start()):
        first = written[0]
        return date(first.year, first.month, first.day)  # type: ignore[arg-type]
    if numeric is None:
        return None
    if numeric.group("year_first"):
        year, month, day = (int(numeric.group(g)) for g in ("year_first", "ym", "yd"))
    else:
        a, b, year = (int(numeric.group(g)) for g in ("a", "b", "y"))
        if year < 100:
            year += 2000 if year <= date.today().year % 100 + 1 else 1900
        day_first = a > 12 or (
            b <= 12
            and not _MONTH_FIRST_CLOCK.search(text)
            and bool(_DAY_FIRST_CLOCK.search(text) or numeric.group("sep") == ".")
        )
        month, day = (b, a) if day_first else (a, b)
    return date(year, month, day) if _valid(year, month, day) else None


# A wire dateline opening a body: a place in capitals, maybe its country and the day of
# filing, maybe the agency, then a dash ("CONSTANTA, Romania, March 5 (Reuters) -").
_DATELINE = re.compile(
    r"[A-ZÀ-Ý][A-ZÀ-Ý'’.-]+(?:\s+[A-ZÀ-Ý][A-ZÀ-Ý'’.-]+)*"
    r"(?:,\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"\s*(?:\([^()]{2,40}\))?\s*[-–—]+\s+"
)


def dateline_end(text: str) -> int:
    """Where a wire dateline opening ``text`` ends, or 0: its date is the day of filing,
    not a date of what the article reports."""
    match = _DATELINE.match(text)
    return match.end() if match else 0


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int
    day: int
    weekday: int | None = None


def find_dates(text: str) -> list[DateMention]:
    """Calendar dates written in the text, in order, without overlaps."""
    found: list[DateMention] = []
    for start, end in _digit_windows(text):
        found.extend(_dates_in(text, start, end))
    return found


def _digit_windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits: every date pattern has one, and scanning
    only these keeps the month and weekday alternations off most of the text."""
    windows: list[tuple[int, int]] = []
    for match in _DIGITS.finditer(text):
        start = max(0, match.start() - 40)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = min(len(text), match.end() + 25)
        space = text.find(" ", end)
        end = len(text) if space < 0 else space
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _dates_in(text: str, window_start: int, window_end: int) -> list[DateMention]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text, window_start, window_end):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            month_text = match.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(match.group("day"))
            year_text = match.groupdict().get("year")
            year = int(year_text) if year_text else None
            if not _valid(year or 2000, month, day):
                continue
            if (
                year is None
                and month_text.lower() in ("may", "mar", "jun", "jul")
                and not month_text[0].isupper()
            ):
                continue  # "may 5" in running text is a verb, not a month
            weekday_text = match.groupdict().get("weekday")
            weekday = _WEEKDAYS[weekday_text.lower()] if weekday_text else None
            found.append(DateMention(match.start(), match.end(), year, month, day, weekday))
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda mention: mention.start)


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


# A caption's date is the event's only when it is this close to the newest date the
# article gives: a photo taken on the day is, an archive photo (months or years older) is not.
CAPTION_DATE_WINDOW = timedelta(days=7)


def event_dates(body: str, captions: list[str], reference: date | None) -> list[str]:
    """The dates an article reports: those its body states (years filled in from its
    captions too), and a date only its captions state when it falls within
    ``CAPTION_DATE_WINDOW`` of the newest date the article gives (the seeds' "Thursday,
    Nov. 17, 2022" under an archive photo in a May 2023 report is not the parade's)."""
    # Each text is searched once: the two readings below share its mentions.
    mentions = [find_dates(text) for text in (body, *captions)]
    found = _resolve([body, *captions], mentions, reference)
    in_body = set(_resolve([body], mentions[:1], reference))
    in_captions_only = {
        iso
        for found_in_caption in mentions[1:]
        for mention in found_in_caption
        if mention.year
        and (iso := date(mention.year, mention.month, mention.day).isoformat()) not in in_body
    }
    if not found:
        return found
    newest = max([date.fromisoformat(d) for d in found] + ([reference] if reference else []))
    return [
        d
        for d in found
        if d not in in_captions_only or date.fromisoformat(d) >= newest - CAPTION_DATE_WINDOW
    ]


def resolve_dates(texts: list[str], reference: date | None) -> list[str]:
    """ISO dates stated in ``texts``, years filled in from ``reference`` where omitted.

    Without a publication date the latest fully written date in the texts is
    the reference, so "April 24" next to "May 9, 2023" reads as 2023-04-24.
    Weekdays ("on Tuesday") count only when a publication date anchors them.
    """
    return _resolve(texts, [find_dates(text) for text in texts], reference)


def _resolve(texts: list[str], found: list[list[DateMention]], reference: date | None) -> list[str]:
    """``resolve_dates`` over the mentions already found in each of ``texts``."""
    mentions = [mention for in_text in found for mention in in_text]
    full = [date(m.year, m.month, m.day) for m in mentions if m.year]
    anchor = reference or (max(full) if full else None)
    result: list[str] = []
    for mention in mentions:
        if mention.year:
            resolved = date(mention.year, mention.month, mention.day)
        elif mention.weekday is not None:
            # "Monday 12 May": only some years put that date on that weekday.
            years_named = [int(y) for text in texts for y in _YEAR_MENTION.findall(text)]
            around = anchor or date(max([date.today().year - 1, *years_named]), 12, 31)
            found = _year_by_weekday(mention, around)
            if found is None:
                continue
            resolved = found
        elif anchor:
            resolved = _nearest_year(mention.month, mention.day, anchor)
        else:
            continue
        if resolved.isoformat() not in result:
            result.append(resolved.isoformat())
    if reference:
        for text in texts:
            for match in _WEEKDAY.finditer(text):
                back = (reference.weekday() - _WEEKDAYS[match.group().lower()]) % 7
                day = (reference - timedelta(days=back)).isoformat()
                if day not in result:
                    result.append(day)
    return result


def _year_by_weekday(mention: DateMention, around: date) -> date | None:
    matching = [
        date(year, mention.month, mention.day)
        for year in range(around.year - 6, around.year + 2)
        if _valid(year, mention.month, mention.day)
        and date(year, mention.month, mention.day).weekday() == mention.weekday
    ]
    return min(matching, key=lambda d: abs((d - around).days), default=None)


def _nearest_year(month: int, day: int, anchor: date) -> date:
    candidates = [
        date(year, month, day)
        for year in (anchor.year - 1, anchor.year, anchor.year + 1)
        if _valid(year, month, day)
    ]
    # News mostly looks back: prefer a date up to two months after the anchor, else before it.
    return min(
        candidates,
        key=lambda d: abs((d - anchor).days) + (0 if d <= anchor + timedelta(days=60) else 400),
    )


def parse_published(value: str | None) -> date | None:
    """A publication date from metadata (ISO 8601, RFC 2822, or a written date).

    Dates before 1990 or more than a year ahead are placeholders ("0001-01-01")
    or typos, not publication dates.
    """
    return plausible_publication(_parse_date_value(value))


def plausible_publication(day: date | None) -> date | None:
    """``day``, unless it is before 1990 or more than a year ahead: a placeholder or a typo."""
    if day and date(1990, 1, 1) <= day <= date.today() + timedelta(days=366):
        return day
    return None


def parse_published_time(value: str | None) -> str | None:
    """The moment of publication when metadata gives a time of day (ISO 8601 or RFC 2822),
    in UTC when it names its zone: ``2025-03-05T09:12:00Z``. Copies published on one day
    are told apart by it."""
    if not value or not re.search(r"\d:\d\d", value):
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parse_published(moment.date().isoformat()) is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(microsecond=0).isoformat()
    utc = moment.astimezone(UTC).replace(microsecond=0, tzinfo=None)
    return utc.isoformat() + "Z"


def _parse_date_value(value: str | None) -> date | None:
    if not value:
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    mentions = [m for m in find_dates(text) if m.year]
    if mentions:
        first = mentions[0]
        return date(first.year, first.month, first.day)  # type: ignore[arg-type]
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


# Bare years a report dates things to ("in 2011", "in 1939"), up to 2049.
_BARE_YEAR = re.compile(r"\b(?:1[89]\d\d|20[0-4]\d)\b")


def years_in(text: str, earliest: int = 1950) -> tuple[int, ...]:
    """Years the text dates things to: full dates first, bare years ("in 2011") too; a
    bare year before ``earliest`` counts as a number ("1900 homes" in a story's lead is no
    year; the comparison asks from 1800, "in 1939" being background)."""
    years = {mention.year for mention in find_dates(text) if mention.year}
    years |= {int(year) for year in _BARE_YEAR.findall(text) if int(year) >= earliest}
    return tuple(sorted(years))

"""Parallax's own paragraph classifier for scraped plain text.

Each paragraph becomes a Block labelled body, title or one of the removed
kinds, with a reason a user can read. Rules look at the *shape* of news junk
(credit syntax, reader-addressed promotion, comment forms, position before the
title or after the last paragraph), not at the wording of any one site.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parallax.clean import credits
from parallax.clean.blocks import Paragraph
from parallax.clean.outlets import ORIGIN_NOTE
from parallax.clean.recurring import FURNITURE_REASON, paragraph_key
from parallax.model import Block, BlockKind
from parallax.text.dates import (
    NORTH_AMERICAN_ZONES,
    OTHER_ZONES,
    dateline_date,
    find_dates,
)
from parallax.text.words import word_alternation

# Channels a publisher promotes itself through; naming one is what makes text a promotion.
_CHANNEL_TERMS = word_alternation(
    [
        "apps?",
        "download",
        "newsletters?",
        "subscribe",
        "follow(?:ers?|[:\\s]?in)? (?:us|on)",
        "follow(?:er)?:?in",
        "instagram",
        "tiktok",
        "facebook",
        "twitter",
        "telegram",
        "whatsapp",
        "youtube",
        "linkedin",
        "app ?store",
        "play ?store",
        "google play",
        "apple app",
        "push notifications?",
        "click here",
        "tap here",
        "inbox",
        "podcasts?",
        "e-?mail alerts?",
        "notifications",
        "donate",
        "support us",
        "become a (?:member|subscriber|supporter)",
        "our (?:news )?app",
        "channel",
        "share (?:it|this)",
        "paywall",
        "like us on",
        "follow @\\w+",
    ]
)
# Offer wording: promotional next to a channel or the publisher's "we", but also the
# ordinary vocabulary of articles about products and deals.
_OFFER_TERMS = word_alternation(
    [
        "smartphones?",
        "subscription",
        "sign(?:ing)? up",
        "for free",
        "free of charge",
        "register",
        "log ?in",
        "premium",
        "ad-free",
        "iphone",
        "android",
        "ios",
        "without limits",
        "unlimited access",
        "per month",
        "a month",
    ]
)
_SELF_REFERENCE = word_alternation(["our", "us", "we"])
_READER_ADDRESS = word_alternation(["you", "your", "yours", "our", "us", "we"])
_IMPERATIVE_START = re.compile(
    r"^(?:get|download|subscribe|follow|sign|join|click|tap|register|try|support|donate|"
    r"install|listen|watch|read|become|stay|never miss|don['’]t miss|do you|(?:did you )?"
    r"(?:like|liked|enjoy|enjoyed|love) this (?:story|article|post|newsletter))\b",
    re.I,
)
_COMMENT_FORM = re.compile(
    r"^(?:leave a (?:reply|comment)|post (?:a |your )?comment|cancel reply|add (?:a comment|your "
    r"(?:thoughts|comment))|submit(?: comment)?$|\d+ comments?|comments?$|comment \*|name \*|"
    r"e-?mail \*|website$|join the (?:conversation|discussion)|"
    r".*e-?mail address (?:will not be|won['’]t be|is never|stays|remains|is not) "
    r"(?:published|shared|private|displayed)|.*(?:required )?fields (?:are )?marked|"
    r"you must be logged in to|(?:save|remember) my (?:name|details)|notify me of)",
    re.I,
)
# Whole-line footer furniture, tested at the start of a paragraph only.
_FOOTER_LINE = re.compile(
    r"(?:welcome to .{2,60}?,? (?:your|the) (?:number one|#1|no\.? ?1|best|leading|premier|"
    r"ultimate|go-to|trusted|one-stop) |copyright\b|©|advertisement$|anzeige$|"
    r"sponsored(?: content)?$|back to top$|skip to (?:main )?content|"
    r"about (?:us|[A-Z][\w ]{1,30})$)",
    re.I,
)
# Footer phrases anywhere in a short paragraph, including a site describing itself
# ("X is your go-to hub", "we bring you the freshest headlines"). One pattern per
# phrase, each opening with a literal word: the regex engine then jumps between
# occurrences of that word instead of trying every alternative at every character.
_FOOTER_PHRASES = [
    re.compile(pattern, re.I)
    for pattern in (
        r"all rights reserved",
        r"privacy policy",
        r"terms (?:of|and) (?:use|service|conditions)",
        r"cookie (?:policy|settings)",
        r"we use cookies",
        r"we['’]?re dedicated to (?:giving|providing|bringing)",
        r"(?:is|are) your (?:go-to|number one|#1|trusted|favou?rite|one-stop|daily|premier|"
        r"leading|best) (?:\w+ ){0,2}(?:hub|source|destination|site|place|home|guide|spot|"
        r"resource|companion)\b",
        r"(?:bring|deliver)(?:s|ing)? you (?:the )?(?:latest|freshest|best|very best|breaking|"
        r"top|most)",
        r"we(?:['’]re| are) (?:a |an )?(?:small|independent|passionate|dedicated|committed)",
        r"thanks? (?:you )?for reading\b",
        r"for your personal,? non-?commercial use",
        r"your (?:go-to|number one|#1|one-stop) (?:hub|source|destination|site|place)\b",
    )
]


def is_site_footer(text: str) -> bool:
    """Copyright, legal and cookie lines, and a site's description of itself."""
    return bool(_FOOTER_LINE.match(text)) or any(p.search(text) for p in _FOOTER_PHRASES)


# Widget messages that scrapers pick up with the page: form feedback, errors, loaders.
_INTERFACE_MESSAGE = re.compile(
    r"^(?:an error (?:has )?occurred|something went wrong|please try again|oops\b|"
    r"thanks? (?:you )?for (?:signing up|subscribing|registering|your (?:feedback|submission))|"
    r"there was an? (?:error|problem) (?:processing|with|submitting)|"
    r"this (?:article|story|page) has been (?:sent|shared|saved)|(?:sorry|thank you|loading)"
    r"\W*$|please enable javascript|your browser does not support|you have been subscribed)",
    re.I,
)
_CONTACT_LINE = re.compile(
    r"^(?:write to|contact|e-?mail|reach)\b.{0,80}\b(?:at|:)\s*\S+@\S+\.\w+\W*$|"
    r"\b(?:can|may) be reached at \S+@\S+|^(?:have|got) a (?:news )?tip\b.{0,80}\S+@\S+",
    re.I,
)
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$")
# A template placeholder the site printed unrendered ("{* loginWidget *}", "{{ title }}",
# "{% block %}"): its paragraph is a form or widget of the page, not reporting. None stands
# in a gold article body of the two cleaning collections (802 pages); 24 GVA reports hold
# one, 23 of them crawls that kept only a sign-in form (docs/benchmarks.md, "Unrendered
# templates").
TEMPLATE_PLACEHOLDER = re.compile(r"\{\*[^{}*]{1,80}\*\}|\{\{[^{}]{1,80}\}\}|\{%[^{}%]{1,80}%\}")
UNRENDERED_REASON = "unrendered template placeholder (a form or widget of the page)"
_TAGS = re.compile(
    r"^(?:tags?|topics?|filed under|categories|category|keywords|schlagwörter|themen|"
    r"mots-clés|etiquetas)\s*(?::|$)",
    re.I,
)
_NAV_SEPARATOR = re.compile(r"\s[»›>/|·•]\s|\s[»›>/|·•]$")
_REPORTING_CREDITS = re.compile(
    r"^\(?(?:reporting|writing|additional reporting|editing|edited|compiled|research|"
    r"produced|graphics)(?: by)?\b.*\bby\b",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related(?: articles?| stories| posts?| coverage| news)?|read more|read also|"
    r"also read|see also|more from|more on this|recommended(?: for you)?|you may also like|"
    r"you might also like|most read|most popular|trending(?: now)?|latest news|"
    r"continue reading|more stories|more news|top stories|don['’]t miss|"
    r"lesen sie auch|mehr zum thema|à lire aussi|lire aussi|also on [\w-]+\.\w+)\b\s*:?",
    re.I,
)
_BANNER = re.compile(r"\s[|–—-]\s")
_LINK_BULLET = re.compile(r"^\s*[»›>→▸►]\s*")
_SHARE_WORDS = {
    "share", "shares", "tweet", "email", "e-mail", "print", "facebook", "twitter", "whatsapp",
    "linkedin", "pinterest", "reddit", "telegram", "copy", "link", "this", "article", "on",
    "x", "mail", "save", "teilen", "partager", "|", "-", "•", "·", "story", "post", "via",
    "messenger", "threads", "bluesky", "mastodon", "flipboard", "sms", "reprints", "reprint",
    "order", "gift",
}  # fmt: skip
# Words that make a row of share words a share bar only next to an action word.
_SHARE_FILLER = {"this", "article", "on", "link", "|", "-", "•", "·", "story", "post", "via"}
BYLINE = re.compile(
    r"^(?i:by|written by|von|par|por|di|author:|reporter:|words by)\s+"
    r"(?P<names>[A-ZÀ-Ý][\w.'’-]*(?:\s+[A-ZÀ-Ý][\w.'’-]*){0,3}"
    r"(?:\s*(?:,|and|&|und|et|y)\s*[A-ZÀ-Ý][\w.'’-]*(?:\s+[A-ZÀ-Ý][\w.'’-]*){0,3})*)"
    r"(?:\s*(?:[,|–—-]|\bin\b)\s*.*)?$"
)
_PUBLISHED_LINE = re.compile(
    r"^(?:published|updated|posted|last updated|veröffentlicht|aktualisiert|publié|publicado)"
    r"(?:\s+(?:on|at|am|le|el))?\s*:?\s*(?P<date>.{4,60})$",
    re.I,
)
# What a dateline holds besides its dates: clock times, time zones, weekdays and the words
# of "first posted", "last updated on", "story created at", "originally published".
_DATELINE_FURNITURE = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?|\d+[/.]\d+[/.]\d+|"
    r"\b(?:[ap]\.?m\.?|UTC|" + OTHER_ZONES + "|" + NORTH_AMERICAN_ZONES + "|"
    r"first|last|originally|story|article|posted|updated|published|"
    r"modified|created|edited|date|on|at|am|le|el|veröffentlicht|aktualisiert|publié|"
    r"publicado|actualizado|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b",
    re.I,
)
_POSITION_MARKER = re.compile(
    r"\((?:l|r|c|m|left|right|cent(?:re|er)|front|back|top|bottom|\d(?:st|nd|rd|th) ?[lr]|"
    r"from (?:left|right)|links|rechts|mitte)\)|,\s(?:left|right|cent(?:re|er)),\s|"
    r"\b(?:from left|pictured|is seen|are seen|poses?|posing)\b",
    re.I,
)
_CAPTION_DATELINE = re.compile(
    r"^(?:\w+,\s)?(?:\w+\.? \d{1,2},? \d{4}|\d{1,2}\.? \w+\.? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:,\s*[A-Z][\w .'’-]+){1,3}\s*:"
)
_GLUED_ALT_TEXT = re.compile(r"^(?P<alt>.{8,120}?[a-z]{3})(?=[A-Z][a-z])")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+(?=[A-Z\"“‘])")


def classify(
    paragraphs: Sequence[Paragraph],
    known_title: str | None = None,
    known_captions: set[str] | None = None,
    known_credits: set[str] | None = None,
    furniture: frozenset[str] = frozenset(),
) -> list[Block]:
    """Label every paragraph; the result keeps the input order and spans.

    ``known_captions`` and ``known_credits`` come from HTML markup (figcaption
    and credit elements): a paragraph repeating one of them is not body text.
    ``furniture`` holds the keys (``recurring.paragraph_key``) of paragraphs the
    collection has shown to be page furniture.
    """
    return blocks_of(
        paragraphs, rule_labels(paragraphs, known_title, known_captions, known_credits, furniture)
    )


def blocks_of(paragraphs: Sequence[Paragraph], labels: Sequence[list[Block] | None]) -> list[Block]:
    """The blocks of labelled paragraphs: a paragraph no rule took is article text."""
    blocks: list[Block] = []
    for paragraph, label in zip(paragraphs, labels, strict=True):
        blocks.extend(label or [_block(paragraph, "body", "article text")])
    return blocks


def rule_labels(
    paragraphs: Sequence[Paragraph],
    known_title: str | None = None,
    known_captions: set[str] | None = None,
    known_credits: set[str] | None = None,
    furniture: frozenset[str] = frozenset(),
) -> list[list[Block] | None]:
    """What the rules make of each paragraph: its blocks, or None where no rule spoke."""
    labels: list[list[Block] | None] = []
    for i, paragraph in enumerate(paragraphs):
        if furniture and paragraph_key(paragraph.text) in furniture:
            labels.append([_block(paragraph, "boilerplate", FURNITURE_REASON)])
        elif paragraph.text in (known_captions or ()):
            labels.append([_block(paragraph, "caption", "photo caption")])
        elif paragraph.text in (known_credits or ()):
            labels.append([_block(paragraph, "photo_credit", "photo credit")])
        else:
            labels.append(_local_label(paragraph, i, len(paragraphs)))
    _promo_headings(paragraphs, labels)
    _link_lists(paragraphs, labels)
    _comment_section(paragraphs, labels)
    _template_forms(paragraphs, labels)
    _tag_lists(paragraphs, labels)
    _captions_from_context(paragraphs, labels)
    _leading_and_trailing(paragraphs, labels, known_title)
    return labels


def _block(paragraph: Paragraph, kind: BlockKind, reason: str) -> Block:
    return Block(paragraph.text, kind, reason, paragraph.start, paragraph.end)


def _local_label(paragraph: Paragraph, index: int, count: int) -> list[Block] | None:
    """What one paragraph is on its own, or None when only its context can tell."""
    text = paragraph.text
    words = paragraph.words
    if len(words) <= 16 and ORIGIN_NOTE.match(text):
        return [_block(paragraph, "origin", "republishing note")]
    if TEMPLATE_PLACEHOLDER.search(text):
        return [_block(paragraph, "boilerplate", UNRENDERED_REASON)]
    if credits.wire_credit_line(text):
        return [_block(paragraph, "wire_credit", "wire credit")]
    if len(words) <= 30 and _COMMENT_FORM.match(text):
        return [_block(paragraph, "boilerplate", "comment form")]
    if len(words) <= 60 and is_site_footer(text):
        return [_block(paragraph, "boilerplate", "site footer")]
    if len(words) <= 15 and _INTERFACE_MESSAGE.match(text):
        return [_block(paragraph, "boilerplate", "interface message")]
    if len(words) <= 50 and _CONTACT_LINE.search(text):
        return [_block(paragraph, "byline", "contact line")]
    if index < 8 and _BARE_URL.match(text):
        return [_block(paragraph, "boilerplate", "bare link")]
    if len(words) <= 25 and _RELATED.match(text):
        return [_block(paragraph, "boilerplate", "related links")]
    if len(words) <= 40 and _TAGS.match(text):
        return [_block(paragraph, "boilerplate", "tags")]
    if _is_navigation(text):
        return [_block(paragraph, "boilerplate", "navigation")]
    if len(words) <= 40 and _REPORTING_CREDITS.match(text):
        return [_block(paragraph, "byline", "reporting credits")]
    if _is_share_bar(words):
        return [_block(paragraph, "boilerplate", "social sharing")]
    if credits.standalone_credit(text):
        return [_block(paragraph, "photo_credit", "photo credit")]
    split = credits.split_trailing_credit(text)
    if split:
        return _caption_with_credit(paragraph, *split)
    if is_promotion(text):
        return [_block(paragraph, "boilerplate", "promotion")]
    near_edge = index < 8 or index >= count - 3
    return (near_edge and _byline_or_dateline(paragraph, top=index < 8)) or None


def _byline_or_dateline(paragraph: Paragraph, top: bool = True) -> list[Block] | None:
    """A byline ("By Jane Doe") or a line that only dates the article; ``top``: the
    paragraph stands where a bare date line is read as the article's (not at its end)."""
    text, words = paragraph.text, paragraph.words
    if len(words) <= 15 and BYLINE.match(text):
        return [_block(paragraph, "byline", "byline")]
    published = _PUBLISHED_LINE.match(text)
    if published and dateline_date(published.group("date")):
        return [_block(paragraph, "dateline", "publication date")]
    if top and len(words) <= 20 and is_dateline(text):
        return [_block(paragraph, "dateline", "publication date")]
    return None


def metadata_before_article(
    paragraphs: Sequence[Paragraph], labels: Sequence[list[Block] | None], reasons: set[str]
) -> list[list[Block] | None]:
    """Bylines and date lines among the paragraphs just before the article, where the
    rules for the top of a page did not reach: a scraped page can put a dozen menu lines
    first. Only paragraphs removed for one of ``reasons`` are read again; the article starts
    at the first paragraph no rule or classifier removed."""
    start = next((i for i, label in enumerate(labels) if label is None), len(labels))
    relabelled = list(labels)
    for i in range(max(0, start - 6), start):
        label = labels[i]
        if label and label[0].kind == "boilerplate" and label[0].reason in reasons:
            relabelled[i] = _byline_or_dateline(paragraphs[i]) or label
    return relabelled


def is_promotion(text: str) -> bool:
    """Reader-addressed promotion of the publisher's apps, newsletters, accounts or plans."""
    if not _CHANNEL_TERMS.search(text) and not _OFFER_TERMS.search(text):
        return False  # neither reading below holds without a channel or an offer
    words = len(text.split())
    imperative = bool(_IMPERATIVE_START.match(re.sub(r"^\W+", "", text)))
    if words > 45 and not _SELF_REFERENCE.search(text):
        # A long paragraph promotes only when it opens with the call to action.
        first_sentence = _SENTENCE_END.split(text, maxsplit=1)[0]
        return imperative and bool(_CHANNEL_TERMS.search(first_sentence))
    outside_quotes = re.sub(r"[\"“„«][^\"”“«»]*[\"”“»]", " ", text)
    channels = {match.lower() for match in _CHANNEL_TERMS.findall(outside_quotes)}
    offers = {match.lower() for match in _OFFER_TERMS.findall(outside_quotes)}
    self_reference = bool(_SELF_REFERENCE.search(outside_quotes))
    if not channels and not (offers and self_reference):
        return False
    if words > 45 and not (channels and self_reference):
        return False
    addressed = bool(_READER_ADDRESS.search(outside_quotes))
    if len(channels | offers) >= 2 and (addressed or imperative):
        return True
    return (imperative and ((addressed and words < 40) or words < 25)) or (addressed and words < 15)


def _is_navigation(text: str) -> bool:
    """Breadcrumbs and menus: short segments joined by separators ("Home » Europe » Energy")."""
    if text.startswith("|"):
        return False  # a table row, which is content
    segments = re.split(r"\s*[»›>/|·•]\s*", text)
    separators = len(_NAV_SEPARATOR.findall(text))
    return separators >= 2 and all(len(seg.split()) <= 3 for seg in segments)


def _is_share_bar(words: list[str]) -> bool:
    if not words or len(words) > 8:
        return False
    lowered = [word.lower().strip(":,!") for word in words]
    if not all(word in _SHARE_WORDS for word in lowered):
        return False
    return "share" in lowered[0] or (len(words) >= 2 and bool(set(lowered) - _SHARE_FILLER))


def is_dateline(text: str) -> bool:
    """A line that only says when the article was published or updated: its dates, times,
    time zones, weekdays and words such as "posted", "last updated", "story created"
    ("16 September 2013 Last updated at 12:42 GMT", "Friday, Sep 10, 2010 | Updated 8:52
    PM EDT", "First Posted 23:37:00 05/05/2010")."""
    if dateline_date(text) is None:
        return False
    rest = text
    for mention in reversed(find_dates(text)):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    rest = _DATELINE_FURNITURE.sub(" ", rest)
    # What may be left is a place or an agency ("LONDON", "(CNA)"), not a sentence's words.
    lower_case_words = re.findall(r"\b[a-z]{2,}\b", rest)
    return len(re.sub(r"[\W\d_]+", "", rest)) <= 12 and len(lower_case_words) <= 1


def _caption_with_credit(paragraph: Paragraph, caption: str, credit: str) -> list[Block]:
    credit_start = paragraph.text.rfind(credit)
    caption_end = paragraph.start + len(caption)
    blocks = caption_blocks(Paragraph(caption, paragraph.start, caption_end))
    blocks.append(
        Block(credit, "photo_credit", "photo credit", paragraph.start + credit_start, paragraph.end)
    )
    return blocks


def caption_blocks(paragraph: Paragraph) -> list[Block]:
    """A caption, with image alt text glued to its front split off ("Alt textCaption ...")."""
    glued = _GLUED_ALT_TEXT.match(paragraph.text)
    if glued and " " in glued.group("alt") and len(paragraph.text) - glued.end() > 20:
        cut = paragraph.start + glued.end()
        return [
            Block(glued.group("alt"), "boilerplate", "image alt text", paragraph.start, cut),
            Block(paragraph.text[glued.end() :], "caption", "photo caption", cut, paragraph.end),
        ]
    return [_block(paragraph, "caption", "photo caption")]


def _is_caption_shaped(paragraph: Paragraph) -> bool:
    sentences = len(_SENTENCE_END.findall(paragraph.text)) + 1
    return len(paragraph.words) <= 70 and sentences <= 3


def _has_caption_cues(paragraph: Paragraph) -> bool:
    return bool(_POSITION_MARKER.search(paragraph.text) or _CAPTION_DATELINE.match(paragraph.text))


def _promo_headings(paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]) -> None:
    """A short heading that announces the promotion right after it is part of it."""
    for i in range(len(paragraphs) - 1):
        following = labels[i + 1]
        announces = bool(following) and following[0].reason == "promotion"
        text = paragraphs[i].text
        if labels[i] is not None or not announces or not paragraphs[i].headline_like:
            continue
        promotional = (
            _CHANNEL_TERMS.search(text)
            or _READER_ADDRESS.search(text)
            or _IMPERATIVE_START.match(re.sub(r"^\W+", "", text))
            or _shares_name(text, paragraphs[i + 1].text)
        )
        if len(paragraphs[i].words) <= 10 and promotional:
            labels[i] = [_block(paragraphs[i], "boilerplate", "promotion")]


def _shares_name(heading: str, text: str) -> bool:
    names = {word for word in re.findall(r"\b[A-Z]\w+", heading) if len(word) > 3}
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in names)


def _link_lists(paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]) -> None:
    """Headlines listed under "Related"/"Read more" are links, not text."""
    in_list = False
    for i, paragraph in enumerate(paragraphs):
        label = labels[i]
        if label and label[0].reason == "related links":
            in_list = True
            continue
        linkish = paragraph.headline_like or bool(_LINK_BULLET.match(paragraph.text))
        if in_list and label is None and linkish and len(paragraph.words) <= 20:
            labels[i] = [_block(paragraph, "boilerplate", "related links")]
        elif label is None or not linkish:
            in_list = False


def _tag_lists(paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]) -> None:
    """A bare "Tags" heading labels the comma-separated keyword list under it."""
    for i in range(len(paragraphs) - 1):
        label, following = labels[i], paragraphs[i + 1]
        if not (label and label[0].reason == "tags") or labels[i + 1] is not None:
            continue
        items = [item.strip() for item in following.text.split(",")]
        if len(items) >= 3 and all(0 < len(item.split()) <= 6 for item in items):
            labels[i + 1] = [_block(following, "boilerplate", "tags")]


_ARTICLE_WORDS = 25


def _comment_section(paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]) -> None:
    """Everything after a comment form near the end belongs to the comment section.

    The section follows an article: a form with fewer than two sentence-shaped paragraphs of
    ``_ARTICLE_WORDS`` words above it is a toolbar label ("COMMENT", "53 Comments") over an
    article still to come, and the text after it is left alone."""
    count = len(paragraphs)
    long_before = 0
    for i, label in enumerate(labels):
        if label and label[0].reason == "comment form" and i >= count * 0.6 and long_before >= 2:
            for j in range(i + 1, count):
                if labels[j] is None:
                    labels[j] = [_block(paragraphs[j], "boilerplate", "comment form")]
            return
        text = paragraphs[i].text
        long_before += len(text.split()) >= _ARTICLE_WORDS and text.rstrip()[-1:] in '.!?"”’'


def _template_forms(paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]) -> None:
    """Short lines between two unrendered placeholders belong to the form they are in.

    A sign-in form prints its fields as placeholders and its prompts ("Already have an
    account?") as text between them. A paragraph of ``_ARTICLE_WORDS`` words or more
    between them is reporting, and then the span is left alone."""
    found = [i for i, label in enumerate(labels) if label and label[0].reason == UNRENDERED_REASON]
    if len(found) < 2:
        return
    span = range(found[0] + 1, found[-1])
    if any(len(paragraphs[j].words) >= _ARTICLE_WORDS for j in span if labels[j] is None):
        return
    for j in span:
        if labels[j] is None:
            labels[j] = [_block(paragraphs[j], "boilerplate", UNRENDERED_REASON)]


def _captions_from_context(
    paragraphs: Sequence[Paragraph], labels: list[list[Block] | None]
) -> None:
    """Image blocks come in clusters: alt text, caption, credit. Find the unlabelled members."""

    def is_image_block(j: int) -> bool:
        label = labels[j] if 0 <= j < len(labels) else None
        return bool(label) and label[-1].kind in ("photo_credit", "caption")

    for i, paragraph in enumerate(paragraphs):
        if labels[i] is not None or not _is_caption_shaped(paragraph):
            continue
        next_is_credit = (
            i + 1 < len(labels) and bool(labels[i + 1]) and labels[i + 1][0].kind == "photo_credit"
        )
        near_image = is_image_block(i - 1) or is_image_block(i + 1)
        cues = _has_caption_cues(paragraph)
        if (
            next_is_credit
            or (paragraph.truncated and (near_image or cues))
            or (cues and near_image)
        ):
            labels[i] = caption_blocks(paragraph)
    # A second sweep catches truncated alt texts standing before a caption found above.
    for i, paragraph in enumerate(paragraphs):
        if (
            labels[i] is None
            and paragraph.truncated
            and (is_image_block(i + 1) or is_image_block(i - 1))
        ):
            labels[i] = caption_blocks(paragraph)


def _is_real_paragraph(paragraph: Paragraph) -> bool:
    return not paragraph.headline_like or paragraph.is_bullet


def _leading_and_trailing(
    paragraphs: Sequence[Paragraph], labels: list[list[Block] | None], known_title: str | None
) -> None:
    """Before the first paragraph: title, site banner, section label. After the last: footer."""
    unlabelled = [i for i, label in enumerate(labels) if label is None]
    if known_title and unlabelled and _is_title(paragraphs[unlabelled[0]].text, known_title):
        # A headline that ends in a full stop is not headline-like, but it is still the headline.
        labels[unlabelled[0]] = [_block(paragraphs[unlabelled[0]], "title", "headline")]
        unlabelled = unlabelled[1:]
    body = [i for i in unlabelled if _is_real_paragraph(paragraphs[i])]
    if not body:
        return
    first, last = body[0], body[-1]
    leading = [i for i in unlabelled if i < first]
    title_index = _pick_title(paragraphs, leading, known_title)
    for i in leading:
        if i == title_index:
            labels[i] = [_block(paragraphs[i], "title", "headline")]
        elif i == 0 and paragraphs[i].headline_like and _BANNER.search(paragraphs[i].text):
            labels[i] = [_block(paragraphs[i], "boilerplate", "site header")]
        elif paragraphs[i].headline_like and _is_section_label(paragraphs[i].text):
            labels[i] = [_block(paragraphs[i], "boilerplate", "section label")]
        elif paragraphs[i].headline_like and title_index is not None and i < title_index:
            labels[i] = [_block(paragraphs[i], "boilerplate", "site header")]
    for i in unlabelled:
        if i > last and paragraphs[i].headline_like and len(paragraphs[i].words) <= 6:
            labels[i] = [_block(paragraphs[i], "boilerplate", "site footer")]


def _is_section_label(text: str) -> bool:
    segments = [seg for seg in re.split(r"\s*[»›>/|·•–—-]\s*|\s+[-–—]\s+", text) if seg]
    return len(text.split()) <= 3 or all(len(seg.split()) <= 3 for seg in segments)


def _pick_title(
    paragraphs: Sequence[Paragraph], leading: list[int], known_title: str | None
) -> int | None:
    if known_title:
        return next((i for i in leading if _is_title(paragraphs[i].text, known_title)), None)
    candidates = [
        i for i in leading if paragraphs[i].headline_like and len(paragraphs[i].words) >= 4
    ]
    return max(candidates, key=lambda i: len(paragraphs[i].text), default=None)


def _is_title(text: str, known_title: str) -> bool:
    """The known title, or the headline part of one such as "Opinion | Headline - Site"."""
    candidate = _comparable(text)
    if candidate == _comparable(known_title):
        return True
    segments = re.split(r"\s+[|–—-]\s+|\s*\|\s*", known_title)
    return len(candidate.split()) >= 3 and any(_comparable(seg) == candidate for seg in segments)


def _comparable(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()

"""Photo credits and wire-agency credits: how they are written, and how to split them."""

from __future__ import annotations

import re

from parallax.model import PhotoCredit

# Widely used news and photo agencies, by the spellings found in credits.
# Canonical display form first; the aliases are lowercase.
NEWS_AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("ap", "associated press", "the associated press"),
    "Reuters": ("reuters", "thomson reuters"),
    "AFP": ("afp", "agence france-presse", "agence france presse"),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "ANSA": ("ansa",),
    "EFE": ("efe",),
    "Xinhua": ("xinhua",),
    "TASS": ("tass", "itar-tass"),
    "Interfax": ("interfax",),
    "RIA Novosti": ("ria novosti", "ria"),
    "Kyodo": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap",),
    "PA": ("pa", "pa media", "press association"),
    "UPI": ("upi", "united press international"),
    "Bloomberg": ("bloomberg",),
    "APA": ("apa",),
    "Keystone-SDA": ("keystone-sda", "sda"),
    "KNA": ("kna",),
    "epd": ("epd",),
    "Belga": ("belga",),
    "ANP": ("anp",),
    "Anadolu": ("anadolu", "anadolu agency", "aa"),
    "PTI": ("pti", "press trust of india"),
    "IANS": ("ians",),
    "CNA": ("cna",),
    "Ukrinform": ("ukrinform",),
    "PAP": ("pap",),
    "CTK": ("ctk", "čtk"),
    "Lusa": ("lusa",),
    "TT": ("tt",),
    "NTB": ("ntb",),
    "Ritzau": ("ritzau",),
    "STT": ("stt",),
}
_AGENCY_BY_ALIAS = {alias: name for name, aliases in NEWS_AGENCIES.items() for alias in aliases}
_AGENCY_ALTERNATION = "|".join(
    sorted((re.escape(a) for a in _AGENCY_BY_ALIAS if len(a) > 1), key=len, reverse=True)
)

# Words that mark the agency part of a photo credit rather than a photographer's name.
_AGENCY_WORDS = {
    "agency",
    "images",
    "image",
    "photo",
    "photos",
    "press",
    "pool",
    "news",
    "media",
    "getty",
    "shutterstock",
    "istock",
    "alamy",
    "imago",
    "keystone",
    "epa",
    "efe",
    "sputnik",
    "handout",
    "archive",
    "archiv",
    "service",
    "office",
    "ministry",
    "courtesy",
    "picture-alliance",
    "picture",
    "alliance",
    "stock",
    "wire",
    "kremlin",
    "zuma",
    "sipa",
    "abaca",
    "anadolu",
    "wireimage",
    "corbis",
    "magnum",
    "newscom",
    "rex",
    "bildbyrå",
    "ritzau",
    "scanpix",
    "nurphoto",
    "dpa",
    "afp",
    "ap",
    "reuters",
    "tass",
    "xinhua",
    "ansa",
    "pa",
    "via",
    "x",
    "instagram",
    "twitter",
    "facebook",
    "youtube",
    "telegram",
    "screenshot",
    "screengrab",
    "video",
    "government",
    "police",
    "army",
    "military",
    "presidency",
    "reporters",
    "network",
} | set(_AGENCY_BY_ALIAS)

CREDIT_MARKER = (
    r"(?:Bild(?:er)?|Fotos?|Photos?|Photograph(?:y)?|Images?|Picture|Pic|Credits?|Quelle|"
    r"Crédit|Crédits|Foto(?:grafía)?|Image credit|Photo credit|Main image|Top image)"
)
# A credit glued to the end of a caption: "... in Moscow. Bild: Pool/AP / J. Doe"
# (The lookahead names what a marker can open with: a scan then passes over every other
# position at once.)
TRAILING_CREDIT = re.compile(
    r"(?=[(BCFIMPQT])(?:(?<=[\s.!?)\"”’])|^)\(?"
    + CREDIT_MARKER
    + r"\s*(?::|by)\s*(?P<credit>[^:]{2,160}?)\)?\s*$"
)
_STANDALONE_MARKER = re.compile(
    r"^\(?\s*" + CREDIT_MARKER + r"\s*(?::|by)\s*(?P<credit>.+?)\)?$", re.I
)
_STOCK_SOURCE = re.compile(
    r"\b(?:via Getty Images|Getty Images|Shutterstock|iStock(?:photo)?|Alamy|imago images|"
    r"picture[- ]alliance|AP Photo|Reuters/|AFP/|EPA-EFE|/\s*(?:" + _AGENCY_ALTERNATION + r")\b)",
    re.I,
)
_NAME_SLASH_NAME = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*/\s*[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){0,5}$"
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|Copyright)\s*\S", re.I)


def split_trailing_credit(text: str) -> tuple[str, str] | None:
    """Split "caption. Photo: credit" into its two parts, or None when there is no credit."""
    match = TRAILING_CREDIT.search(text)
    if not match or match.start() == 0:
        return None
    caption = text[: match.start()].rstrip(" (–—-|")
    credit = match.group("credit").strip()
    if not caption or len(credit.split()) > 14:
        return None
    return caption, credit


def standalone_credit(text: str) -> str | None:
    """The credit if the whole block is a photo credit line, else None."""
    stripped = text.strip()
    if len(stripped.split()) > 14 or stripped.endswith(("?", "!")):
        return None
    marked = _STANDALONE_MARKER.match(stripped)
    if marked:
        return marked.group("credit").strip()
    if stripped.endswith(".") and not stripped.endswith(("Inc.", "Ltd.", "Co.")):
        return None
    if _STOCK_SOURCE.search(stripped) or _NAME_SLASH_NAME.match(stripped):
        return stripped
    if _COPYRIGHT.match(stripped) and "rights reserved" not in stripped.lower():
        return stripped
    return None


def parse_photo_credit(credit: str) -> PhotoCredit:
    """Split a photo credit into photographer and agency.

    Credits chain their parts with slashes ("Pool/AP / Jane Doe",
    "Jane Doe/Anadolu Agency via Getty Images"): the part shaped like a
    person's name is the photographer, the rest is the agency chain.
    """
    text = re.sub(r"^(?:©|\(c\)|Copyright)\s*", "", credit.strip(), flags=re.I).strip()
    parts = [part.strip() for part in re.split(r"\s*/\s*", text) if part.strip()]
    photographer = next((part for part in parts if _is_person_name(part)), None)
    agency_parts = [part for part in parts if part != photographer]
    agency = "/".join(agency_parts) if agency_parts else None
    if agency and photographer:
        # Keep the agency chain as written, e.g. "Pool Sputnik Kremlin/AP".
        agency = _rejoin(text, agency_parts)
    return PhotoCredit(text=credit.strip(), photographer=photographer, agency=agency)


def _rejoin(text: str, parts: list[str]) -> str:
    start = text.find(parts[0])
    end = text.find(parts[-1], start) + len(parts[-1])
    segment = text[start:end] if start >= 0 and end > start else "/".join(parts)
    return segment if len(parts) > 1 and segment.count("/") == len(parts) - 1 else "/".join(parts)


def _is_person_name(part: str) -> bool:
    words = part.replace(".", ". ").split()
    if not 2 <= len(words) <= 4:
        return False
    if any(word.lower().strip(".,") in _AGENCY_WORDS for word in words):
        return False
    return all((word[0].isupper() and not word.isupper()) or len(word) <= 2 for word in words)


_WIRE_CUE = re.compile(
    r"\b(?:material (?:from|of|by)|(?:additional )?reporting (?:from|by)|information from|"
    r"input from|files from|contributed|contribution|with agencies|news agenc(?:y|ies)|"
    r"agencies|mit material|avec|source:|sources:|quelle:)",
    re.I,
)
_NARRATION = re.compile(r"\b(?:said|says|reported|reports|told|according)\b", re.I)
_BARE_AGENCY = re.compile(r"^[(\[]?\s*(?P<who>" + _AGENCY_ALTERNATION + r")\s*[)\]]?\.?$", re.I)
_DATELINE_AGENCY = re.compile(
    r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,40}(?:,\s*[A-Z][a-z]{2,9}\.? \d{1,2})?\s*\((?P<who>"
    + _AGENCY_ALTERNATION
    + r")\)\s*[-–—:]",
    re.I,
)
# Short acronyms ("AP", "dpa") count only as written; longer names in any case.
_AGENCY_MENTION = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        sorted(
            (
                re.escape(alias) if len(alias) > 4 else re.escape(name)
                for alias, name in _AGENCY_BY_ALIAS.items()
            ),
            key=len,
            reverse=True,
        )
    )
    + r"|(?i:"
    + "|".join(
        sorted((re.escape(a) for a in _AGENCY_BY_ALIAS if len(a) > 4), key=len, reverse=True)
    )
    + r"))(?![\w-])"
)


def wire_credit_line(text: str) -> list[str] | None:
    """Agencies credited by a short line such as "(With material from the dpa)", else None."""
    stripped = text.strip()
    if len(stripped.split()) > 20:
        return None
    bare = _BARE_AGENCY.match(stripped)
    if bare:
        return [canonical_agency(bare.group("who")) or bare.group("who")]
    if not _WIRE_CUE.search(stripped) or _NARRATION.search(stripped):
        return None
    return agencies_in(stripped) or None


def dateline_agency(text: str) -> str | None:
    """The agency of a dateline such as "BERLIN (dpa) -" opening a paragraph."""
    match = _DATELINE_AGENCY.match(text.strip())
    return canonical_agency(match.group("who")) if match else None


def agencies_in(text: str) -> list[str]:
    """Known agencies named in the text, canonical names, in order of first mention."""
    names: list[str] = []
    for match in _AGENCY_MENTION.finditer(text):
        name = canonical_agency(match.group())
        if name and name not in names:
            names.append(name)
    return names


def canonical_agency(name: str) -> str | None:
    return _AGENCY_BY_ALIAS.get(name.strip().lower())

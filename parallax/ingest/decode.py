"""Bytes to text: detect binary input and unknown encodings before anything parses them."""

from __future__ import annotations

import re
import zlib
from typing import IO

from charset_normalizer import from_bytes

from parallax.errors import UnreadableDocument

DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document accepted: far above any real article, far below a memory problem."""

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

_WESTERN = "cp1252"
"""Legacy Western European text (Latin-1 plus Windows' quotes and dashes): by far the most
common legacy encoding of news, so it is preferred whenever it reads as plausible text."""
_WESTERN_ALPHABETS = tuple(
    frozenset(letters)
    for letters in (
        "áéíóúüñ",  # Spanish, Galician
        "áàâãçéêíóôõúü",  # Portuguese
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüßé",  # German
        "àèéìíîòóùú",  # Italian
        "áéíóúàèëïöü",  # Dutch
        "àçèéíïòóúü",  # Catalan
        "æøåéó",  # Danish, Norwegian
        "åäöéü",  # Swedish, Finnish
        "áéíóúýþæöð",  # Icelandic
        "çë",  # Albanian
    )
)
"""The accented letters of each language written in cp1252: text whose accents all belong
to one of them is Western text, whatever a detector says."""
_OTHER_LATIN_PAGES: dict[str, tuple[frozenset[str], ...]] = {
    "cp1250": tuple(
        frozenset(letters)
        for letters in (
            "áčďéěíňóřšťúůýž",  # Czech
            "áäčďéíĺľňóôŕšťúýž",  # Slovak
            "ąćęłńóśźż",  # Polish
            "áéíóöőúüű",  # Hungarian
            "čćđšž",  # Croatian, Slovene, Bosnian
            "ăâîşţ",  # Romanian
        )
    ),
    "cp1254": (frozenset("çğıöşüâîû"),),  # Turkish
    "cp1257": tuple(
        frozenset(letters)
        for letters in (
            "ąčęėįšųūž",  # Lithuanian
            "āčēģīķļņšūž",  # Latvian
            "äõöüšž",  # Estonian
        )
    ),
}
"""Latin-script code pages other than cp1252 and their languages' accented letters. A page
wins over cp1252 only when its reading fits one of its languages and cp1252's fits none:
Czech "řekl" read as cp1252 is "øekl", letters but no language's."""
_ORDINALS = frozenset("ªºµ")
_MIN_EVIDENCE = 8
"""Accented letters a reading needs before it can outvote cp1252: a name or two ("Søren" is
"Sřren" in cp1250, Czech letters by chance) is no evidence, a sentence of Czech is."""
_MAX_ACCENTED_SHARE = 0.3
"""Above this share of non-ASCII letters, a cp1252 reading is not Western text but another
script misread (Cyrillic "Президент" reads "Ïðåçèäåíò"): accents are a minority in every
Western language."""
_WORD_PUNCTUATION = frozenset("’‘´`·–—\xad")
_NON_ASCII_IN_WORD = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


MAX_INFLATION = 200
"""How many times its compressed size a gzip container may inflate to, beyond one document's
worth: text and HTML compress 3 to 10 times, a decompression bomb (zeros) about 1000 times."""

_CHUNK = 1 << 16


def gunzip(handle: IO[bytes], max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Decompress a gzip stream read in chunks, never holding more than ``max_bytes`` of output.

    A bomb (gigabytes of zeros in a few megabytes) is refused as soon as the output
    passes the limit, so the cost is reading ``max_bytes``, not inflating the whole.
    """
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    parts: list[bytes] = []
    size = 0
    try:
        while not decompressor.eof:
            chunk = decompressor.unconsumed_tail or handle.read(_CHUNK)
            # max_length is never 0 here (0 would mean "no limit" to zlib).
            out = decompressor.decompress(chunk, max_bytes + 1 - size)
            if not chunk and not out:
                raise UnreadableDocument("truncated gzip data (the file ends mid-stream)")
            size += len(out)
            if size > max_bytes:
                raise UnreadableDocument(
                    f"decompresses to more than {max_bytes / 1e6:.0f} MB, "
                    "above the limit for one article"
                )
            parts.append(out)
    except zlib.error as exc:
        raise UnreadableDocument(f"corrupt gzip data ({exc})") from exc
    return b"".join(parts)


def check_inflation(inflated: int, deflated: int, allowance: int) -> None:
    """Refuse a gzip container that inflates far beyond any text: a decompression bomb.

    ``allowance`` (one document's worth) lets a single very repetitive record through.
    """
    if inflated > allowance + MAX_INFLATION * deflated:
        raise UnreadableDocument(
            f"decompression bomb: {_size(deflated)} of gzip data inflate to more than "
            f"{_size(inflated)} (over {MAX_INFLATION} times), reading stopped"
        )


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count / 1e3:.1f} KB"


def looks_gzipped(head: bytes) -> bool:
    return head[:2] == b"\x1f\x8b"


# What text decoded twice at its source leaves ("Ã§" for "ç", "â€™" for "’", "Â£" for "£"):
# only text with one of these goes through the repair.
_MOJIBAKE_HINT = re.compile("[ÃÂ][\u0080-\u00bf\u0152-\u0178\u2018-\u2122]|â€")


def repair_mojibake(text: str) -> str:
    """``text`` with what an earlier wrong decoding garbled put back ("FranÃ§ois" is
    François, "itâ€™s" it's), by ftfy's ``fix_encoding``, which changes nothing it
    cannot read as such a mistake ("SÃO PAULO" stays)."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def decode_bytes(data: bytes, *, html: bool = False) -> str:
    """Decode document bytes to text, or raise UnreadableDocument saying why not; text
    decoded wrongly before it was saved is repaired (``repair_mojibake``)."""
    return repair_mojibake(_decode(data, html=html))


def _decode(data: bytes, *, html: bool = False) -> str:
    """Decode document bytes to text, or raise UnreadableDocument saying why not.

    UTF-8 (with or without BOM) is tried first because it is by far the most
    common and the only encoding that validates itself (a UTF-16 or UTF-32
    byte-order mark is obeyed before it); an HTML meta charset is trusted next;
    then cp1252 unless the evidence for another code page is strong (see
    ``_decode_legacy``).
    """
    if not data.strip():
        raise UnreadableDocument("empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data, codec)
    if _looks_binary(data):
        raise UnreadableDocument("binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
    return _decode_legacy(data)


def _decode_with_bom(data: bytes, codec: str) -> str:
    """A byte-order mark promises UTF-16 or UTF-32; a file that breaks the promise is
    damaged (or binary that happens to start so), not to be guessed at."""
    name = codec.upper()
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableDocument(
            f"starts with a {name} byte-order mark but is not valid {name} "
            f"({exc.reason} at byte {exc.start})"
        ) from exc
    if not text.strip():
        raise UnreadableDocument("empty file")
    return text


def _decode_legacy(data: bytes) -> str:
    """Text that is not UTF-8: cp1252 when it reads as Western text, another code page only
    when cp1252 cannot decode it or the evidence for the other is strong.

    Statistical detection alone misreads short Western text ("Muñoz" as cp1250 "Muńoz",
    "São" as "Săo") most of the time, so it is the last resort, for other scripts.
    """
    western = _try_decode(data, _WESTERN)
    if western is not None and _reads_as_latin_text(western):
        return _other_latin_page(data, western) or western
    detected = _other_latin_page(data, None) or _detected(data)
    if detected is not None:
        return detected
    if western is not None:
        return western
    raise UnreadableDocument("unknown text encoding (not UTF-8 and not detectable)")


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _reads_as_latin_text(text: str) -> bool:
    """Mostly ASCII letters, and no symbol wedged inside a word (Polish cp1250 "rząd" read
    as cp1252 is "rz¹d"): what Western text decoded right looks like."""
    letters = [ch for ch in text[:200_000] if ch.isalpha()]
    accented = sum(1 for ch in letters if not ch.isascii())
    if accented >= _MIN_EVIDENCE and accented > _MAX_ACCENTED_SHARE * len(letters):
        return False
    return not _symbols_in_words(text)


def _symbols_in_words(text: str) -> bool:
    # Not \w: "¹" and "³" count as digits there, and they are the telltale symbols.
    return any(
        not match.group().isalpha() and match.group() not in _WORD_PUNCTUATION
        for match in _NON_ASCII_IN_WORD.finditer(text, 0, 200_000)
    )


def _accented_letters(text: str) -> list[str]:
    return [
        ch
        for ch in text[:200_000].lower()
        if ch.isalpha() and not ch.isascii() and ch not in _ORDINALS
    ]


def _fits(letters: list[str], alphabets: tuple[frozenset[str], ...]) -> bool:
    return any(alphabet.issuperset(letters) for alphabet in alphabets)


def _other_latin_page(data: bytes, western: str | None) -> str | None:
    """The reading in another Latin code page whose accents fit one of its languages, when
    the cp1252 reading (if any) fits none of the Western ones."""
    if western is not None and _fits(_accented_letters(western), _WESTERN_ALPHABETS):
        return None
    for codec, alphabets in _OTHER_LATIN_PAGES.items():
        text = _try_decode(data, codec)
        if text is None or text == western:
            continue
        letters = _accented_letters(text)
        if len(letters) >= _MIN_EVIDENCE and _fits(letters, alphabets):
            return text
    return None


def _detected(data: bytes) -> str | None:
    """The detector's first reading with no symbols inside words, else its best."""
    matches = list(from_bytes(data[:200_000]))
    for match in matches:
        text = data.decode(match.encoding, errors="replace")
        if not _symbols_in_words(text):
            return text
    return data.decode(matches[0].encoding, errors="replace") if matches else None


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # one pass
    return control > len(sample) * 0.05

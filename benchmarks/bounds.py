# ruff: noqa: E501 (the language samples are one sentence each)
"""Bounds on one article: the language analysis of a huge article, and language detection.

    .venv/bin/python benchmarks/bounds.py                   # about 3 minutes
    .venv/bin/python benchmarks/bounds.py --sizes 25000 100000 --no-whole

Every measurement runs in a fresh process, so its peak resident size (``ru_maxrss`` of
that child) is its own:

- **analysis**: one article of ``--chars`` characters (the bundled example articles'
  paragraphs repeated, as one body), analysed whole (as before the bounds: ``--no-whole``
  skips this, about a minute and 3 GB) and within the default ``AnalysisLimits``; then
  articles of ``--sizes`` characters analysed whole, to show how time and memory grow.
  The model is loaded before the clock starts; "model MB" is the process after loading.
- **language detection**: a process that imports the detector, then detects one sample of
  each of 27 languages (written for this benchmark) and every bundled example: memory it
  added, time per detection, and agreement of each detector with the samples' languages
  and with the high-accuracy detector on the example articles and, when the shared
  evaluation sets are there (``--news``), on real English news.

Prints markdown tables.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NEWS = ROOT.parent / "shared" / "eval" / "l3s-gn1"

# One news sentence in each language Parallax detects, written for this benchmark.
SAMPLES = {
    "en": "The harbour council voted on Tuesday to delay the new ferry tariff until the spring, after dock workers said the increase would cost them a week of wages every year.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, die neue Gebühr für die Fähre bis zum Frühjahr zu verschieben, nachdem die Hafenarbeiter erklärt hatten, dass sie sich das nicht leisten können.",
    "fr": "Le conseil municipal a décidé mardi de reporter au printemps la nouvelle taxe sur le ferry, après que les dockers ont affirmé qu'elle leur coûterait une semaine de salaire chaque année.",
    "es": "El ayuntamiento decidió el martes aplazar hasta la primavera la nueva tarifa del transbordador, después de que los estibadores dijeran que les costaría una semana de salario al año.",
    "it": "Il consiglio comunale ha deciso martedì di rinviare alla primavera la nuova tariffa del traghetto, dopo che i portuali hanno detto che costerebbe loro una settimana di stipendio ogni anno.",
    "pt": "A câmara municipal decidiu na terça-feira adiar para a primavera a nova tarifa do ferry, depois de os estivadores afirmarem que lhes custaria uma semana de salário por ano.",
    "nl": "De gemeenteraad heeft dinsdag besloten het nieuwe tarief voor de veerboot uit te stellen tot het voorjaar, nadat havenarbeiders zeiden dat het hun elk jaar een week loon zou kosten.",
    "ru": "Городской совет во вторник решил отложить новый тариф на паром до весны, после того как портовые рабочие заявили, что он будет стоить им недельной зарплаты каждый год.",
    "uk": "Міська рада у вівторок вирішила відкласти новий тариф на пором до весни, після того як портові робітники заявили, що він коштуватиме їм тижневої зарплати щороку.",
    "pl": "Rada miasta postanowiła we wtorek odłożyć nową opłatę za prom do wiosny, po tym jak dokerzy oświadczyli, że będzie ich to kosztować tygodniową pensję każdego roku.",
    "tr": "Belediye meclisi salı günü yeni feribot ücretini bahara kadar ertelemeye karar verdi; liman işçileri zammın kendilerine her yıl bir haftalık ücrete mal olacağını söylemişti.",
    "ar": "قرر المجلس البلدي يوم الثلاثاء تأجيل التعرفة الجديدة للعبارة حتى الربيع، بعد أن قال عمال الميناء إن الزيادة ستكلفهم أجر أسبوع كل عام.",
    "zh": "市议会周二决定将新的渡轮收费推迟到春季实施，此前码头工人表示，这项涨价每年将让他们损失一周的工资。",
    "ja": "市議会は火曜日、新しいフェリー料金の導入を春まで延期することを決めた。港湾労働者は、値上げで毎年一週間分の賃金を失うと訴えていた。",
    "sv": "Kommunfullmäktige beslutade på tisdagen att skjuta upp den nya färjetaxan till våren, efter att hamnarbetarna sagt att höjningen skulle kosta dem en veckas lön varje år.",
    "da": "Byrådet besluttede tirsdag at udskyde den nye færgetakst til foråret, efter at havnearbejderne havde sagt, at stigningen ville koste dem en uges løn hvert år.",
    "nb": "Bystyret vedtok tirsdag å utsette den nye fergetaksten til våren, etter at havnearbeiderne hadde sagt at økningen ville koste dem en ukes lønn hvert år.",
    "fi": "Kaupunginvaltuusto päätti tiistaina lykätä uutta lauttamaksua kevääseen, kun satamatyöntekijät olivat sanoneet korotuksen maksavan heille viikon palkan joka vuosi.",
    "cs": "Městská rada v úterý rozhodla odložit nový poplatek za trajekt až na jaro poté, co přístavní dělníci uvedli, že by je zdražení každý rok stálo týdenní mzdu.",
    "ro": "Consiliul local a decis marți să amâne până în primăvară noul tarif pentru feribot, după ce docherii au spus că majorarea i-ar costa salariul pe o săptămână în fiecare an.",
    "hu": "A városi tanács kedden úgy döntött, hogy tavaszig elhalasztja az új kompdíjat, miután a kikötői munkások azt mondták, hogy az emelés évente egyheti bérükbe kerülne.",
    "el": "Το δημοτικό συμβούλιο αποφάσισε την Τρίτη να αναβάλει το νέο τέλος για το πορθμείο μέχρι την άνοιξη, αφού οι λιμενεργάτες δήλωσαν ότι η αύξηση θα τους κόστιζε ένα εβδομαδιαίο μισθό κάθε χρόνο.",
    "ko": "시의회는 화요일 새 여객선 요금의 시행을 봄까지 미루기로 결정했다. 항만 노동자들은 인상으로 매년 일주일치 임금을 잃게 된다고 주장했다.",
    "hi": "नगर परिषद ने मंगलवार को नौका के नए किराये को वसंत तक टालने का फैसला किया, जब बंदरगाह के मजदूरों ने कहा कि इस बढ़ोतरी से उन्हें हर साल एक सप्ताह की मजदूरी का नुकसान होगा।",
    "id": "Dewan kota pada hari Selasa memutuskan untuk menunda tarif feri yang baru hingga musim semi, setelah para pekerja pelabuhan mengatakan kenaikan itu akan merugikan mereka upah satu minggu setiap tahun.",
    "fa": "شورای شهر روز سه‌شنبه تصمیم گرفت تعرفه جدید کشتی را تا بهار به تعویق بیندازد، پس از آنکه کارگران بندر گفتند این افزایش هر سال به اندازه دستمزد یک هفته برایشان هزینه دارد.",
    "he": "מועצת העיר החליטה ביום שלישי לדחות את התעריף החדש למעבורת עד האביב, לאחר שעובדי הנמל אמרו שההעלאה תעלה להם שכר של שבוע בכל שנה.",
}  # fmt: skip


def huge_text(chars: int) -> str:
    """A body of at least ``chars`` characters: the bundled examples' paragraphs, repeated."""
    from parallax.examples import ARTICLES_DIR

    paragraphs = [
        paragraph.strip()
        for path in sorted(ARTICLES_DIR.glob("*.txt"))
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")
        if len(paragraph.split()) >= 8
    ]
    out: list[str] = []
    length = 0
    while length < chars:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        out.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(out)[:chars]


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_analysis(chars: int, bounded: bool) -> dict[str, object]:
    """In a fresh process: analyse one article of ``chars`` characters."""
    from parallax.model import Article
    from parallax.nlp import DEFAULT_LIMITS, AnalysisLimits, analyze_articles, load_pipeline
    from parallax.resolve import load_knowledge_base

    text = huge_text(chars)
    article = Article(
        "huge", "huge.txt", None, "Huge", None, [], [], [], None, [], "en", text, [], []
    )
    load_pipeline()
    model_mb = _rss_mb()
    limits = DEFAULT_LIMITS if bounded else AnalysisLimits(max_chars=None, max_caption_chars=None)
    started = time.perf_counter()
    knowledge = load_knowledge_base()
    (analysis,) = analyze_articles([article], knowledge=knowledge, limits=limits)
    seconds = time.perf_counter() - started
    ends = [m.end for m in analysis.mentions] + [q.end for q in analysis.quotes]
    return {
        "chars": len(text),
        "bounded": bounded,
        "seconds": seconds,
        "model_mb": model_mb,
        "peak_mb": _peak_mb(),
        "mentions": len(analysis.mentions),
        "quotes": len(analysis.quotes),
        "analysed_to": max(ends, default=0),
        "truncated": list(analysis.truncated),
    }


def run_language(low_accuracy: bool, news: str) -> dict[str, object]:
    """In a fresh process: the detector's memory and speed, and what it detects."""
    from parallax.clean.language import Detection, detector
    from parallax.examples import ARTICLES_DIR

    detection = Detection(low_accuracy=low_accuracy)
    texts = list(SAMPLES.values())
    texts += [path.read_text(encoding="utf-8") for path in sorted(ARTICLES_DIR.glob("*.txt"))]
    texts += _news(Path(news)) if news else []
    before = _rss_mb()  # lingua imported: what follows is the detector's own
    started = time.perf_counter()
    # As detect_language reads a text, without its minimum of words (Chinese and
    # Japanese have no spaces between them), so that every language's models load.
    found = [
        detector(detection).detect_language_of(text[: detection.sample_chars]) for text in texts
    ]
    seconds = time.perf_counter() - started
    found = [language.iso_code_639_1.name.lower() if language else None for language in found]
    return {
        "low_accuracy": low_accuracy,
        "added_mb": _rss_mb() - before,
        "peak_mb": _peak_mb(),
        "ms_per_text": 1000 * seconds / len(texts),
        "samples_right": sum(f == c for f, c in zip(found, SAMPLES, strict=False)),
        "detected": found[len(SAMPLES) :],
    }


def _news(folder: Path) -> list[str]:
    """Texts of a shared evaluation set (read for the measurement, never stored)."""
    texts: list[str] = []
    for path in sorted(folder.rglob("*"))[:5000]:
        if path.suffix in (".txt",) and path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix in (".jsonl",) and path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                record = json.loads(line)
                text = record.get("text") or record.get("body") or ""
                if text:
                    texts.append(text)
    return [text for text in texts if len(text.split()) >= 20][:2000]


def _child(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=980_000, help="the huge article's size")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[25_000, 50_000, 100_000, 200_000, 400_000]
    )
    parser.add_argument("--no-whole", action="store_true", help="skip the unbounded huge run")
    parser.add_argument("--news", default=str(DEFAULT_NEWS) if DEFAULT_NEWS.exists() else "")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "analysis":
            result = run_analysis(int(rest[0]), rest[1] == "bounded")
        else:
            result = run_language(rest[0] == "low", rest[1] if len(rest) > 1 else "")
        print(json.dumps(result))
        return

    runs = [] if args.no_whole else [(args.chars, "whole")]
    runs += [(args.chars, "bounded")] + [(size, "whole") for size in args.sizes]
    print("| article chars | analysed | seconds | model MB | peak RSS MB | mentions | quotes |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for chars, mode in runs:
        r = _child("analysis", str(chars), mode)
        analysed = f"first {r['analysed_to']:,} chars" if r["truncated"] else "whole"
        print(
            f"| {r['chars']:,} | {analysed} | {r['seconds']:.1f} | {r['model_mb']:.0f} "
            f"| {r['peak_mb']:.0f} | {r['mentions']} | {r['quotes']} |",
            flush=True,
        )
    print()
    results = [_child("language", mode, args.news) for mode in ("high", "low")]
    high = results[0]["detected"]
    print("| lingua detector | MB added | peak RSS MB | ms / text | 27 samples right | agrees with high accuracy |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        same = sum(a == b for a, b in zip(r["detected"], high, strict=True))  # type: ignore[arg-type]
        print(
            f"| {'low' if r['low_accuracy'] else 'high'} accuracy | {r['added_mb']:.0f} "
            f"| {r['peak_mb']:.0f} | {r['ms_per_text']:.2f} | {r['samples_right']} / "
            f"{len(SAMPLES)} | {same} / {len(high)} |"  # type: ignore[arg-type]
        )


if __name__ == "__main__":
    main()

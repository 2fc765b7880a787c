"""Quotes and their speakers, on sentences written for these tests and on the seeds."""

from __future__ import annotations

import pytest

from parallax.nlp import find_quotes, load_pipeline
from parallax.nlp.quotes import quote_parts, quoted_spans


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def quotes_of(nlp, text: str):
    return find_quotes(nlp(text))


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("“", "”"), ('"', '"'), ("„", "“"), ("«", "»"), ("‘", "’"), ("'", "'")],
)
def test_every_quotation_mark_style(nlp, opening: str, closing: str) -> None:
    statement = "The harbour will reopen before the storm season begins"
    text = f"{opening}{statement},{closing} said Harbour Master Ilse Brandauer on Monday."
    [quote] = quotes_of(nlp, text)
    assert quote.kind == "direct"
    assert text[quote.start : quote.end].startswith(statement)
    assert quote.speaker == "Harbour Master Ilse Brandauer"
    assert quote.cue == "said"


def test_quote_split_around_he_said_is_one_quote(nlp) -> None:
    text = (
        "Fisherman Oskar Lind spoke to reporters on the pier. "
        "“We ran out of the boathouse,” he said, “still wearing our rubber boots.”"
    )
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    first, second = "We ran out of the boathouse,", "still wearing our rubber boots."
    # One quote from the first part to the last: ``text`` stays ``field[start:end]``, the
    # cue and the speaker lie inside it, and ``quote_parts`` gives what was said.
    assert quote.text == text[quote.start : quote.end]
    assert quote.text.startswith(first) and quote.text.endswith(second)
    assert quote.speaker == "he" and quote.cue == "said"
    assert quote.start < quote.speaker_start < quote.cue_start < quote.end
    assert [text[s:e] for s, e in quote_parts(text, quote)] == [first, second]


def test_quote_split_by_its_cue_sentence_is_one_quote(nlp) -> None:
    text = (
        "“We will rebuild the bridge in stone,” the mayor of Veltrup said. "
        "“It will take at least two summers to finish.”"
    )
    [quote] = quotes_of(nlp, text)
    assert quote.text.startswith("We will rebuild the bridge in stone,")
    assert quote.text.endswith("It will take at least two summers to finish.")
    assert quote.speaker == "the mayor of Veltrup"


def test_quote_carried_on_to_the_next_paragraph_is_one_quote(nlp) -> None:
    # News style: the first paragraph's quotation is left unclosed when it carries on.
    text = (
        "Hydrologist Ana Petrova said: “The river rose faster than any model predicted.\n\n"
        "“Next year we will need sensors upstream, not just at the dam.”"
    )
    [quote] = quotes_of(nlp, text)
    assert quote.text == text[quote.start : quote.end]
    assert quote.text.startswith("The river rose faster")
    assert quote.text.endswith("not just at the dam.")
    assert quote.speaker == "Hydrologist Ana Petrova"
    assert len(quote_parts(text, quote)) == 2


def test_closed_quote_and_a_quote_in_the_next_paragraph_are_two(nlp) -> None:
    # The first quotation is closed: the next paragraph opens a new one, credited to the
    # same speaker as a quote standing on its own after hers.
    text = (
        "“The river rose faster than any model predicted,” said hydrologist Ana Petrova.\n\n"
        "“Next year we will need sensors upstream, not just at the dam.”"
    )
    first, second = quotes_of(nlp, text)
    assert first.text == "The river rose faster than any model predicted,"
    assert second.text == "Next year we will need sensors upstream, not just at the dam."
    assert first.speaker == second.speaker == "hydrologist Ana Petrova"
    assert len(quote_parts(text, first)) == len(quote_parts(text, second)) == 1


def test_two_speakers_keep_two_quotes(nlp) -> None:
    text = (
        "“The ferry will run again by the middle of next month,” the harbour master said. "
        "“Nobody should buy tickets before the timetable is out,” the ticket office warned.\n\n"
        "“The dam is safe for now and the town will stay dry,” said engineer Tomas Riel.\n\n"
        "“We expect the rain to stop by Thursday evening,” said forecaster Lena Duval."
    )
    quotes = quotes_of(nlp, text)
    assert [(q.speaker, q.cue) for q in quotes] == [
        ("the harbour master", "said"),
        ("the ticket office", "warned"),
        ("engineer Tomas Riel", "said"),
        ("forecaster Lena Duval", "said"),
    ]
    assert all(len(quote_parts(text, q)) == 1 for q in quotes)


@pytest.mark.parametrize(
    "cue_sentence",
    [
        "the mayor said, referring to the old ferry pier",
        "said the mayor, who has led the town council since 2011 and chairs its budget board",
        "the mayor said, waving at the crowd",
    ],
)
def test_a_quotation_carried_on_after_its_cue_sentence_is_one_quote(nlp, cue_sentence: str) -> None:
    # The cue's sentence describes the speaker or the moment and ends; the next quotation,
    # without a cue of its own, carries on what the speaker said.
    text = (
        f"“We will rebuild the bridge in stone,” {cue_sentence}. "
        "“It will take at least two summers to finish.”"
    )
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.text.startswith("We will rebuild the bridge in stone,")
    assert quote.text.endswith("It will take at least two summers to finish.")
    assert "mayor" in (quote.speaker or "")
    # What stands between belongs to the quote's span, not to a quote of its own.
    assert not [q for q in quotes_of(nlp, text) if q.kind != "direct"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The ferry stayed in port. “The crossing will resume once the wind drops below "
            "force six,” according to the harbour authority.",
            "the harbour authority",
        ),
        (
            "The ferry stayed in port.\n\nAccording to the ferry company, “The crossing will "
            "resume once the wind drops below force six.”",
            "the ferry company",
        ),
    ],
)
def test_a_quotation_credited_by_according_to_beside_it(nlp, text: str, speaker: str) -> None:
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.text.startswith("The crossing will resume")
    assert (quote.cue, quote.speaker) == ("according to", speaker)
    assert text[quote.cue_start : quote.cue_end].lower() == "according to"


@pytest.mark.parametrize(
    ("tag", "cue", "speaker"),
    [
        ("Ilse Brandauer barked", "barked", "Ilse Brandauer"),
        ("the harbour master scoffed", "scoffed", "the harbour master"),
        ("Ilse Brandauer snapped and a guard led the reporter out", "snapped", "Ilse Brandauer"),
    ],
)
def test_any_verb_tagging_a_quotation_credits_it(nlp, tag: str, cue: str, speaker: str) -> None:
    # No verb of saying, but the quotation stops on a comma and hands its sentence to a
    # verb and its subject: "“…,” X barked." is X's, whatever the verb.
    text = f"The meeting ran late.\n\n“Nobody in this port has ever seen a ship that size,” {tag}."
    [quote] = quotes_of(nlp, text)
    assert (quote.cue, quote.speaker) == (cue, speaker)


def test_a_cue_inside_another_speaker_s_statement_is_theirs(nlp) -> None:
    # "showed" is the lecturer's word, inside what she says: her statement, not the
    # strike's.
    text = (
        "The strike showed how exposed the grain trade has become to a single port, says "
        "Ana Berg, a lecturer at the harbour college."
    )
    quotes = quotes_of(nlp, text)
    assert len(quotes) == 1 and (quotes[0].speaker or "").startswith("Ana Berg")
    assert quotes[0].text.startswith("The strike showed how exposed")


def test_a_further_statement_after_the_cue_is_not_joined(nlp) -> None:
    text = (
        "“We will rebuild the bridge in stone,” the mayor said, adding that the council "
        "had approved the money. “It will take at least two summers.”"
    )
    direct = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert [q.text for q in direct] == [
        "We will rebuild the bridge in stone,",
        "It will take at least two summers.",
    ]
    assert {q.speaker for q in direct} == {"the mayor"}


def test_apostrophes_and_unbalanced_marks_never_crash(nlp) -> None:
    text = (
        "The leaders’ summit in Karsk ended early, and the ministers' aides didn't comment. "
        "“This sentence opens a quote that never closes"
    )
    quotes = quotes_of(nlp, text)
    assert all(0 <= q.start < q.end <= len(text) for q in quotes)
    assert not any("summit in Karsk" in q.text for q in quotes if q.kind == "direct")


def test_quoted_spans_ignore_apostrophes() -> None:
    text = "The workers’ union said it's 'too early to tell what happens next' for now."
    assert [text[s:e] for s, e in quoted_spans(text)] == ["too early to tell what happens next"]


def test_reported_speech_with_that(nlp) -> None:
    text = "The finance minister said that the budget talks had failed after midnight."
    [quote] = quotes_of(nlp, text)
    assert quote.kind == "indirect"
    assert "the budget talks had failed" in quote.text
    assert quote.speaker == "The finance minister"
    assert quote.cue == "said"


def test_warned_someone_that(nlp) -> None:
    text = "Coastguard chief Marta Olsen warned fishermen that the ice would not hold."
    quotes = quotes_of(nlp, text)
    assert any(
        "the ice would not hold" in q.text and q.speaker == "Coastguard chief Marta Olsen"
        for q in quotes
    )


def test_according_to(nlp) -> None:
    text = "According to the regional health office, 41 people were treated for smoke."
    [quote] = quotes_of(nlp, text)
    assert quote.cue == "according to"
    assert quote.speaker == "the regional health office"
    assert "41 people were treated for smoke" in quote.text


def test_a_scare_quote_is_not_a_statement(nlp) -> None:
    text = "The company called the outage a “minor hiccup” in a short note."
    assert not [q for q in quotes_of(nlp, text) if q.kind == "direct"]


def test_seed_quotes_carry_their_speakers(seed_analysis) -> None:
    articles, analyses, _ = seed_analysis
    by_outlet = {
        article.outlet: analysis for article, analysis in zip(articles, analyses, strict=True)
    }

    def speakers(analysis) -> list[tuple[str, str | None]]:
        return [
            (
                q.text,
                analysis.mentions[q.speaker_mention].canonical
                if q.speaker_mention is not None
                else None,
            )
            for q in analysis.quotes
            if q.kind == "direct"
        ]

    watson = speakers(by_outlet["watson"])
    assert len(watson) == 6
    surnames = [speaker.split()[-1] if speaker else None for _, speaker in watson]
    assert surnames.count("Umarov") == 4
    assert "Junisbai" in surnames  # introduced only as "the native Kazakh"
    assert "Alschanow" in surnames  # a quote standing after his reported statement
    uzbek = next(s for text, s in watson if text.startswith("Tokayev was probably"))
    assert uzbek and uzbek.endswith("Umarov")  # "says the native Uzbek"

    insider = speakers(by_outlet["Business Insider"])
    assert any(speaker == "Institute for the Study of War" for _, speaker in insider)


def test_what_was_done_or_not_said_is_no_quote(nlp) -> None:
    """Issue 27's junk: an object noun after a verb that is not one of saying, speech
    that did not happen, and a speaker that names nobody."""
    texts = [
        "The 23-year-old passed his medical on Monday.",
        "Velkor Telecom took the company private last year.",
        "He did not say which supplies he had in mind.",
        "The figures came from the port authority, which reported that 140 ships were waiting.",
        "A magnitude 6.1 earthquake struck the Arequipa region early on Sunday.",
        "Midfielder Oskar Lind signed a four-year contract with the club.",
    ]
    for text in texts:
        junk = [(q.speaker, q.cue, q.text) for q in quotes_of(nlp, text)]
        assert junk == [], text
    # A verb of saying keeps its object: "announced the plan" is what was said.
    announced = quotes_of(nlp, "The mayor of Lindenau announced a new ferry timetable on Friday.")
    assert [q.speaker for q in announced] == ["The mayor of Lindenau"]


def test_what_others_say_of_somebody_is_not_their_speech(nlp) -> None:
    """Hearsay: "X is said to …" reports what unnamed others say of X; X said nothing."""
    texts = [
        "A Bundesliga club was said to be interested in the Lindenau forward.",
        "Earlier, a rival club said to be interested in the forward had left the talks.",
        "The harbour master is reported to have resigned over the storm damage.",
    ]
    for text in texts:
        assert [(q.speaker, q.cue) for q in quotes_of(nlp, text)] == [], text
    # Active speech with an infinitive stays: she said what to do.
    said = quotes_of(nlp, "The harbour master said to wait for the official figures.")
    assert [q.speaker for q in said] == ["The harbour master"]


def test_according_to_a_measure_or_a_rule_credits_nobody(nlp) -> None:
    """ "According to" a share, a length or a plan says how, not who said so."""
    for text in (
        "The costs will be split according to each town's share of the new road.",
        "Each farm pays according to the length of fence on its land.",
        "The ferries will run according to the winter schedule from Monday.",
    ):
        assert quotes_of(nlp, text) == [], text
    found = quotes_of(nlp, "About 90 boats were waiting, according to the harbour office.")
    assert [q.speaker for q in found] == ["the harbour office"]


def test_a_wire_dateline_is_not_part_of_what_officials_said(nlp) -> None:
    text = (
        "VARNA, Bulgaria (AP) — Heavy rain flooded dozens of houses near the port before "
        "dawn Tuesday, officials said."
    )
    (quote,) = quotes_of(nlp, text)
    assert quote.speaker == "officials"
    assert quote.text.startswith("Heavy rain") and quote.text == text[quote.start : quote.end]


def test_the_source_of_according_to_ends_before_its_relative_clause(nlp) -> None:
    text = (
        "About 90 boats were waiting, according to the harbour office, which said the "
        "queue would clear by Friday."
    )
    speakers = [q.speaker for q in quotes_of(nlp, text) if q.cue == "according to"]
    assert speakers == ["the harbour office"]


def test_figures_from_someone_are_credited_to_them(nlp) -> None:
    text = "Turnout was 61 per cent, according to figures from the Norland Election Office."
    assert [q.speaker for q in quotes_of(nlp, text)] == ["the Norland Election Office"]


def test_a_clause_before_a_colon_is_not_reported_by_the_verb_after_it(nlp) -> None:
    text = (
        "Lindqvist tries to explain the mayor's choice: in the end, Norland and Ostmark "
        "share a long border."
    )
    assert [(q.speaker, q.cue) for q in quotes_of(nlp, text)] == []
    kept = quotes_of(nlp, "The border will stay open, the mayor said on Monday.")
    assert [q.speaker for q in kept] == ["the mayor"]


def test_the_speaker_is_who_said_it_not_when_or_where(nlp) -> None:
    said = quotes_of(
        nlp, "“It could have been us,” says the old farmer in an earlier interview with us."
    )
    assert [q.speaker for q in said] == ["the old farmer"]
    kept = quotes_of(nlp, "“We are ready,” an analyst at Nordbank said on Monday.")
    assert [q.speaker for q in kept] == ["an analyst at Nordbank"]
    at = quotes_of(nlp, "“He makes us better,” said the Lindenau coach Ole Brandt at the launch.")
    assert [q.speaker for q in at] == ["the Lindenau coach Ole Brandt"]


def test_words_said_leave_out_the_cue_between_the_parts(nlp) -> None:
    from parallax.nlp.quotes import words_said

    text = (
        "“The harbour is full,” says Ilse Varga, a pilot in Lindenau. “We turn ships "
        "away every night.”"
    )
    (quote,) = quotes_of(nlp, text)
    assert words_said(quote) == "The harbour is full … We turn ships away every night."
    (alone,) = quotes_of(nlp, "“The harbour is full,” she said.")
    assert words_said(alone) == alone.text


def test_a_noun_with_nobody_behind_it_attributes_nothing(nlp) -> None:
    text = "The visit drew criticism of the West from Lindenau's opposition newspapers."
    assert [q.cue for q in quotes_of(nlp, text) if q.speaker is None] == []


def test_a_verb_of_judging_keeps_its_object_and_what_completes_it(nlp) -> None:
    # The cue table knows "accused" and "criticized" by how often their object was what
    # was said; the content is the object with its complement, not the bare noun.
    text = (
        "Senator Ilse Brandauer accused the harbour authority of hiding the storm damage. "
        "Governor Tomas Riel criticized the ferry company for its late timetable."
    )
    quotes = quotes_of(nlp, text)
    assert [(q.speaker, q.cue, q.text) for q in quotes] == [
        ("Senator Ilse Brandauer", "accused", "the harbour authority of hiding the storm damage"),
        ("Governor Tomas Riel", "criticized", "the ferry company for its late timetable"),
    ]


@pytest.mark.parametrize(
    ("text", "cue", "opening"),
    [
        (
            "The harbour master insisted that the port has “never been safer for ships of any "
            "size” despite the storm.",
            "insisted",
            "that the port has “never been safer",
        ),
        # American style puts the full stop inside the closing mark: the quotation ends one
        # character after the clause's last word, and is still part of the clause.
        (
            "The harbour master says she admired the crews' patience through what she calls "
            "“a winter of endless gales.”",
            "says",
            "she admired the crews' patience",
        ),
    ],
)
def test_a_quotation_inside_reported_speech_is_part_of_it(
    nlp, text: str, cue: str, opening: str
) -> None:
    [quote] = quotes_of(nlp, text)
    assert quote.kind == "indirect" and quote.cue == cue
    assert quote.speaker == "The harbour master"
    assert quote.text.startswith(opening)
    quoted = text[text.index("“") + 1 : text.index("”")]
    assert quoted in quote.text


def test_said_in_a_statement_that_gives_the_clause(nlp) -> None:
    """The parser hangs "that …" on the statement; what was said is the clause."""
    text = "The harbour board said in a statement that the north quay would reopen in May."
    [quote] = quotes_of(nlp, text)
    assert quote.speaker == "The harbour board"
    assert quote.text == "that the north quay would reopen in May"


def test_a_paragraph_ending_in_a_colon_credits_the_quotation_after_it(nlp) -> None:
    text = (
        "The ferry company answered the council on Tuesday.\n\n"
        "Harbour master Ilse Brandauer continued:\n\n"
        "“The new pier will carry twice the traffic of the old one by the summer.”\n\n"
        "Wait, there is more:\n\n"
        "“Nobody has asked the fishermen what they need for the winter months.”"
    )
    credited, alone = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert credited.text.startswith("The new pier")
    assert credited.speaker == "Harbour master Ilse Brandauer"
    assert credited.cue == "continued"
    # No speaker before the colon: nobody is made up.
    assert alone.text.startswith("Nobody has asked") and alone.speaker is None


def test_a_name_after_a_dash_credits_the_quotation(nlp) -> None:
    text = (
        "Readers wrote in after the debate.\n"
        "“He has never once asked what the farmers in this valley need from him.” ― Marta "
        "Quintana\n"
        "When the speech ended — “and we are done with the speeches here tonight” — the "
        "band played on."
    )
    quotes = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quotes[0].speaker == "Marta Quintana"
    assert all(q.speaker is None for q in quotes[1:])


def test_a_name_on_a_dash_line_after_the_quotation_credits_it(nlp) -> None:
    # A fact-check's or a letters page's way: the quotation, then a line "- Name." of
    # its own; a dash inside the next paragraph's sentence credits nothing.
    text = (
        "The claims, checked.\n\n"
        "“I went to the bank before the crash. I was the one warning about the loans.”\n\n"
        "- Anna Berg.\n\n"
        "“The pier was paid for twice over by the same contractor.”\n\n"
        "Berg tends to overstate it - the pier was paid for once."
    )
    first, second = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert first.speaker == "Anna Berg"
    assert second.speaker is None


def test_a_question_and_its_cue_split_by_the_parser_stay_together(nlp) -> None:
    text = (
        "The council met late into the night. “Who will pay for the new pier when the "
        "grant runs out?” Councillor Ana Ruiz asked as the vote began."
    )
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker == "Councillor Ana Ruiz" and quote.cue == "asked"


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Ilse Brandauer wrote to the fishermen on Monday, telling them, “The harbour "
        "will reopen before the storm season begins.”",
        "Mayor Ilse Brandauer sang a song for the fishermen before asking them, “Do you know "
        "where the ferry money went last year?”",
        # A verb of saying inside the quotation, which the parser reads as governing the
        # whole sentence, is the quoted words' own.
        "Mayor Ilse Brandauer was not impressed with the senator’s comments Tuesday, telling "
        "reporters, “A lot of people said the senator should step down.”",
    ],
)
def test_a_participle_of_saying_takes_its_clause_subject(nlp, text: str) -> None:
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker == "Mayor Ilse Brandauer"


def test_who_is_the_person_the_clause_describes(nlp) -> None:
    text = (
        "The plan was backed by Anna Berg, a harbour engineer who argued that the new pier "
        "would cost less than the old one."
    )
    [quote] = quotes_of(nlp, text)
    assert quote.speaker is not None and "Anna Berg" in quote.speaker
    assert "who" not in quote.speaker.split()


def test_a_quotation_credited_to_it_or_a_figure_has_no_speaker(nlp) -> None:
    """Never "it" or a lone number unresolved (issue 27): the quotation stays, credited
    to nobody, and is listed only at a threshold of every quote's."""
    text = "“The ferry will run twice a day from June and every hour in summer,” it said."
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker is None


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Ana Ruiz: “Never underestimate Mayor Ilse Brandauer on the harbour.”",
        "Councillor Ana Ruiz delivered a blunt message to Mayor Ilse Brandauer: “It is time "
        "to stop the works on the harbour.”",
    ],
)
def test_the_name_before_a_colon_is_who_speaks_not_who_is_spoken_of(nlp, text: str) -> None:
    """A name inside the quotation, or one the sentence before the colon is about, does
    not say the quotation."""
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker is not None and "Ana Ruiz" in quote.speaker


TRANSCRIPT = (
    "The harbour master spoke to the radio on Sunday. Partial transcript as follows:\n\n"
    "MARTA QUINTANA: Will the new pier be ready before the storm season, and who pays?\n\n"
    "BRANDAUER: Well, look, the pier will be ready in June, and the port pays for it.\n\n"
    "The ferry company will add two boats in the summer, so the pier must hold them.\n\n"
    "(CROSSTALK.)\n\n"
    "QUINTANA: Nobody asked the fishermen what they think of “the works on the harbour”.\n\n"
    "BRANDAUER: We asked them twice, in March and in April.\n\n"
    "Follow the harbour desk on the radio every Sunday morning."
)


def test_a_transcript_turn_is_its_speakers_words(nlp) -> None:
    """A transcript's turns are direct quotes credited to their labels, a quotation
    inside one is part of it, a turn runs on over its speaker's paragraphs up to a stage
    direction, and the last turn ends with its paragraph (a credit follows)."""
    from parallax.nlp.quotes import is_transcript_turn

    turns = [q for q in quotes_of(nlp, TRANSCRIPT) if is_transcript_turn(q)]
    assert [q.speaker for q in turns] == ["MARTA QUINTANA", "BRANDAUER", "QUINTANA", "BRANDAUER"]
    assert all(q.kind == "direct" and q.cue == ":" for q in turns)
    assert turns[0].text.startswith("Will the new pier")
    assert turns[1].text.endswith("the pier must hold them.")
    assert turns[2].text.endswith("on the harbour”.")
    assert turns[3].text == "We asked them twice, in March and in April."
    assert quote_parts(TRANSCRIPT, turns[2]) == [(turns[2].start, turns[2].end)]
    assert len(find_quotes(nlp(TRANSCRIPT))) == 4


@pytest.mark.parametrize(
    "text",
    [
        "UPDATE: The ferry company added two boats on Monday.\n\n"
        "UPDATE: The pier reopened on Tuesday after the storm passed.",
        "VIDEO: The pier in the storm.\n\nBRANDAUER: The pier will be ready in June.",
        "Q: Will the pier be ready?\n\nA: It will be ready in June.",
    ],
)
def test_labels_of_one_speaker_or_of_none_are_no_transcript(nlp, text: str) -> None:
    """An editor's "UPDATE:" notes, a lone "VIDEO:" beside one speaker, an interview's
    "Q:" and "A:": no dialogue of named speakers, so no turns."""
    from parallax.nlp.quotes import is_transcript_turn

    assert not any(is_transcript_turn(q) for q in quotes_of(nlp, text))


@pytest.mark.parametrize(("opening", "closing"), [('"', "”"), ("“", '"'), ("“", "“"), ("”", "”")])
def test_a_quotation_closed_with_the_other_style_of_mark(nlp, opening, closing) -> None:
    """Scraped text mixes straight and curly marks and prints curly ones the wrong way
    round: the quotation still closes where it ends, and its speaker after it is found."""
    statement = "The harbour will reopen before the storm season begins"
    text = f"{opening}{statement},{closing} said Harbour Master Ilse Brandauer on Monday."
    [quote] = quotes_of(nlp, text)
    assert quote.text == statement + ","
    assert quote.speaker == "Harbour Master Ilse Brandauer"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "During the first debate on the harbour, Ilse Brandauer cracked, “I am a "
            "builder, but I am a builder who likes to finish things.”",
            "Ilse Brandauer",
        ),
        (
            "And the harbour master gloated: 'I told you the pier would be ready before "
            "the storm season.'",
            "the harbour master",
        ),
        (
            "At the harbour meeting, the ferry captain retorted: “Nobody asked the crews "
            "what the new timetable means for them.”",
            "the ferry captain",
        ),
    ],
)
def test_a_verb_right_before_a_quotation_introduces_it(nlp, text: str, speaker: str) -> None:
    """Whatever its word, a verb the quotation follows after a comma or a colon says
    what its subject said ("cracked", "retorted", "gloated")."""
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker == speaker


def test_turns_of_nothing_but_marks_are_no_quotes(nlp) -> None:
    """Hostile input: labels before nothing but a quotation mark say nothing, and no
    span runs backwards."""
    text = "ANN: \"\n\nBOB: ”\n\nANN: “\n\nBOB: '\n\nANN: Well, then.\n\nBOB: "
    quotes = quotes_of(nlp, text)
    assert all(q.start < q.end and any(c.isalnum() for c in q.text) for q in quotes)
    assert [q.text for q in quotes if q.cue == ":"] == []


def test_a_verb_inside_a_quotation_reports_nothing_outside_it(nlp) -> None:
    """A parse that runs over the quotation's marks ("Ruiz called" inside the marks
    reporting "Brandauer shot back" outside them) is no statement."""
    text = (
        "The mayor was asked about the fees. Brandauer shot back, “Councillor Ruiz called "
        "them fair. Oh my goodness, she must have been really surprised.”"
    )
    quotes = quotes_of(nlp, text)
    assert not any(q.speaker == "Councillor Ruiz" for q in quotes)
    assert any(q.kind == "direct" and q.speaker == "Brandauer" for q in quotes)


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        # The parser hangs the quotation's own "it" on "said" beside the name after it.
        (
            "“If the river does not flood the fields this year, it will at some point, "
            "probably sooner rather than later,” said Maria Lopez, a farmer who is head of "
            "the growers union at the valley cooperative.",
            "said",
            "Maria Lopez, a farmer",
        ),
        # The subject's subtree runs back into the quotation.
        (
            "“Just saw the mayor’s video. I am impressed by his ability to insult every "
            "sailor in town,” screenwriter Cole Maddox wrote on his blog.",
            "wrote",
            "screenwriter Cole Maddox",
        ),
        # The cue is the seventh word of the sentence the parser starts after the question.
        (
            "“You work hard. You pay your bills. So why did he not pay his?” a narrator in "
            "the new advert asks. The spot ends there.",
            "asks",
            "a narrator",
        ),
    ],
)
def test_the_speaker_of_a_quotation_stands_outside_it(
    nlp, text: str, cue: str, speaker: str
) -> None:
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert (quote.cue, quote.speaker) == (cue, speaker)


def _parsed(nlp, words: str, heads: list[int], deps: str, pos: str):
    """A document with the parse given (words, dependencies and parts of speech each
    separated by spaces): the parser's mistakes on real pages, written out."""
    from spacy.tokens import Doc

    tokens = words.split()
    spaces = [
        i + 1 < len(tokens) and tokens[i] != "“" and tokens[i + 1] not in (",", ".", "”")
        for i in range(len(tokens))
    ]
    lemmas = [{"notes": "note", "said": "say"}.get(w, w.lower()) for w in tokens]
    return Doc(
        nlp.vocab,
        words=tokens,
        spaces=spaces,
        heads=heads,
        deps=deps.split(),
        pos=pos.split(),
        lemmas=lemmas,
    )


def test_a_name_the_parser_took_into_the_verb_still_speaks(nlp) -> None:
    """Seen on PolNeAR: a surname before "notes" parsed as a compound of the verb, the cue
    left without a subject; the words between the quotation and its cue are the speaker."""
    doc = _parsed(
        nlp,
        "“ Look at the figures , ” Conway notes .",
        [8, 8, 1, 4, 2, 8, 8, 8, 8, 8],
        "punct ccomp prep det pobj punct punct compound ROOT punct",
        "PUNCT VERB ADP DET NOUN PUNCT PUNCT PROPN VERB PUNCT",
    )
    [quote] = find_quotes(doc)
    assert quote.cue == "notes" and quote.speaker == "Conway"


def test_a_name_the_parser_gave_another_verb_still_speaks(nlp) -> None:
    """Seen on PolNeAR: "said <name>, who heads <a group whose name opens with a verb>"
    with the name parsed as the subject of that verb: the noun phrase right after the cue
    is the speaker."""
    doc = _parsed(
        nlp,
        "“ It is a battle , ” said Anna Brock , who heads Correct the Record .",
        [4, 2, 4, 4, 7, 7, 7, 7, 9, 13, 9, 12, 9, 7, 15, 13, 7],
        "punct nsubj cop det ccomp punct punct ROOT compound nsubj punct nsubj relcl ccomp "
        "det dobj punct",
        "PUNCT PRON AUX DET NOUN PUNCT PUNCT VERB PROPN PROPN PUNCT PRON VERB VERB DET PROPN PUNCT",
    )
    [quote] = [q for q in find_quotes(doc) if q.kind == "direct"]
    assert quote.cue == "said" and quote.speaker == "Anna Brock"


def test_a_name_parsed_into_the_quotation_still_speaks(nlp) -> None:
    """Seen on PolNeAR: "“…,” <name>, <description>, said" with the name parsed as part of
    the quotation's clause and the cue left without a subject. The name that opens the
    words after the closing mark is the speaker, and the quotation is not replaced by that
    misread "clause" of the cue."""
    doc = _parsed(
        nlp,
        "“ It is fine now , ” Anna Berg , an engineer , said .",
        [2, 2, 13, 2, 2, 2, 2, 8, 2, 8, 11, 8, 13, 13, 13],
        "punct nsubj ccomp acomp advmod punct punct compound attr punct det appos punct ROOT punct",
        "PUNCT PRON AUX ADJ ADV PUNCT PUNCT PROPN PROPN PUNCT DET NOUN PUNCT VERB PUNCT",
    )
    [quote] = find_quotes(doc)
    assert quote.kind == "direct" and quote.text == "It is fine now,"
    assert quote.cue == "said" and quote.speaker == "Anna Berg"


def test_a_cue_behind_a_long_description_of_its_speaker(nlp) -> None:
    """The cue stands beyond the few words after a quotation it is looked for in, and the
    quotation hangs on the description, not on the cue: the first verb after the
    quotation, a speech word whose subject stands between, is the cue."""
    doc = _parsed(
        nlp,
        "“ It is fine now , ” the senior harbour engineer at the port , Anna Berg , said .",
        [2, 2, 10, 2, 2, 2, 2, 10, 10, 10, 18, 10, 13, 11, 10, 16, 10, 10, 18, 18],
        "punct nsubj relcl acomp advmod punct punct det amod compound nsubj prep det pobj "
        "punct compound appos punct ROOT punct",
        "PUNCT PRON AUX ADJ ADV PUNCT PUNCT DET ADJ NOUN NOUN ADP DET NOUN PUNCT PROPN PROPN "
        "PUNCT VERB PUNCT",
    )
    [quote] = find_quotes(doc)
    assert quote.cue == "said" and "Anna Berg" in quote.speaker


def test_a_short_remark_is_a_quote_only_when_credited_right_beside_it(nlp) -> None:
    text = (
        "The councillor looked for a single supporter of the plan. “Not even one,” he said. "
        "The mayor mispronounced “Hafenstadt,” the town's old name, twice. "
        "“Really?” asked the host. Outside, the dockers chanted “No more delays!”"
    )
    quotes = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Not even one,", "he"),
        ("Really?", "the host"),
        ("No more delays!", "the dockers"),
    ]


def test_a_verb_that_attributes_when_it_governs_the_quotation(nlp) -> None:
    """ "read" is seldom a cue, but governing a clause it mostly is (PolNeAR train: 14 of
    18): the letter, the sign, the statement "reads"."""
    text = (
        "Parents wrote to the board in May. “From the north of the city to the harbour, we "
        "see schools giving our children hope,” the letter reads."
    )
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert (quote.cue, quote.speaker) == ("reads", "the letter")


@pytest.mark.parametrize(
    ("text", "speaker", "reported"),
    [
        # The participle hangs on the reported clause's verb; the one adding is the one saying.
        (
            "The minister said the port would reopen on Monday, adding, “Nobody will lose a "
            "day of pay.”",
            "The minister",
            "the port would reopen on Monday",
        ),
        (
            "A senior union strategist said Lindqvist will have to choose a side, saying, “At "
            "some point she is going to have to say where she stands.”",
            "A senior union strategist",
            "Lindqvist will have to choose a side",
        ),
        # Read into "continued"'s clause, the quotation was no quote of its own.
        (
            "Berg continued by saying, “We will appeal this decision because the port needs "
            "clarity from the court.”",
            "Berg",
            None,
        ),
        # Two clauses up: "adding" hangs on "mentioning", which hangs on "by".
        (
            'He only hinted at the minister by mentioning the need for new cranes and adding, "I '
            'have an idea of who should pay for them."',
            "He",
            None,
        ),
    ],
)
def test_a_participle_of_saying_introduces_its_quotation(
    nlp, text: str, speaker: str, reported: str | None
) -> None:
    quotes = quotes_of(nlp, text)
    (direct,) = [q for q in quotes if q.kind == "direct"]
    assert direct.speaker == speaker
    assert direct.cue in ("adding", "saying")
    assert direct.text.startswith(("Nobody", "At some", "We will", "I have"))
    if reported is not None:
        assert [q.text for q in quotes if q.kind == "indirect"] == [reported]


def test_when_or_where_it_was_said_is_not_what_was_said(nlp) -> None:
    """ "tweeted in the early hours", "said in a phone interview" tell when and where;
    "said in a statement that …" still gives the statement's clause."""
    for text in (
        "The mayor tweeted in the early morning hours.",
        "Berg said in a phone interview.",
        "The senator wrote during 2014 and again in the spring.",
    ):
        assert quotes_of(nlp, text) == [], text
    [quote] = quotes_of(nlp, "Berg said in a statement that the port would reopen on Monday.")
    assert quote.text == "that the port would reopen on Monday"


def test_a_speaker_s_bracket_is_closed(nlp) -> None:
    """ "Rep. Anna Berg (D-Wis.)": the closing bracket is punctuation, but part of the name."""
    [quote] = quotes_of(nlp, "Rep. Anna Berg (D-Wis.) said the vote would be close.")
    assert quote.speaker == "Rep. Anna Berg (D-Wis.)"

"""Danish tokenising, sentences, word forms, KWIC and word frequencies."""

from __future__ import annotations

from effektspor.text.search import kwic, parse_query, word_frequencies
from effektspor.text.stopwords import danish_stopwords
from effektspor.text.tokens import sentence_spans, tokenize
from effektspor.text.wordforms import stem


def test_tokens_have_code_point_offsets_and_clause_breaks():
    text = "Øjenkontakt, ro – og så Lego-figurer."
    tokens = tokenize(text)
    assert [text[t.start:t.end] for t in tokens] == ["Øjenkontakt", "ro", "og", "så",
                                                     "Lego-figurer"]
    assert [t.clause_break_before for t in tokens] == [False, True, True, False, False]
    assert tokens[0].capitalised and tokens[0].lower == "øjenkontakt"


def test_sentences_do_not_break_at_abbreviations_or_numbers():
    text = "Mødet er kl. 10 pga. sygdom. Vi ses hver 14. dag!\nNy linje"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["Mødet er kl. 10 pga. sygdom.", "Vi ses hver 14. dag!", "Ny linje"]


def test_word_forms_share_a_stem():
    assert stem("råd") == stem("rådet") == stem("rådene")
    assert stem("vejledning") == stem("vejledningen")
    assert stem("råd") != stem("rådgiver")


def test_kwic_finds_forms_and_phrases_with_context():
    text = "Mor tog imod rådene. Senere kom rådgiveren, og mor fulgte rådet."
    hits = kwic(text, parse_query("råd"), window=10)
    assert [h.match for h in hits] == ["rådene", "rådet"]
    assert hits[0].left == "Mor tog imod " [-10:]
    phrase = kwic(text, parse_query("imod råd"))
    assert [h.match for h in phrase] == ["imod rådene"]
    prefix = kwic(text, parse_query("råd*"))
    assert len(prefix) == 3


def test_word_frequencies_skip_stop_words_and_group_forms():
    counts = word_frequencies(["Mor og far har rådet.", "Rådene hjalp mor.", "Rådet og mor."])
    by_word = {c.word: (c.count, c.documents) for c in counts}
    assert by_word["mor"] == (3, 3)
    assert by_word["rådet"] == (3, 3)  # råd, rådet, rådene counted as one, most frequent form
    assert "og" not in by_word and "og" in danish_stopwords()

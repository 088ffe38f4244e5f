import pytest

from karabakh_book import quran, text
from karabakh_book.data import load


def test_the_garbled_line_is_identified_as_63_4_not_9_30():
    garbled = load("segments").set_index("id").loc["verse-ar", "text_de"]
    assert quran.find(quran.reconstruct(garbled)) == [(63, 4)]


def test_the_last_three_words_occur_in_9_30_and_63_4():
    assert quran.find("قَاتَلَهُمُ اللَّهُ أَنَّى يُؤْفَكُونَ") == [(9, 30), (63, 4)]


def test_normalisation_ignores_diacritics_and_alef_spelling():
    assert quran.normalize("قَـٰتَلَهُمُ ٱللَّهُ") == quran.normalize("قاتلهم الله")


def test_the_texts_dateline_converts_to_4_october_2023():
    """The book's own parsing of the seed's dateline, and its conversion."""
    assert text.hijri_dateline() == (1445, 3, 19)
    assert text.gregorian_date().isoformat() == "2023-10-04"


def test_a_different_dateline_gives_a_different_date_and_a_garbled_one_is_refused():
    assert text.gregorian_date("20. Rabīʿ al-Auwal 1445 n. H.").isoformat() == "2023-10-05"
    assert text.gregorian_date("19. Rabīʿ ath-thānī 1445 n. H.").isoformat() == "2023-11-03"
    with pytest.raises(ValueError, match="unknown Hijri month"):
        text.hijri_dateline("19. Rabi 1445 n. H.")
    with pytest.raises(ValueError, match="not a Hijri dateline"):
        text.hijri_dateline("4 October 2023")

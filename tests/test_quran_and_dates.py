import hijridate

from karabakh_book import quran
from karabakh_book.data import load


def test_the_garbled_line_is_identified_as_63_4_not_9_30():
    garbled = load("segments").set_index("id").loc["verse-ar", "text_de"]
    assert quran.find(quran.reconstruct(garbled)) == [(63, 4)]


def test_the_last_three_words_occur_in_9_30_and_63_4():
    assert quran.find("قَاتَلَهُمُ اللَّهُ أَنَّى يُؤْفَكُونَ") == [(9, 30), (63, 4)]


def test_normalisation_ignores_diacritics_and_alef_spelling():
    assert quran.normalize("قَـٰتَلَهُمُ ٱللَّهُ") == quran.normalize("قاتلهم الله")


def test_hijri_date_converts_to_4_october_2023():
    assert str(hijridate.Hijri(1445, 3, 19).to_gregorian()) == "2023-10-04"

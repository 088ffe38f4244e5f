import hashlib

from karabakh_book import paths, text
from karabakh_book.data import load


def test_seed_is_byte_identical_to_the_published_file():
    assert hashlib.sha256(paths.SEED_FILE.read_bytes()).hexdigest() == paths.SEED_SHA256


def test_normalisation_rule_joins_hyphenated_line_ends_and_folds_whitespace():
    assert text.normalize("Latschin-\nKorridor  und\n\n Mig-29-\nKampfjets") == "Latschin-Korridor und Mig-29-Kampfjets"


def test_segments_rebuild_the_whole_text():
    seg = load("segments").sort_values("order")
    assert text.rebuild(seg["text_de"]) == text.normalized_seed()


def test_segments_file_matches_a_fresh_split_of_the_seed():
    seg = load("segments").sort_values("order")
    fresh = text.split_segments()
    assert list(seg["id"]) == [s["id"] for s in fresh]
    assert list(seg["text_de"]) == [s["text_de"] for s in fresh]


def test_every_point_has_a_segment_and_an_english_rendering():
    seg = load("segments")
    assert {"question", "1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "closing"} <= set(seg["point"])
    assert (seg["text_en"].str.len() > 10).all()


def test_contains_rejects_words_not_in_the_text():
    assert text.contains("Die russischen Friedenstruppen")
    assert not text.contains("Die russischen Friedenstruppen griffen ein.")

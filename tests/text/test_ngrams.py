"""The runtime TF-IDF featuriser reproduces scikit-learn's TfidfVectorizer exactly (the models are trained with it)."""

from __future__ import annotations

import numpy as np
import pytest

from eventwatch.text.ngrams import TfidfFeatures, analyse, linear_scores

TEXTS = [
    "On 4 May 2020, Al Shabaab militants fired small arms at the positions of AMISOM troops in Afgoye.",
    "Police arrested 14 protesters in Nairobi; the protesters had blocked the road for two hours.",
    "Des hommes armés ont attaqué un village près de Djibo, tuant cinq civils.",
    "قتل ثلاثة مدنيين في قصف على ريف إدلب.",
    "A",
]


def test_analyse_makes_unigrams_and_bigrams_of_two_letter_tokens() -> None:
    assert analyse("Troops clashed, a day later.", 2) == ["troops", "clashed", "day", "later", "troops clashed",
                                                           "clashed day", "day later"]  # fmt: skip


def test_vectors_equal_scikit_learn() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True, dtype=np.float32)
    expected = vec.fit_transform([*TEXTS, "the militants fired and fired again at the troops"]).toarray()
    grams = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    features = TfidfFeatures(dict(vec.vocabulary_), vec.idf_.astype(np.float32), 2, tuple(grams))
    for i, text in enumerate([*TEXTS, "the militants fired and fired again at the troops"]):
        cols, vals = features.vector(text)
        dense = np.zeros(features.size, dtype=np.float32)
        dense[cols] = vals
        np.testing.assert_allclose(dense, expected[i], rtol=1e-5, atol=1e-6)
    coef = np.arange(features.size * 3, dtype=np.float32).reshape(features.size, 3) / 100
    bias = np.array([0.5, -0.5, 0.0], dtype=np.float32)
    scores = linear_scores(features.matrix(TEXTS), coef, bias)
    np.testing.assert_allclose(scores, expected[: len(TEXTS)] @ coef + bias, rtol=1e-4)
    assert features.vector("zzz unknown words")[0].size == 0  # nothing in the vocabulary: an empty row


def test_masked_numbers_equal_scikit_learn_with_the_same_preprocessor() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction.text import TfidfVectorizer

    from eventwatch.text.ngrams import mask_numbers, preprocessor

    assert mask_numbers("On 3 May 2020, 12 killed; 150000 fled") == "On nn May yyyy, nn killed; nn fled"
    texts = [*TEXTS, "On 3 May 2020, 12 soldiers were killed and 4 wounded in 2 attacks."]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=preprocessor("masked"), dtype=np.float32)
    expected = vec.fit_transform(texts).toarray()
    grams = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
    features = TfidfFeatures(dict(vec.vocabulary_), vec.idf_.astype(np.float32), 2, tuple(grams), "masked")
    assert "nn killed" not in features.vocabulary and "nn soldiers" in features.vocabulary
    for i, text in enumerate(texts):
        cols, vals = features.vector(text)
        dense = np.zeros(features.size, dtype=np.float32)
        dense[cols] = vals
        np.testing.assert_allclose(dense, expected[i], rtol=1e-5, atol=1e-6)


def test_words_and_characters_side_by_side_equal_scikit_learn_hstack() -> None:
    pytest.importorskip("sklearn")
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    from eventwatch.text.ngrams import char_grams, preprocessor

    texts = [*TEXTS, "On 3 May 2020, Ambazonian separatists  attacked\ta checkpoint; 2 gendarmes were wounded.", "I a"]
    pre = preprocessor("masked")
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=pre, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=pre,
                            dtype=np.float32)  # fmt: skip
    expected = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).toarray()
    analyser = chars.build_analyzer()
    for text in texts:
        assert char_grams(text, 3, 5, "masked") == analyser(text)
    grams = sorted(words.vocabulary_, key=words.vocabulary_.__getitem__)
    features = TfidfFeatures(dict(words.vocabulary_), words.idf_.astype(np.float32), 2, tuple(grams), "masked",
                             dict(chars.vocabulary_), chars.idf_.astype(np.float32), (3, 5))  # fmt: skip
    assert features.size == expected.shape[1]
    for i, text in enumerate(texts):
        cols, vals = features.vector(text)
        dense = np.zeros(features.size, dtype=np.float32)
        dense[cols] = vals
        np.testing.assert_allclose(dense, expected[i], rtol=1e-5, atol=1e-6)


def test_a_masked_gram_is_located_at_its_digits() -> None:
    from eventwatch.extract.classifier import locate_gram

    text = "Gunmen killed 3 people; 12 soldiers died in 2020."
    start, end = locate_gram(text, "nn soldiers", "masked") or (0, 0)
    assert text[start:end] == "12 soldiers"
    start, end = locate_gram(text, "killed nn", "masked") or (0, 0)
    assert text[start:end] == "killed 3"
    start, end = locate_gram(text, "in yyyy", "masked") or (0, 0)
    assert text[start:end] == "in 2020"
    assert locate_gram(text, "killed nn", "raw") is None

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

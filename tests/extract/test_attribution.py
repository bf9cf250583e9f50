from __future__ import annotations

from eventwatch.model import Hedge

from .helpers import doc


def test_named_sources_through_aliases() -> None:
    d = doc("Fighting broke out in Harem, according to the Syrian Observatory for Human Rights.")
    s = d.sentences[0]
    assert s.attribution is not None and s.attribution.source == "Syrian Observatory for Human Rights"
    assert s.hedge == Hedge.ATTRIBUTED
    d = doc("Selon l'OSDH, des combats ont éclaté à Harem.", "fr")
    assert d.sentences[0].attribution is not None
    assert d.sentences[0].attribution.source == "Syrian Observatory for Human Rights"
    d = doc("أفاد المرصد السوري لحقوق الإنسان باندلاع اشتباكات في حارم.", "ar")
    assert d.sentences[0].attribution is not None
    assert d.sentences[0].attribution.source == "Syrian Observatory for Human Rights"
    d = doc("WaPo reported that the militia withdrew.")
    assert d.sentences[0].attribution is not None and d.sentences[0].attribution.source == "The Washington Post"


def test_unnamed_sources_are_hedged_and_own_voice_is_confirmed() -> None:
    d = doc("According to reports, clashes erupted near Saraqib. Government forces shelled the town.")
    first, second = d.sentences
    assert first.attribution is not None and first.attribution.unnamed and first.hedge == Hedge.HEDGED
    assert second.attribution is not None and second.attribution.inherited  # same paragraph continues
    d = doc("Government forces shelled the town on Tuesday.")
    assert d.sentences[0].attribution is None and d.sentences[0].hedge == Hedge.CONFIRMED
    d = doc("Des sources locales ont indiqué que l'armée a bombardé le village.", "fr")
    assert d.sentences[0].hedge == Hedge.HEDGED


def test_hedge_classes() -> None:
    assert doc("Gunmen reportedly stormed the checkpoint.").sentences[0].hedge == Hedge.HEDGED
    assert doc("The claim could not be independently verified.").sentences[0].hedge == Hedge.UNCONFIRMED
    d = doc("The ministry denied that its forces shelled Jisr al-Shughur.")
    assert d.sentences[0].hedge == Hedge.DENIED and d.sentences[0].denied
    assert doc("نفت وزارة الدفاع قصف القرية.", "ar").sentences[0].hedge == Hedge.DENIED
    # "unconfirmed" about a count hedges the number, not the claim.
    d = doc("SOHR said both sides sustained losses; the precise number remains unconfirmed.")
    assert d.sentences[0].hedge == Hedge.ATTRIBUTED


def test_embedded_post_signature() -> None:
    text = "SOHR said fighting broke out.\nLes combattants sont visibles près du camp.\n— Syria News (@SyriaNewsFr)"
    d = doc(text, "en")
    post = d.sentences[1]
    assert post.lang == "fr" and post.attribution is not None
    assert post.attribution.source == "Syria News (@SyriaNewsFr)"


def test_pronouns_apps_and_clause_fragments_are_not_sources() -> None:
    for text, lang in (
        ("He said the airstrike on Saraqib killed five civilians.", "en"),
        ("The operation followed, reported the shelling of the town.", "en"),
        ("WhatsApp reported that the shelling killed three.", "en"),
        ("Il a déclaré que le bombardement avait tué cinq civils.", "fr"),
        ("قال هو إن القصف أدى إلى مقتل خمسة مدنيين.", "ar"),
    ):
        att = doc(text, lang).sentences[0].attribution
        assert att is None or att.source not in ("He", "Il", "WhatsApp", "هو", "The operation followed"), text
    # Named and typed speakers the source lists do not know are still kept as written.
    att = doc("Amber Hailey said her son did nothing wrong.").sentences[0].attribution
    assert att is not None and att.source == "Amber Hailey"
    att = doc("A hospital director said 12 bodies had arrived.").sentences[0].attribution
    assert att is not None and att.source == "A hospital director"
    att = doc("A Telegram channel close to the group said the raid failed.").sentences[0].attribution
    assert att is not None and "Telegram" in (att.source or "")

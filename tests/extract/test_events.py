from __future__ import annotations

from .helpers import doc


def _frames(text: str, language: str = "en") -> list[tuple[str, str, str | None, str | None, bool]]:
    d = doc(text, language)
    return [
        (f.event_type, f.sub_event_type, f.actor1 and f.actor1.name, f.actor2 and f.actor2.name, f.background)
        for f in d.frames
    ]


def test_clash_with_roles_and_arrests_merged() -> None:
    text = ("Clashes erupted overnight when SDF fighters attacked Syrian army positions near Manbij. "
            "Three fighters were taken into custody.")  # fmt: skip
    (frame,) = _frames(text)
    assert frame[:4] == ("Battles", "Armed clash", "SDF: Syrian Democratic Forces", "Military Forces of Syria (2024-)")
    d = doc(text)
    assert [(q.kind, q.best) for q in d.frames[0].quantities] == [("detained", 3)]


def test_attack_on_civilians_is_violence_against_civilians() -> None:
    (frame,) = _frames("RSF fighters attacked civilians fleeing El Fasher on Monday, killing 14.")
    assert frame[:2] == ("Violence against civilians", "Attack") and frame[2] == "Rapid Support Forces"


def test_weapon_triggers_and_languages() -> None:
    assert _frames("A Russian drone strike hit a residential building in Kharkiv.")[0][:2] == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert _frames("Des affrontements ont opposé l'armée malienne au JNIM près de Douentza.", "fr")[0][:2] == (
        "Battles",
        "Armed clash",
    )
    assert _frames("قصفت قوات الدعم السريع مدينة الفاشر بالمدفعية.", "ar")[0][:2] == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert _frames("Hundreds of protesters rallied in Suwayda against the governor.")[0][:2] == (
        "Protests",
        "Peaceful protest",
    )


def test_denials_and_intentions_yield_no_event() -> None:
    assert _frames("The army denied reports that it shelled villages near Jisr al-Shughur.") == []
    assert _frames("The service declared its objective to apprehend Omsen.") == []
    assert _frames("The group threatened to attack the city.") == []


def test_refusals_agents_and_zero_tolls_do_not_cancel_an_event() -> None:
    # Someone refused something is no denial of the report; a cue followed by its agent is no intention; a sentence
    # that tells an act and adds that nobody was hurt still tells the act (real ACLED notes, paraphrased).
    assert _frames("On Sunday, citizens protested in Medenine after being denied access to public buses.")[0][:2] == (
        "Protests", "Peaceful protest")  # fmt: skip
    assert _frames("Locals protested in Anantnag town against the denial of an ambulance to a pregnant woman.")
    assert _frames("Protests called for by the CLC took place in Kikwit on February 25.")[0][0] == "Protests"
    (frame,) = _frames("On Monday, pro-Houthi forces reportedly fired 12.7mm machine guns at farms and villages "
                       "in Al Jabaliyah area, with no report of fatalities nor injuries.")  # fmt: skip
    assert frame[0] == "Explosions/Remote violence"
    (grenade,) = _frames("On Friday, militants carried out two grenade attacks on security forces in the city, but "
                         "there were no reports of any casualty, police said.")  # fmt: skip
    assert grenade[:2] == ("Explosions/Remote violence", "Grenade")
    assert not _frames("The army denied that its soldiers had attacked the village.")
    assert not _frames("There were no reports of clashes in the city.")
    assert not _frames("No one was hurt.")


def test_a_demonstration_with_the_demonstrators_own_violence_is_a_violent_demonstration() -> None:
    # ACLED Codebook: vandalism, barricades and burning tires make a demonstration a violent one, one event.
    for text, act in (
        (
            "On Monday, residents marched in the town to demand the return of power, and some erected barricades on "
            "the main road.",
            "erected barricades",
        ),
        (
            "On Sunday, teachers gathered in front of the ministry to demand unpaid wages. Some vandalized the gate.",
            "vandalized",
        ),
    ):
        (frame,) = _frames(text)
        assert frame[:2] == ("Riots", "Violent demonstration")
        d = doc(text)
        assert d.text[d.frames[0].trigger.start : d.frames[0].trigger.end] in act  # the act is the evidence shown
    # Words about other people's acts do not: police firing tear gas, funds that had been looted.
    (looted,) = _frames("On Monday, hundreds protested in Beirut to demand the recovery of looted funds.")
    assert looted[0] == "Protests"


def test_an_unsure_reading_yields_to_the_event_the_words_name() -> None:
    # News the notes did not teach: the model's best sub-event type is weak, the sentence names the weapon.
    (frame,) = _frames("An international team has determined that the government carried out a third chemical attack "
                       "in the country on December 23.")  # fmt: skip
    assert frame[:2] == ("Explosions/Remote violence", "Chemical weapon")


def test_background_context_is_marked() -> None:
    (frame,) = _frames("In March 2024, militants massacred dozens of villagers in the area.")
    assert frame[0] == "Violence against civilians" and frame[4] is True
    (frame,) = _frames("Gunmen ambushed a patrol near Djibo on Tuesday.")
    assert frame[4] is False


def test_old_years_inside_a_recently_dated_sentence_are_context_not_background() -> None:
    # ACLED notes date their event and mention old years in passing (PUB is 22 October 2025).
    (frame,) = _frames("On 20 October 2025, more than 30 nationalists staged a protest in Yangon against the ICJ case "
                       "over the violence of 2017.")  # fmt: skip
    assert frame[0] == "Protests" and frame[4] is False
    (frame,) = _frames("On Tuesday, graduates of the 2015-2016 class protested in Erbil, demanding jobs.")
    assert frame[4] is False
    # Without a recent date the old year still makes it background.
    (frame,) = _frames("In 2017, nationalists staged a protest in Yangon against the ICJ case.")
    assert frame[4] is True


def test_two_event_types_make_two_events() -> None:
    text = "Israeli warplanes struck a depot near Quneitra. Separately, protesters rallied in Daraa."
    assert [f[0] for f in _frames(text)] == ["Explosions/Remote violence", "Protests"]

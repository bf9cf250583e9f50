from __future__ import annotations

from eventwatch.model import Quantity

from .helpers import doc


def _counts(text: str, language: str = "en") -> list[Quantity]:
    return [q for s in doc(text, language).sentences for q in s.quantities]


def test_at_least_and_more_than() -> None:
    (q,) = _counts("An airstrike on the market killed at least 12 civilians.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 12, 12, None)
    # ACLED: "more than N" is N (the most conservative figure given), never N+1.
    (q,) = _counts("More than 40 people were wounded in the shelling.")
    assert (q.kind, q.low, q.best, q.high) == ("injured", 40, 40, None)


def test_exact_up_to_and_between() -> None:
    killed, injured = _counts("The blast killed five soldiers and wounded 17 others.")
    assert (killed.kind, killed.low, killed.best, killed.high) == ("killed", 5, 5, 5)
    assert (injured.kind, injured.low, injured.high) == ("injured", 17, 17)
    (q,) = _counts("Up to 30 villagers were abducted by the gunmen.")
    assert (q.kind, q.low, q.best, q.high) == ("abducted", None, None, 30)
    (q,) = _counts("Between 20 and 25 fighters were killed in the clashes.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 20, 20, 25)


def test_vague_counts_follow_acleds_convention() -> None:
    # ACLED: "tens" 10, "dozens" 12, "hundreds" 100, as a lower bound.
    (q,) = _counts("Dozens of civilians were killed when the shells hit the camp.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 12, 12, None)
    (q,) = _counts("The war has cost the lives of hundreds.")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 100, 100, None)
    (q,) = _counts("Des dizaines de personnes ont été tuées.", "fr")
    assert (q.kind, q.best) == ("killed", 10)
    (q,) = _counts("أسفر القصف عن مقتل عشرات المدنيين.", "ar")
    assert (q.kind, q.best) == ("killed", 10)


def test_unknown_count_is_never_a_number() -> None:
    (q,) = _counts("Both sides sustained losses, but the exact number remains unknown.")
    assert q.kind == "killed" and q.reported_unknown and q.best is None and q.low is None


def test_negated_count_is_a_stated_zero() -> None:
    got = _counts("A drone struck an empty warehouse in Kharkiv; no casualties were reported.")
    assert sorted((q.kind, q.best) for q in got) == [("injured", 0), ("killed", 0)]
    got = _counts("La frappe n'a fait aucune victime, selon les autorités.", "fr")
    assert sorted((q.kind, q.best) for q in got) == [("injured", 0), ("killed", 0)]
    assert [(q.kind, q.best) for q in _counts("There were no injuries, but houses were damaged.")] == [("injured", 0)]


def test_cumulative_toll() -> None:
    (q,) = _counts("The death toll from Monday's attack on El Fasher rose to 47, medics said.")
    assert (q.kind, q.best, q.cumulative) == ("killed", 47, True)


def test_years_dates_and_measures_are_not_counts() -> None:
    assert _counts("In 2023, the convoy travelled 30 km on 21 October and 200 French citizens sought refuge.") == []


def test_french_counts() -> None:
    (q,) = _counts("Au moins 15 soldats ont été tués dans l'embuscade près de Djibo.", "fr")
    assert (q.kind, q.low, q.best) == ("killed", 15, 15)
    (q,) = _counts("Le bilan s'est alourdi à 1 383 morts depuis mars.", "fr")
    assert (q.best, q.cumulative) == (1383, True)


def test_arabic_counts_with_arabic_indic_digits() -> None:
    (q,) = _counts("أسفر القصف عن مقتل ما لا يقل عن ١٢ مدنياً في المدينة.", "ar")
    assert (q.kind, q.low, q.best, q.high) == ("killed", 12, 12, None)
    (q,) = _counts("واعتقلت القوات أكثر من 30 شخصا خلال الحملة.", "ar")
    assert (q.kind, q.low) == ("detained", 30)


def test_one_person_named_in_the_singular_is_one() -> None:
    for text in ("On 1 June 2020, a drug suspect was killed during a police raid.",
                 "Snipers opened fire on a civilian in Hays, killing him.",
                 "Unidentified gunmen killed a revenue collector at the main bus station.",
                 "An IED exploded near the mosque, killing the driver who works in currency exchange."):  # fmt: skip
        (q,) = _counts(text)
        assert (q.kind, q.best) == ("killed", 1), text
    (q,) = _counts("Un civil a été tué par des hommes armés.", "fr")
    assert (q.kind, q.best) == ("killed", 1)
    (q,) = _counts("أسفر القصف عن مقتل مدني في المدينة.", "ar")
    assert (q.kind, q.best) == ("killed", 1)
    # The doer is not a victim.
    (q,) = _counts("A gunman killed 3 people in the market.")
    assert (q.kind, q.best) == ("killed", 3)
    (q,) = _counts("A man was shot dead by a soldier.")
    assert q.best == 1 and "man" in q.group  # type: ignore[operator]


def test_a_person_before_a_relative_clause_counts_with_its_own_verb() -> None:
    # The verb after the clause is the person's, however far ("has died"), not the clause's own ("shot himself").
    (q,) = _counts("The teenager that accidentally shot himself in front of friends early Thursday morning has died, "
                   "according to his family.")  # fmt: skip
    assert (q.kind, q.best) == ("killed", 1)
    (q,) = _counts("The soldier who was wounded in the ambush near Gao on Monday died of his wounds, the army said.")
    assert (q.kind, q.best) == ("killed", 1)
    # So across an "of" phrase and a participle.
    for text in ("The victim of last week's shooting in Manson has died.",
                 "The 20-year-old man injured in a shooting last week died from his injuries."):  # fmt: skip
        (q,) = _counts(text)
        assert (q.kind, q.best) == ("killed", 1), text
    # The clause's victims stay the clause's; the person is counted by its own verb.
    told = _counts("The man who killed two people in Akron on Tuesday was arrested.")
    counts = sorted((q.kind, q.best) for q in told)
    assert counts == [("detained", 1), ("killed", 2)]


def test_headlines_count_without_articles() -> None:
    # Headlines drop the article and use the present: one person, and the number the verb takes.
    for text, best in (("Israeli strike kills journalist in Gaza", 1), ("Roadside bomb kills policeman in Kandahar", 1),
                       ("Gunmen kill 5 villagers in Borno", 5)):  # fmt: skip
        (q,) = _counts(text)
        assert (q.kind, q.best) == ("killed", best), text
    # A number word or a quantifier still opens the object; an intention to kill counts nobody.
    (q,) = _counts("On September 6th, police killed three youth at Utage.")
    assert q.best == 3
    assert not [q for q in _counts("The group threatened to kill 5 hostages.") if q.kind == "killed"]


def test_quantifiers_without_a_number_are_reported_unknown() -> None:
    (q,) = _counts("Several soldiers were killed in the ambush.")
    assert (q.kind, q.reported_unknown, q.best) == ("killed", True, None)
    (q,) = _counts("أقدمت القوات على اعتقال عدد من الشبان.", "ar")
    assert (q.kind, q.reported_unknown, q.best) == ("detained", True, None)
    assert _counts("Des combattants ont été blessés des deux côtés.", "fr") == [] or all(
        q.best is None for q in _counts("Des combattants ont été blessés des deux côtés.", "fr")
    )


def test_counts_of_things_are_never_casualties() -> None:
    assert [q for q in _counts("The group committed dozens of massacres in the region.") if q.best] == []
    assert _counts("Soldiers were guarding the bodies for four days.") == []
    assert _counts("Air defences shot down 14 of 18 drones overnight.") == []
    (q,) = _counts("One of the two suspects died while the other escaped.")
    assert (q.kind, q.best) == ("killed", 1)
    assert _counts("A 35-year-old man was injured after a 45-minute firefight.")[0].best == 1


def test_running_totals_are_flagged_cumulative() -> None:
    (q,) = _counts("The death toll rose to 1,383.")
    assert (q.kind, q.best, q.cumulative) == ("killed", 1383, True)
    (q,) = _counts("More than 1,500 people have been killed since March.")
    assert (q.kind, q.low, q.best, q.cumulative) == ("killed", 1500, 1500, True)
    (q,) = _counts("ارتفعت حصيلة القتلى إلى 47 شخصا.", "ar")
    assert (q.best, q.cumulative) == (47, True)


def test_acled_coder_notes() -> None:
    got = _counts("An IED destroyed an APC. Fatalities coded as 0 (VoJ reported 2 fatalities).")
    assert any(q.coded == "total" and q.best == 0 for q in got)
    (q,) = _counts("Fatalities are split across 3 events (5).")
    assert (q.coded, q.best) == ("share", 5)
    (q,) = _counts("27 fatalities split between 8 events.")
    assert (q.coded, q.best) == ("share", 4)  # the first events' share, ⌈27/8⌉


def test_ages_addresses_times_and_phone_numbers_are_not_counts() -> None:
    # Local news gives a person's age in apposition, a street number, a clock time, the emergency number.
    assert [(q.kind, q.best) for q in _counts("Christopher Rodriguez, 20, was shot and killed on Monday.")] == [
        ("killed", 1)
    ]
    assert _counts("John Smith, 65, and Patricia McNeal, 65, have been charged in the fatal shooting.") == []
    assert _counts("Shawn Fuller, 31, shot and killed his sons, ages 3 and 4, then turned the gun on himself.") == []
    # The street number is no count (the boy is one: a person named again, counted when no other count is given).
    assert [q.best for q in _counts("The boy died at his home at 105 Lindsey Lee Lane in Boiling Springs.")] == [1]
    # The clock time is no count; the person named as the subject of the death is one.
    assert [q.best for q in _counts("Darryl Freeman died at 10 a.m. on Saturday.")] == [1]
    assert _counts("He called 911 just before dawn, saying his mother was dead.") == []
    # A count beside a place is still a count.
    (q,) = _counts("In Aleppo, 12 people were killed on Monday.")
    assert (q.kind, q.best) == ("killed", 12)


def test_named_victim_is_one() -> None:
    for text in (
        "Marcus Seichter, 17, of Beloit, was killed with a stolen gun.",
        "Four-year-old Ava Castillo was shot and killed by a robber on Monday.",
        "A 16-year-old student was fatally shot Thursday evening.",
    ):
        assert [(q.kind, q.best) for q in _counts(text)] == [("killed", 1)], text


def test_period_statistics_are_not_an_events_count() -> None:
    # "so far this year", "in the last 17 months": a statistic over many incidents, not one event's toll.
    assert _counts("There have been 131 people wounded or killed by gunshots in the city so far this year.") == []
    assert _counts("In the last 17 months, eight children have killed or injured themselves with guns.") == []
    # A singular victim beside one still counts; a campaign's running total is not a period statistic.
    assert [(q.kind, q.best) for q in _counts("A man was killed Monday, the 40th homicide this year.")] == [
        ("killed", 1)
    ]
    (q,) = _counts("More than 1,500 people have been killed since March 6, the monitor said.")
    assert (q.kind, q.best, q.cumulative) == ("killed", 1500, True)


def test_a_victim_named_again_is_not_another() -> None:
    from eventwatch.extract import extract
    from eventwatch.extract.counts import event_counts
    from eventwatch.model import Report

    text = "A 17-year-old was killed in Waterbury on Sunday. The male victim was taken to hospital where he died."
    d = extract(Report(text=text, language="en"))
    counts = [event_counts(d, f).get("killed") for f in d.frames]
    assert [c.best for c in counts if c is not None] == [1]


def test_an_age_before_the_person_still_counts_the_person() -> None:
    from .helpers import doc

    d = doc("On Monday, a 48-year-old displaced person died from a landmine explosion near the village.")
    assert [(q.kind, q.best) for f in d.frames for q in f.quantities] == [("killed", 1)]


def _event_counts(text: str) -> list[dict[str, int | None]]:
    from eventwatch.extract import extract
    from eventwatch.extract.counts import event_counts
    from eventwatch.model import Report

    d = extract(Report(text=text, language="en"))
    return [{k: c.best for k, c in event_counts(d, f).items()} for f in d.frames]


def test_the_shot_are_injured_unless_the_report_tells_a_death() -> None:
    # Local and conflict news say "shot" for hit by gunfire; GVA codes the shot who survive as injured.
    assert _event_counts("Police said five people were shot outside a supermarket in Cleveland on Monday night.") == [
        {"injured": 5}
    ]
    assert _event_counts("Soldiers shot a protester in the leg in Bamako on Friday.") == [{"injured": 1}]
    # The dead are told apart: "shot and killed", "two fatally", "shot ... and died" are deaths, and then the
    # shot are not all injured (the difference would be a number no source said).
    assert _event_counts("Five people were shot, two fatally, outside a bar in Memphis on Sunday.") == [{"killed": 2}]
    assert _event_counts("A man was shot in the head and died at the scene in Chicago on Sunday.") == [{"killed": 1}]
    assert _event_counts("A man was shot and killed in Dallas on Sunday. Another man was shot in the arm.") == [
        {"killed": 1}
    ]


def test_street_numbers_age_decades_and_road_numbers_are_not_counts() -> None:
    text = "Bullets struck the house at 44 E. Bruce Ave. on Saturday, fatally wounding a boy."
    assert [(q.kind, q.best) for q in _counts(text)] == [("killed", 1)]
    assert [q.best for q in _counts("Three other men, all in their 20's, were wounded in the incident.")] == [3]
    assert [q.best for q in _counts("Deputies found Sanchez in a trailer park on Hwy 150 with a gunshot wound.")] == []
    assert [q.best for q in _counts("A woman, 34, was wounded in the shooting.")] == [1]
    # A weekend's tally across a city's shootings is a statistic, not one event's toll.
    assert _counts("At least seven people had been killed and 40 wounded in 33 separate shooting incidents.") == []


def test_a_pronoun_subject_of_a_death_is_one_already_named() -> None:
    # Local news tells the death after the shooting: "He was taken to the hospital, where he died".
    assert _event_counts(
        "A 16-year-old boy was shot in Memphis on Monday. He was taken to a hospital, where he died."
    ) == [{"killed": 1}]
    # Beside the count that named the victim, the pronoun adds nobody.
    assert _event_counts(
        "A 17-year-old was killed in Waterbury on Sunday. He was taken to hospital where he died."
    ) == [{"killed": 1}]


def test_a_toll_told_apart_from_the_event_sentence_is_the_events() -> None:
    # A local report tells the death in a sentence with no trigger, in a paragraph of its own: it is the event's.
    text = (
        "A hunting accident shook the Tama County community on Saturday, when a girl was shot in a field.\n\n"
        "Services are set for Friday at the school.\n\n"
        "One person is dead following the accident, the sheriff's office said."
    )
    assert _event_counts(text) == [{"killed": 1}]
    # A lead with no trigger word gives its toll to the first event told after it.
    text = (
        "A Texas toddler is dead after his cousin fired a shotgun by accident.\n\n"
        "The shooting happened on Monday at the family's home in Eureka, the sheriff said."
    )
    assert _event_counts(text) == [{"killed": 1}]


def test_a_reduced_relative_counts_its_subject() -> None:
    assert [(q.kind, q.best) for q in _counts("A 16-year-old girl killed in a shooting was identified Tuesday.")] == [
        ("killed", 1)
    ]
    assert [(q.kind, q.best) for q in _counts("A woman wounded in the attack is in stable condition.")] == [
        ("injured", 1)
    ]
    assert [(q.kind, q.best) for q in _counts("Un civil tué par balle a été enterré dimanche à Gao.", "fr")] == [
        ("killed", 1)
    ]
    # An active verb with its object is not one: the doer is no victim.
    assert [(q.kind, q.best) for q in _counts("A gunman killed three people at the market.")] == [("killed", 3)]


def test_one_victim_introduced_again_is_not_another() -> None:
    text = (
        "An 8-year-old child died after being shot on Tuesday in Dallas. Police said an 8-year-old girl who died "
        "had been playing outside."
    )
    assert _event_counts(text) == [{"killed": 1}]
    # Marked as more, a second singular adds one; one sentence's coordination adds up.
    text = "A man was shot and killed in Dallas on Sunday. A woman was also killed in the shooting."
    assert [c.get("killed") for c in _event_counts(text)] == [2]
    assert _event_counts("Gunmen attacked a checkpoint in Kidal on Monday, killing a soldier and a civilian.") == [
        {"killed": 2}
    ]


def test_a_person_named_alone_as_the_subject_of_a_death_is_one() -> None:
    assert [q.best for q in _counts("Authorities said Hayden died after being shot near his home.")] == [1]
    assert [
        q.best for q in _counts("Bobby McCullough, of the 4100 block of Cornelia Avenue, was pronounced dead.")
    ] == [1]
    assert [q.best for q in _counts("Mamadou Diallo est mort dimanche à Gao.", "fr")] == [1]
    # The doer of an active verb is no victim; a number word or "nobody" is no name.
    # (his wife is: the object after a possessive)
    assert [q.group for q in _counts("Smith killed his wife on Monday.")] == ["wife"]
    assert _counts("Nobody died in the fire.") == []
    assert [q.best for q in _counts("Two died in the attack on the convoy.")] == [2]


def test_death_penalty_and_half_ages_are_no_counts() -> None:
    assert _counts("Relatives on Wednesday said they hope Jessie gets the death penalty.") == []
    assert _counts("Detectives investigated the 2-and-a-half-year-old's death.") == []


def test_measures_names_ages_and_tip_lines_are_not_counts() -> None:
    assert [q.best for q in _counts("The two teenagers were pronounced dead about 30 yards apart.")] == [2]
    assert [q.best for q in _counts("A woman was found dead in a hotel room near Six Flags on Monday.")] == [1]
    assert _counts("He could have been detained until he turned 21 in the death of his friend.") == []
    assert _counts("Send anonymous tips to CRIMES (274637) about the death of the boy.") == []


def test_caption_ages_and_gallery_counters_are_not_counts() -> None:
    # A photo caption naming the victims with their ages: the ages are not head counts.
    caption = (
        "Michael, (left) 16, Connor, (back center) 14, Jaeci, (right) 10, and Kailey, 9 (front center) Westerhuis "
        "were killed along with their mother Nicole in Platte, South Dakota, earlier this month."
    )
    assert all(q.best not in (16, 14, 10, 9) for q in _counts(caption))
    # A gallery position ("Image 9 of 9", "1 / 9") is not a count of the dead.
    gallery = "Image 9 of 9 Mother, child found dead in southeast Houston home 1 / 9 Back to Gallery"
    assert all(q.best != 9 for q in _counts(gallery))


def test_a_named_person_whose_own_clause_goes_on_to_a_death_is_one() -> None:
    assert [q.best for q in _counts("Rangel was rushed to a nearby hospital, but died the next day.")] == [1]
    assert [q.best for q in _counts("Kaleb didn't make it and was pronounced dead at the scene.")] == [1]
    # The doer of an active "and killed" is no victim, nor a date or a group at the start of the sentence.
    assert _counts("Al Shabaab militants burnt down commercial goods, donkey carts, and killed donkeys.") == []
    text = "On 29 April 2020, 2 soldiers were shot and killed by Taliban militants in Kushk district, Herat."
    assert [q.best for q in _counts(text)] == [2]


def test_clinically_dead_and_a_that_clause_subject() -> None:
    text = "A 15-year-old was shot in the head on Saturday. Doctors said he was pronounced clinically dead on Sunday."
    assert [c.get("killed") for c in _event_counts(text)] == [1]
    assert [q.best for q in _counts("The teen that was shot Thursday has died.")] == [1]


def test_a_count_in_a_sentence_of_no_event_goes_to_the_nearest_event() -> None:
    # The lead's trigger word ("arrested") makes no event of its own; its death is the shooting's.
    text = (
        "Michael Kassner was arrested after a man was found dead from a gunshot in a Grove City parking lot. "
        "Police said the shooting happened around 2 a.m. on Sunday."
    )
    assert 1 in [c.get("killed") for c in _event_counts(text)]


def test_a_doers_own_death_adds_one_beside_the_victims_of_its_sentence() -> None:
    text = "Investigators said a Bedford woman shot and killed her two daughters before killing herself on Monday."
    assert [c.get("killed") for c in _event_counts(text)] == [3]
    assert [
        c.get("killed") for c in _event_counts("A man shot his family in Queens, killing 3, then killed himself.")
    ] == [4]
    # Alone, it is one; a total told in another sentence holds it; the doer told again is no one else.
    assert [q.best for q in _counts("Police said Amirra picked up a gun from a bed, before killing herself.")] == [1]
    text = (
        "Three people are dead after a shooting in Aransas Pass. "
        "Police said the man shot his wife before killing himself."
    )
    killed = [c.get("killed") for c in _event_counts(text)]
    assert 3 in killed and 4 not in killed
    text = "Police said the gunman shot a neighbor and then fatally shot himself. He died at the scene."
    assert all(c.get("killed") in (None, 1) for c in _event_counts(text))


def test_a_possessive_object_is_one_person_and_her_before_a_noun_is_no_pronoun() -> None:
    text = "Police said the woman killed her 30-year-old daughter and two young grandchildren in the house."
    assert [c.get("killed") for c in _event_counts(text)] == [3]
    text = "Police said the father shot and killed his wife and their two children at the house on Sunday."
    assert [c.get("killed") for c in _event_counts(text)] == [3]
    # An irregular plural is no one person; "her" alone still is.
    assert [q.best for q in _counts("He is believed to have killed his children with a shotgun.")] == []
    assert [q.best for q in _counts("The gunman shot her dead on Monday.")] == [1]

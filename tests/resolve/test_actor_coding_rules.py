"""ACLED's actor naming rules beyond the basics (issue 13): a country-tagged group under its tag for the event's
country, common nouns as the event country's force, a country's word before a force noun, no made-up country,
eras of a group's name, battle order by the report and by each country's coding convention."""

from __future__ import annotations

from datetime import UTC, date, datetime

from eventwatch.model import Event, Report
from eventwatch.pipeline import process_report
from eventwatch.resolve.actors import link_actor
from eventwatch.resolve.coding import _term_at, fill, retarget, state_force


def _event(text: str, day: datetime, event_type: str | None = None) -> Event:
    events = [e for e in process_report(Report(text=text, published_at=day, language="en")).events
              if not e.background and (event_type is None or e.event_type == event_type)]  # fmt: skip
    assert events, text
    return events[0]


def test_a_country_tagged_group_takes_the_tag_of_the_event_country() -> None:
    assert retarget("Islamic State (Syria)", "IQ") == "Islamic State (Iraq)"
    assert retarget("Islamic State (Syria)", "SY") == "Islamic State (Syria)"
    assert retarget("Al Shabaab", "KE") == "Al Shabaab"  # no tag: the name stands
    # A tag that is not the group's own country (a contingent) is left alone.
    amisom = "AMISOM: African Union Mission in Somalia (2007-) (Ethiopia)"
    assert retarget(amisom, "KE") == amisom


def test_no_country_known_means_no_country_in_the_name() -> None:
    assert fill("Civilians ({country})", None, None, None) == "Civilians"
    assert state_force("Police Forces", None, None, date(2020, 1, 1)) == "Police Forces"


def test_state_forces_of_countries_acled_names_only_abroad_take_acled_s_form() -> None:
    us = "Military Forces of the United States (2017-)"
    assert state_force("Military Forces", "US", None, date(2020, 1, 1)) == us
    assert state_force("Military Forces", "FR", None, date(2020, 1, 1)) == "Military Forces of France (2017-)"


def test_a_curated_state_force_outside_its_term_takes_acled_s_term_at_the_date() -> None:
    drc = "Military Forces of the Democratic Republic of Congo (2019-)"
    assert _term_at(drc, date(2018, 5, 1)) == "Military Forces of the Democratic Republic of Congo (2001-2019)"
    assert _term_at(drc, date(2020, 5, 1)) == drc
    assert _term_at("Military Forces of Syria (2024-)", date(2025, 3, 1)) == "Military Forces of Syria (2024-)"


def test_a_group_renamed_by_era() -> None:
    assert link_actor("ISGS", date(2019, 5, 1)).name == "Islamic State (Greater Sahara)"
    assert link_actor("ISGS", date(2023, 5, 1)).name == "Islamic State Sahel Province"


def test_iraqi_forces_against_islamic_state_in_iraq() -> None:
    e = _event("On 28 December 2019, Iraqi forces attacked IS militants near Samarra, Salah al-Din, Iraq, killing "
               "three militants.", datetime(2019, 12, 29, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Military Forces of Iraq (2018-2020)" and e.inter1 == 1
    assert e.actor2 == "Islamic State (Iraq)" and e.inter2 == 2


def test_a_country_word_before_a_force_noun_names_its_state_force() -> None:
    e = _event("On 15 March 2020, a US airstrike killed two Al Shabaab militants near Jilib, Middle Juba, Somalia.",
               datetime(2020, 3, 16, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Military Forces of the United States (2017-)" and e.inter1 == 8
    assert e.actor2 == "Al Shabaab"


def test_a_common_word_names_the_event_country_s_force_not_another_s() -> None:
    e = _event("On 2 December 2019, Police and Military raided a house in Orifite, Anambra, Nigeria and clashed "
               "with IPOB members.", datetime(2019, 12, 3, tzinfo=UTC))  # fmt: skip
    assert {e.actor1, e.actor2} & {"Police Forces of Nigeria (2015-)", "Military Forces of Nigeria (2015-)"}


def test_the_side_named_as_hit_goes_second_in_a_battle() -> None:
    e = _event("On 19 May 2020, a soldier was shot dead by NPA rebels in Bilar, Bohol, Philippines.",
               datetime(2020, 5, 20, tzinfo=UTC), "Battles")  # fmt: skip
    assert e.actor1 == "NPA: New People's Army"
    assert e.actor2 == "Military Forces of the Philippines (2016-)"


def test_a_strong_country_convention_orders_a_symmetric_battle() -> None:
    # ACLED codes the Myanmar military first in nearly all its battles with non-state groups.
    e = _event("On 30 March 2018, near Hpakant, Kachin State, the KIA and the Myanmar military clashed.",
               datetime(2018, 3, 31, tzinfo=UTC), "Battles")  # fmt: skip
    assert e.actor1 == "Military Forces of Myanmar (2016-)"
    assert e.actor2 == "KIO/KIA: Kachin Independence Organization/Kachin Independence Army"


def test_gunmen_said_to_belong_to_a_group_are_that_group() -> None:
    e = _event("On 11 May 2020, close to Chitolo, Palma, Mozambique, three people were killed by unknown armed men "
               "allegedly belonging to ASWJ.", datetime(2020, 5, 12, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Islamist Militia (Mozambique)"


def test_a_name_learned_after_lowercase_words_still_counts() -> None:
    e = _event("On 31 May 2020, suspected Fulani militias attacked Ikereku in Akinyele, Oyo, Nigeria. Three farmers "
               "were killed.", datetime(2020, 6, 1, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Fulani Ethnic Militia (Nigeria)"


def test_the_people_protesting_are_the_associated_actor() -> None:
    e = _event("On 17 May 2020, dozens of employees of the electricity department protested in Nasiriyah, Dhi Qar, "
               "Iraq, demanding their delayed salaries.", datetime(2020, 5, 18, tzinfo=UTC), "Protests")  # fmt: skip
    assert e.actor1 == "Protesters (Iraq)"
    assert e.assoc_actor_1 == "Labour Group (Iraq)"


def test_the_people_hit_are_the_associated_actor_of_the_civilians() -> None:
    e = _event("On 3 June 2020, gunmen killed three farmers near Gwoza, Borno, Nigeria.",
               datetime(2020, 6, 4, tzinfo=UTC), "Violence against civilians")  # fmt: skip
    assert e.actor2 == "Civilians (Nigeria)"
    assert e.assoc_actor_2 == "Farmers (Nigeria)"


def test_a_community_s_militia_takes_acled_s_name_for_it() -> None:
    e = _event("On 3 June 2020, Agila communal militiamen attacked Okpokwu village (Ado LGA, Benue) and killed two "
               "residents.", datetime(2020, 6, 4, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Agila Communal Militia (Nigeria)" and e.inter1 == 4
    e = _event("On 3 June 2020, Agila and Ito communal militias clashed near Okpokwu (Ado LGA, Benue), Nigeria.",
               datetime(2020, 6, 4, tzinfo=UTC), "Battles")  # fmt: skip
    assert [e.actor1, e.actor2] == ["Agila Communal Militia (Nigeria)", "Ito Communal Militia (Nigeria)"]


def test_an_acronym_after_a_lowercase_word_still_counts() -> None:
    e = _event("On 4 March 2020, the NPA and the military clashed in Barangay Lunoy, Dumarao, Capiz, Philippines.",
               datetime(2020, 3, 5, tzinfo=UTC), "Battles")  # fmt: skip
    assert "NPA: New People's Army" in (e.actor1, e.actor2)


def test_a_place_seen_beside_an_actor_is_not_that_actor() -> None:
    e = _event("On 6 March 2020, near Kyauk Seik village, in Rakhine State, Myanmar, a landmine exploded and injured "
               "two villagers.", datetime(2020, 3, 7, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Myanmar)"


def test_a_police_force_ambushed_by_unnamed_men_is_the_one_attacked() -> None:
    e = _event("On 2 June 2020, in Beira (Sofala), Mozambique, State police were ambushed by armed individuals. It is "
               "not specified whether there were any injuries.", datetime(2020, 6, 3, tzinfo=UTC),
               "Battles")  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Mozambique)"
    assert e.actor2 == "Police Forces of Mozambique (1990-)"


def test_a_bomb_s_target_is_not_its_planter() -> None:
    e = _event("On 27 April 2020, an IED targeting AMISOM forces exploded in Qoryooley, Lower Shabelle, Somalia. "
               "Attackers and casualties unknown.", datetime(2020, 4, 28, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Somalia)"
    assert (e.actor2 or "").startswith("AMISOM")


def test_a_curfew_with_no_other_actor_is_the_government_s() -> None:
    e = _event("Security measures: On 20 June 2020, the authorities imposed a curfew in Basrah province, Iraq, to "
               "contain the coronavirus.", datetime(2020, 6, 21, tzinfo=UTC), "Strategic developments")  # fmt: skip
    assert e.actor1 == "Government of Iraq (2020-)"


def test_security_forces_facing_protesters_are_the_police() -> None:
    e = _event("On 5 May 2020, residents of Ouona, Mouhoun, Burkina Faso protested against a mining company; security "
               "forces dispersed the protesters by firing teargas.", datetime(2020, 5, 6, tzinfo=UTC),
               "Protests")  # fmt: skip
    assert e.actor2 == "Police Forces of Burkina Faso (2015-)"


def test_a_side_acled_names_by_a_group_of_its_own() -> None:
    e = _event("On 5 July 2020, a drug suspect was shot dead in a vigilante-style attack by unidentified assailants in "
               "Barangay Lahug, Cebu City, Philippines.", datetime(2020, 7, 6, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Anti-Drug Vigilantes (Philippines)"


def test_an_unnamed_killer_in_mexico_is_a_gang_as_acled_codes_it_there() -> None:
    # Who an unnamed side is differs by country (acled_unnamed_actors.tsv): a drive-by killing in Mexico is an
    # unidentified gang's, the same killing in Iraq an unidentified armed group's.
    e = _event("On 5 May 2020, in Salamanca, Guanajuato, Mexico, a man and a woman were shot dead in a drive-by "
               "incident in Colonia del Parque. 2 fatalities.", datetime(2020, 5, 6, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Unidentified Gang (Mexico)" and e.actor2 == "Civilians (Mexico)"
    e = _event("On 2 May 2020, unidentified gunmen shot dead a shop owner in Baquba, Diyala, Iraq. 1 fatality.",
               datetime(2020, 5, 3, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Iraq)" and e.inter1 == 3


def test_explosions_observed_on_ukraine_s_front_line_go_to_a_side_not_to_an_unidentified_group() -> None:
    e = _event("On 3 May 2020, the OSCE SMM observed a total of 20 explosions involving unknown weapons near "
               "Krasnohorivka, Donetsk, Ukraine.", datetime(2020, 5, 4, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "Military Forces of Ukraine (2019-)" and e.inter1 == 1


def test_a_group_named_after_a_lowercase_prefix() -> None:
    # "anti-Houthi National Resistance forces": the name starts at its own capital, not at "Houthi".
    e = _event("On 30 April 2020, anti-Houthi National Resistance forces reportedly fired mortar shells at "
               "villages in western Yemen (Hays, Al Hudaydah).", datetime(2020, 5, 1, tzinfo=UTC))  # fmt: skip
    assert e.actor1 == "National Resistance Forces"


def test_a_police_noun_after_the_country_word_names_the_police() -> None:
    e = _event("On 1 May 2020, Malaysian police forces arrested more than 700 migrant workers in Kuala Lumpur, "
               "Malaysia.", datetime(2020, 5, 2, tzinfo=UTC))  # fmt: skip
    assert (e.actor1 or "").startswith("Police Forces of Malaysia")


def test_acled_s_label_of_a_note_is_not_an_actor() -> None:
    e = _event("Weapons seizure: On 4 May 2020, police uncovered a hidden weapons cache near the village of Gubden, "
               "Dagestan, Russia, seizing an IED.", datetime(2020, 5, 5, tzinfo=UTC))  # fmt: skip
    assert (e.actor1 or "").startswith("Police Forces of Russia")


def test_an_unknown_side_named_as_the_attacker_comes_first() -> None:
    e = _event("On 2 December 2019, in Baidoa, Somalia, unknown armed men attacked a Somali military base, killing "
               "one soldier.", datetime(2019, 12, 3, tzinfo=UTC), "Battles")  # fmt: skip
    assert e.actor1 == "Unidentified Armed Group (Somalia)" and e.actor2 == "Military Forces of Somalia (2017-)"


def test_an_unnamed_side_of_a_communal_fight_is_the_country_s_unidentified_militia() -> None:
    # A land dispute, clans, herders: ACLED's communal militias (interaction 4), of the kind it uses in the country.
    e = _event("On 1 August 2020, a group of armed people fatally assaulted a woman and injured her husband over a "
               "land dispute in Kathuma village, Machakos county, Kenya.", datetime(2020, 8, 2, tzinfo=UTC),
               "Violence against civilians")  # fmt: skip
    assert e.actor1 == "Unidentified Communal Militia (Kenya)" and e.inter1 == 4
    e = _event("On 8 June 2020, two groups of armed men from rival clans fought each other near Wanlaweyn, "
               "Lower Shabelle, Somalia. Three people were killed.", datetime(2020, 6, 9, tzinfo=UTC),
               "Battles")  # fmt: skip
    assert (e.actor1, e.inter1) == ("Unidentified Clan Militia (Somalia)", 4)
    # No country known: the militia still, its name untagged as an unidentified armed group's would be.
    e = _event("On 20 November 2019, two people were killed and two others wounded amidst intercommunal violence "
               "between farmers and pastoralists in the village of Doholo.",
               datetime(2019, 11, 21, tzinfo=UTC))  # fmt: skip
    assert (e.actor1, e.inter1) == ("Unidentified Communal Militia", 4)
    # ACLED's own words for an unidentified armed group keep it one, whoever the victims are.
    e = _event("On 8 July 2020, unidentified armed men shot and killed a man from the Omar Mohamad clan in "
               "Gaalkacyo, Mudug, Somalia.", datetime(2020, 7, 9, tzinfo=UTC))  # fmt: skip
    assert (e.actor1, e.inter1) == ("Unidentified Armed Group (Somalia)", 3)


def test_a_state_force_abroad_is_interaction_8_and_a_bare_military_is_the_event_country_s() -> None:
    e = _event("HPG reported that on 3 February 2020, Turkish Army Forces conducted airstrikes against PKK targets in "
               "the Xakurke region of Erbil, Northern Iraq. No casualties occurred.",
               datetime(2020, 2, 4, tzinfo=UTC))  # fmt: skip
    assert e.actor1.startswith("Military Forces of Turkey") and e.inter1 == 8
    # In Iraq's notes "military forces" is mostly Turkey's, but those notes say "Turkish": a bare noun is Iraq's.
    e = _event("On 6 August 2020, military forces destroyed and burned an IS hideout containing weapons in the "
               "Maqalea area between Baghdad and Anbar, Iraq, with no reported injuries or fatalities.",
               datetime(2020, 8, 7, tzinfo=UTC))  # fmt: skip
    assert e.actor1.startswith("Military Forces of Iraq") and e.inter1 == 1


def test_the_group_that_claims_an_attack_by_unknown_men_is_its_side() -> None:
    e = _event("15 June 2020. Twin explosions occurred in Mogadishu, Somalia. Al Shabaab claimed responsibility. At "
               "least eight killed and 16 wounded.", datetime(2020, 6, 16, tzinfo=UTC))  # fmt: skip
    assert (e.actor1, e.inter1) == ("Al Shabaab", 2)
    e = _event("15 June 2020. Unknown gunmen killed two men in Mogadishu, Somalia. Al Shabaab denied that it had "
               "claimed responsibility.", datetime(2020, 6, 16, tzinfo=UTC))  # fmt: skip
    assert (e.actor1, e.inter1) == ("Unidentified Armed Group (Somalia)", 3)


def test_the_side_that_fired_is_the_shelling_s_actor1_whoever_was_hit_later() -> None:
    # A monitor's summary: the side that fired is the subject of "fired"; the soldier wounded later in the note is
    # the one hit, not the one who shelled.
    e = _event("On 29 April 2020, the NAF rebel forces fired 120mm mortars and grenade launchers at the governmental "
               "positions near Hnutove, Donetsk. During the day, one Ukrainian soldier was injured at an unspecified "
               "location.", datetime(2020, 5, 5, tzinfo=UTC), "Explosions/Remote violence")  # fmt: skip
    assert e.actor1 == "NAF: United Armed Forces of Novorossiya" and e.inter1 == 2
    assert e.actor2 == "Military Forces of Ukraine (2019-)"


def test_forces_operating_under_a_joint_operation_are_coded_as_the_operation() -> None:
    e = _event("On 4 May 2020, Turkish forces and JWS factions, operating under OPS, shelled the village of Munakh in "
               "the countryside of Ras Al Ain in Al-Hasakeh. Neither injuries nor fatalities were reported.",
               datetime(2020, 5, 8, tzinfo=UTC), "Explosions/Remote violence")  # fmt: skip
    assert e.actor1 == "Operation Peace Spring" and e.inter1 == 2


def test_a_group_s_name_heading_a_phrase_learned_beside_its_target_is_the_group() -> None:
    e = _event("On 13 March 2020, an Afghan forces vehicle was hit by a Taliban-planted IED in the Zangitan area of "
               "Shah Wali Kot district, Kandahar. It's unclear if there were casualties.",
               datetime(2020, 3, 14, tzinfo=UTC), "Explosions/Remote violence")  # fmt: skip
    assert e.actor1 == "Taliban" and e.inter1 == 2
    assert e.actor2 == "Military Forces of Afghanistan (2014-)"


def test_the_side_a_strategic_development_names_first_is_its_actor1() -> None:
    e = _event("On 3 March 2020, the Afghan government released 52 Taliban prisoners from Bagram prison, Parwan.",
               datetime(2020, 3, 4, tzinfo=UTC), "Strategic developments")  # fmt: skip
    assert e.actor1 == "Government of Afghanistan (2014-)" and e.inter1 == 1
    text = "On 3 March 2020, the Afghan government released 52 Taliban prisoners from Bagram prison, Parwan."
    assert [s.of(text) for s in e.spans["actor1"]] == ["government"]  # its own words, not another side's
    # A government that is only the object of the sentence does not act.
    e = _event("On 12 May 2020, five Taliban members surrendered to the government in Herat city, Herat.",
               datetime(2020, 5, 13, tzinfo=UTC), "Strategic developments")  # fmt: skip
    assert not (e.actor1 or "").startswith("Government")


def test_a_community_acled_names_as_a_militia_needs_no_kind_word() -> None:
    e = _event("On 24 August 2020, Fulani and Kanuri militias clashed in the village of Dungass (Diffa, Diffa). Two "
               "people killed.", datetime(2020, 8, 25, tzinfo=UTC), "Battles")  # fmt: skip
    assert (e.actor1, e.inter1) == ("Fulani Ethnic Militia (Niger)", 4)
    assert (e.actor2, e.inter2) == ("Kanuri Ethnic Militia (Niger)", 4)
    e = _event("On 26 October 2020, Zaghawa militiamen shot dead a trader near Iriba (Iriba, Wadi Fira).",
               datetime(2020, 10, 27, tzinfo=UTC))  # fmt: skip
    assert (e.actor1, e.inter1) == ("Zaghawa Ethnic Militia (Chad)", 4)

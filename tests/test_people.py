"""Young people and their involvement in incidents."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from incidents.models import ChronologyEntry, Involvement, YoungPerson
from incidents.services.people import involvement_add, involvement_remove, young_person_update
from tests.factories import YoungPersonFactory, years_ago

pytestmark = pytest.mark.django_db


def new_person(**overrides):
    data = {
        "first_name": "Amara",
        "last_name": "Okafor",
        "date_of_birth": years_ago(14).isoformat(),
        "year_group": "Year 9",
        "sex": "female",
        "roles": ["pictured", "created"],
    }
    data.update(overrides)
    return data


class TestAddingToAnIncident:
    def test_a_new_young_person_is_created_and_involved_with_a_chronology_entry(self, client_for, dsl, incident):
        url = reverse("incidents:involvement_add", args=[incident.code])
        response = client_for(dsl).post(url, new_person())
        assert response.status_code == 302
        person = YoungPerson.objects.get()
        assert person.setting == incident.setting
        assert sorted(incident.involvements.values_list("role", flat=True)) == ["created", "pictured"]
        entry = incident.chronology.get(kind=ChronologyEntry.Kind.PERSON_ADDED)
        assert entry.summary == "Amara Okafor added (pictured, created)."

    def test_someone_already_known_is_chosen_from_the_settings_list_only(self, client_for, dsl, incident, riverside):
        ours = YoungPersonFactory(setting=incident.setting)
        theirs = YoungPersonFactory(setting=riverside)
        url = reverse("incidents:involvement_add", args=[incident.code])
        client = client_for(dsl)
        assert client.post(url, {"young_person": ours.pk, "roles": ["shared"]}).status_code == 302
        response = client.post(url, {"young_person": theirs.pk, "roles": ["shared"]})
        assert "young_person" in response.context["form"].errors
        assert not Involvement.objects.filter(young_person=theirs).exists()

    def test_a_person_born_in_the_future_is_refused_and_nothing_is_saved(self, client_for, dsl, incident):
        url = reverse("incidents:involvement_add", args=[incident.code])
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = client_for(dsl).post(url, new_person(date_of_birth=tomorrow, first_name="Typed"))
        assert "The date of birth cannot be in the future." in response.context["form"].errors["date_of_birth"]
        assert 'value="Typed"' in response.content.decode()
        assert not YoungPerson.objects.exists()

    def test_a_person_born_after_the_incident_is_refused_on_the_date_of_birth(self, client_for, dsl, incident):
        incident.occurred_on = timezone.localdate() - timedelta(days=30)
        incident.save()
        url = reverse("incidents:involvement_add", args=[incident.code])
        born = (timezone.localdate() - timedelta(days=10)).isoformat()
        response = client_for(dsl).post(url, new_person(date_of_birth=born))
        assert "after this incident" in response.context["form"].errors["date_of_birth"][0]
        assert not YoungPerson.objects.exists()

    @pytest.mark.parametrize(
        ("age_days", "accepted"),
        [((17, 364), True), ((18, 0), False), ((25, 0), False)],
    )
    def test_a_person_aged_18_or_over_is_an_adult_not_a_young_person(self, dsl, incident, age_days, accepted):
        years, days = age_days
        person = YoungPersonFactory(setting=incident.setting, date_of_birth=years_ago(years, -days if days else 0))
        if accepted:
            involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        else:
            with pytest.raises(ValidationError) as error:
                involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
            assert "adult involvement" in error.value.message_dict["young_person"][0]

    def test_the_same_role_twice_is_refused(self, dsl, incident):
        person = YoungPersonFactory(setting=incident.setting)
        involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        with pytest.raises(ValidationError):
            involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])

    def test_age_is_computed_from_the_date_of_birth_and_the_incident_date(self, client_for, dsl, incident):
        incident.occurred_on = timezone.localdate() - timedelta(days=400)
        incident.save()
        person = YoungPersonFactory(setting=incident.setting, date_of_birth=years_ago(14))
        involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        response = client_for(dsl).get(incident.get_absolute_url())
        assert response.context["people"][0].age_at_incident == 12

    def test_one_young_person_shows_on_both_incidents_and_both_show_them(self, client_for, dsl, incident, oakfield):
        from incidents.services.incidents import incident_create

        second = incident_create(actor=dsl, setting=oakfield, summary="A later matter.")
        person = YoungPersonFactory(setting=oakfield, first_name="Keira", last_name="Doyle")
        involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        involvement_add(actor=dsl, incident=second, person=person, roles=["received"])
        client = client_for(dsl)
        page = client.get(person.get_absolute_url()).content.decode()
        assert incident.reference in page and second.reference in page
        for each in (incident, second):
            assert "Keira Doyle" in client.get(each.get_absolute_url()).content.decode()


class TestRemoving:
    def test_removal_needs_a_reason_that_the_chronology_keeps(self, dsl, incident):
        person = YoungPersonFactory(setting=incident.setting)
        [involvement] = involvement_add(actor=dsl, incident=incident, person=person, roles=["received"])
        with pytest.raises(ValidationError):
            involvement_remove(actor=dsl, involvement=involvement, reason="")
        involvement_remove(actor=dsl, involvement=involvement, reason="Added to the wrong incident.")
        assert not incident.involvements.exists()
        entry = incident.chronology.get(kind=ChronologyEntry.Kind.PERSON_REMOVED)
        assert "Added to the wrong incident." in entry.summary
        assert Involvement.history.filter(code=involvement.code, history_type="-").exists()


class TestEditingAYoungPerson:
    def test_a_date_of_birth_after_one_of_their_incidents_is_refused(self, dsl, incident):
        incident.occurred_on = timezone.localdate() - timedelta(days=5)
        incident.save()
        person = YoungPersonFactory(setting=incident.setting)
        involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        with pytest.raises(ValidationError) as error:
            young_person_update(
                actor=dsl,
                person=person,
                expected_version=person.version,
                date_of_birth=timezone.localdate() - timedelta(days=1),
            )
        assert incident.reference in error.value.message_dict["date_of_birth"][0]

    def test_a_change_is_written_into_each_of_their_incidents_chronologies(self, client_for, dsl, incident):
        person = YoungPersonFactory(setting=incident.setting)
        involvement_add(actor=dsl, incident=incident, person=person, roles=["pictured"])
        data = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
            "year_group": "Year 10",
            "version": person.version,
        }
        response = client_for(dsl).post(reverse("incidents:young_person_edit", args=[person.code]), data)
        assert response.status_code == 302
        entry = incident.chronology.get(kind=ChronologyEntry.Kind.PERSON_UPDATED)
        assert "year group: Year 9 → Year 10" in entry.summary

    def test_a_stale_edit_is_refused_with_the_typed_text_shown_back(self, client_for, dsl, oakfield):
        person = YoungPersonFactory(setting=oakfield, year_group="Year 9")
        young_person_update(actor=dsl, person=person, expected_version=1, year_group="Year 10")
        data = {
            "first_name": "Retyped",
            "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
            "year_group": "Year 11",
            "version": 1,
        }
        response = client_for(dsl).post(reverse("incidents:young_person_edit", args=[person.code]), data)
        assert "Someone else changed this record" in response.content.decode()
        assert 'value="Retyped"' in response.content.decode()
        person.refresh_from_db()
        assert person.year_group == "Year 10"

    def test_creating_a_young_person_from_the_list(self, client_for, dsl, oakfield):
        data = {
            "setting": oakfield.pk,
            "first_name": "Isla",
            "last_name": "Murray",
            "date_of_birth": years_ago(12).isoformat(),
            "sex": "female",
            "year_group": "Year 7",
            "known_to_social_care": "on",
        }
        response = client_for(dsl).post(reverse("incidents:young_person_create"), data)
        person = YoungPerson.objects.get()
        assert response.url == person.get_absolute_url()
        assert person.known_to_social_care

    def test_needs_described_without_ticking_the_box_is_explained(self, client_for, dsl, oakfield):
        data = {
            "setting": oakfield.pk,
            "first_name": "Isla",
            "last_name": "Murray",
            "date_of_birth": years_ago(12).isoformat(),
            "sex": "female",
            "additional_needs_note": "Autistic; prefers written questions.",
        }
        response = client_for(dsl).post(reverse("incidents:young_person_create"), data)
        assert "additional_needs" in response.context["form"].errors
        assert not YoungPerson.objects.exists()

    def test_a_name_that_would_show_reordered_is_refused_and_the_form_kept(self, client_for, dsl, oakfield):
        data = {
            "setting": oakfield.pk,
            "first_name": "Isla",
            "last_name": "Murr\u202eyarG",  # would show as "MurrGray"
            "date_of_birth": years_ago(12).isoformat(),
            "sex": "female",
            "year_group": "Year 7",
        }
        response = client_for(dsl).post(reverse("incidents:young_person_create"), data)
        assert response.status_code == 200
        assert not YoungPerson.objects.exists()
        error = response.context["form"].errors["last_name"][0]
        assert "changes the direction of the text" in error and "U+202E, right-to-left override" in error
        assert 'value="Isla"' in response.content.decode()

    def test_names_in_right_to_left_scripts_are_kept_as_typed(self, client_for, dsl, oakfield):
        data = {
            "setting": oakfield.pk,
            "first_name": "\u0646\u0648\u0631",  # Nour, in Arabic script
            "last_name": "\u05db\u05d4\u05df",  # Cohen, in Hebrew script
            "date_of_birth": years_ago(12).isoformat(),
            "sex": "female",
            "year_group": "Year 7",
        }
        client_for(dsl).post(reverse("incidents:young_person_create"), data)
        person = YoungPerson.objects.get()
        assert (person.first_name, person.last_name) == (data["first_name"], data["last_name"])

    def test_search_by_name(self, client_for, dsl, oakfield):
        YoungPersonFactory(setting=oakfield, first_name="Priya", last_name="Sharma")
        YoungPersonFactory(setting=oakfield, first_name="Liam", last_name="Nowak")
        page = client_for(dsl).get(reverse("incidents:young_person_list"), {"q": "priya sharma"})
        assert [p.last_name for p in page.context["page"].object_list] == ["Sharma"]

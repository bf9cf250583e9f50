"""The REST API over a real uvicorn server on loopback: every endpoint and filter, pagination, downloads, auth on
writes (and closable reads), parameterised filters, hostile report text returned as plain JSON strings."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from eventwatch.model import ACLED_COLUMNS
from eventwatch.store.connection import connect

from .conftest import READ_TOKEN, TOKEN, XSS_LOCATION, XSS_TEXT, LiveServer, ServerFactory


@pytest.fixture()
def server(live_server: ServerFactory) -> LiveServer:
    return live_server()


def get(server: LiveServer, path: str, **params: Any) -> Any:
    response = httpx.get(server.url + path, params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def locations(page: dict[str, Any]) -> list[str]:
    return sorted(item["location"] for item in page["items"])


def test_health_and_security_headers(server: LiveServer) -> None:
    response = httpx.get(server.url + "/api/health")
    assert response.json() | {"schema_version": 0} == {
        "status": "ok",
        "reports": 6,
        "events": 6,
        "incidents": response.json()["incidents"],
        "schema_version": 0,
        "writes_enabled": True,
        "reads_open": True,
        "poll_seconds": 0.5,
    }
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_events_filters(server: LiveServer) -> None:
    everything = get(server, "/api/events")
    assert everything["total"] == 6 and len(everything["items"]) == 6
    harem = ["Harem", "Harem", "Harem"]  # SOHR, the French outlet quoting SOHR, SOHR's toll update
    assert locations(get(server, "/api/events", admin1="Idlib")) == harem
    assert locations(get(server, "/api/events", admin1="idlib")) == harem  # case-insensitive
    assert get(server, "/api/events", admin1=["Idlib", "Aleppo"])["total"] == 4
    assert locations(get(server, "/api/events", event_type="Protests")) == ["Daraa"]
    assert get(server, "/api/events", country="Syria")["total"] == 6
    assert get(server, "/api/events", country="SY")["total"] == 5  # the hostile event has no ISO code
    assert locations(get(server, "/api/events", since="2025-10-21")) == ["Daraa", *harem]
    assert locations(get(server, "/api/events", until="2025-10-19")) == [XSS_LOCATION]
    assert locations(get(server, "/api/events", since="2025-10-20", until="2025-10-20")) == ["Deir Hafer"]
    # bbox: min_lon,min_lat,max_lon,max_lat around Idlib and western Aleppo only
    assert locations(get(server, "/api/events", bbox="36.0,35.5,37.0,36.5")) == harem
    assert locations(get(server, "/api/events", actor="General Security Service")) == harem
    assert locations(get(server, "/api/events", actor="french jihadists")) == harem
    harem_sohr = get(server, "/api/events", source="SOHR")
    assert {e["id"] for e in harem_sohr["items"]} == {server.fixture.harem_event_id, server.fixture.update_event_id}
    assert get(server, "/api/events", source=["SOHR", "Syria Direct"])["total"] == 3
    assert locations(get(server, "/api/events", min_corroboration=2)) == harem
    assert get(server, "/api/events", min_corroboration=3)["total"] == 0
    assert get(server, "/api/events", include_background=False)["total"] == 6
    combined = get(server, "/api/events", admin1="Idlib", source="SOHR", since="2025-10-01", event_type="Battles")
    assert combined["total"] == 2


def test_event_record_carries_spans_with_their_text(server: LiveServer) -> None:
    event = get(server, f"/api/events/{server.fixture.harem_event_id}")["event"]
    assert event["event_id_cnty"].startswith("SYR")
    assert event["interaction"] == 12
    assert event["spans"]["location"] == [{"start": 32, "end": 37, "text": "Harem"}]
    assert event["hedge"] == "attributed" and event["attributed_to"] == "SOHR"


def test_pagination_reports_total_and_is_stable(server: LiveServer) -> None:
    first = get(server, "/api/events", limit=2, offset=0)
    second = get(server, "/api/events", limit=2, offset=2)
    third = get(server, "/api/events", limit=2, offset=4)
    assert [p["total"] for p in (first, second, third)] == [6, 6, 6]
    ids = [e["id"] for page in (first, second, third) for e in page["items"]]
    assert len(ids) == len(set(ids)) == 6
    assert get(server, "/api/events", limit=0)["items"] == []
    assert get(server, "/api/events", offset=100)["items"] == []
    dates = [e["event_date"] for e in get(server, "/api/events")["items"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    assert httpx.get(server.url + "/api/events", params={"limit": 5000}).status_code == 422
    assert httpx.get(server.url + "/api/events", params={"offset": -1}).status_code == 422


def test_invalid_filters_are_422_not_500(server: LiveServer) -> None:
    for params in (
        {"bbox": "1,2,3"},
        {"bbox": "north of Idlib"},
        {"bbox": "37,36,36,37"},  # reversed
        {"bbox": "0,0,200,10"},  # out of range
        {"since": "yesterday"},
        {"min_corroboration": 0},
    ):
        response = httpx.get(server.url + "/api/events", params=params)
        assert response.status_code == 422, params


@pytest.mark.parametrize(
    "payload", ["'; DROP TABLE events; --", "Idlib' OR '1'='1", '" OR 1=1 --', "%", "_", "\\", "Idlib)--"]
)
def test_filters_are_parameterised(server: LiveServer, payload: str) -> None:
    for name in ("admin1", "event_type", "country", "actor", "source"):
        assert get(server, "/api/events", **{name: payload})["total"] == 0, name
    for path in ("/api/reports", "/api/actors", "/api/places", "/api/facets", "/api/map", "/api/timeline"):
        get(server, path, admin1=payload, source=payload, actor=payload)
    get(server, "/api/reports", q=payload, language=payload)
    get(server, "/api/updates", since=payload)
    assert get(server, "/api/events")["total"] == 6  # nothing was dropped
    con = connect(server.fixture.db)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == 6


def test_reports_list_filters_and_detail(server: LiveServer) -> None:
    reports = get(server, "/api/reports")
    assert reports["total"] == 6
    assert {r["source"] for r in reports["items"]} >= {"SOHR", "Agence Sahel-Levant", "Syria Direct", "Daraa24"}
    assert get(server, "/api/reports", source="SOHR")["total"] == 2
    assert get(server, "/api/reports", language="fr")["total"] == 1
    assert get(server, "/api/reports", q="bread prices")["total"] == 1
    assert get(server, "/api/reports", admin1="Idlib")["total"] == 3  # reports with an Idlib event
    assert get(server, "/api/reports", since="2025-10-22")["total"] == 3
    assert get(server, "/api/reports", limit=1)["items"][0]["excerpt"]
    detail = get(server, f"/api/reports/{server.fixture.harem_report_id}")
    assert detail["report"]["source"] == "SOHR"
    assert [c["hedge"] for c in detail["claims"]] == ["attributed", "hedged"]
    assert [e["id"] for e in detail["events"]] == [server.fixture.harem_event_id]
    assert httpx.get(server.url + "/api/reports/0000").status_code == 404


def test_event_detail_has_report_claims_and_related(server: LiveServer) -> None:
    detail = get(server, f"/api/events/{server.fixture.harem_event_id}")
    assert detail["event"]["location"] == "Harem"
    text = detail["report"]["text"]
    claim = detail["claims"][0]
    attribution = text[claim["attribution_start"] : claim["attribution_end"]]
    assert attribution == "the Syrian Observatory for Human Rights (SOHR)"
    assert detail["corroboration"] == 2
    assert sorted(r["source"] for r in detail["related"]) == ["Agence Sahel-Levant", "SOHR", "SOHR"]
    assert detail["incident_id"] == server.fixture.harem_incident_id
    assert detail["corrections"] == []
    assert httpx.get(server.url + "/api/events/nope").status_code == 404
    assert httpx.get(server.url + "/api/events/bad%20id").status_code == 422


def test_actors_places_timeline_facets_map(server: LiveServer) -> None:
    actors = get(server, "/api/actors")
    by_name = {a["name"]: a for a in actors["items"]}
    assert by_name["General Security Service"]["events"] == 3
    assert by_name["French jihadists"]["as_actor2"] == 3
    assert get(server, "/api/actors", admin1="Daraa")["items"][0]["name"] == "Protesters (Syria)"
    assert get(server, "/api/actors", limit=1)["total"] == actors["total"]

    places = get(server, "/api/places")
    harem = next(p for p in places["items"] if p["location"] == "Harem")
    # Over events (one per report), fatalities add up what each report said: the incident view never sums.
    assert (harem["events"], harem["fatalities"], harem["latitude"], harem["longitude"]) == (3, 10, 36.21, 36.52)
    assert get(server, "/api/places", admin1="Aleppo")["items"][0]["location"] == "Deir Hafer"

    day = get(server, "/api/timeline")
    assert {"period": "2025-10-21", "event_type": "Battles", "events": 3, "fatalities": 10} in day
    month = get(server, "/api/timeline", bucket="month")
    assert sum(r["events"] for r in month) == 6 and {r["period"] for r in month} == {"2025-10-01"}
    week = get(server, "/api/timeline", bucket="week", event_type="Battles")
    assert week == [{"period": "2025-10-20", "event_type": "Battles", "events": 3, "fatalities": 10}]
    assert httpx.get(server.url + "/api/timeline", params={"bucket": "year"}).status_code == 422

    facets = get(server, "/api/facets")
    assert {"value": "Idlib", "count": 3} in facets["admin1"]
    assert [d["value"] for d in facets["dates"]] == ["2025-10-19", "2025-10-21"]

    points = get(server, "/api/map", admin1="Idlib")
    assert {(p["latitude"], p["longitude"]) for p in points} == {(36.21, 36.52)}
    assert len(get(server, "/api/map")) == 6


def test_downloads_of_a_filtered_view(server: LiveServer) -> None:
    response = httpx.get(server.url + "/api/events/download", params={"format": "csv", "admin1": "Idlib"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) == 3
    assert {r["location"] for r in rows} == {"Harem"}

    geo = httpx.get(server.url + "/api/events/download", params={"format": "geojson", "source": "SOHR"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    feature = next(f for f in geo["features"] if f["properties"]["id"] == server.fixture.harem_event_id)
    assert feature["geometry"]["coordinates"] == [36.52, 36.21]
    assert feature["properties"]["spans"]["location"][0]["text"] == "Harem"

    lines = httpx.get(server.url + "/api/events/download", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == 6 and all(json.loads(line)["id"] for line in lines)

    parquet = httpx.get(server.url + "/api/events/download", params={"format": "parquet", "event_type": "Battles"})
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == 3
    assert set(table.column("location").to_pylist()) == {"Harem"}
    assert all(json.loads(spans)["location"][0]["text"] == "Harem" for spans in table.column("spans").to_pylist())
    empty = httpx.get(server.url + "/api/events/download", params={"format": "parquet", "admin1": "Nowhere"})
    assert pq.read_table(io.BytesIO(empty.content)).num_rows == 0
    assert httpx.get(server.url + "/api/events/download", params={"format": "xlsx"}).status_code == 422


def test_hostile_text_comes_back_as_json_string_data(server: LiveServer) -> None:
    response = httpx.get(server.url + f"/api/reports/{server.fixture.xss_report_id}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["report"]["text"] == XSS_TEXT  # exact, not stripped or mangled: escaping is the UI's job
    event = get(server, f"/api/events/{server.fixture.xss_event_id}")["event"]
    assert event["location"] == XSS_LOCATION
    # The dashboard page itself contains no report data: it is fetched as JSON and inserted as text.
    page = httpx.get(server.url + "/")
    assert "onerror" not in page.text and page.headers["content-type"].startswith("text/html")


def test_updates_cursor_sees_new_reports(server: LiveServer) -> None:
    first = get(server, "/api/updates")
    assert first["changed"] is False and first["cursor"]
    assert get(server, "/api/updates", since=first["cursor"])["changed"] is False
    response = httpx.post(
        server.url + "/api/reports",
        json={"text": "Shelling hit Kafr Nabl in southern Idlib on Wednesday.", "source": "Idlib Post"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=180,  # the first report posted in a test session builds the gazetteer index and loads the models
    )
    assert response.status_code == 201, response.text
    after = get(server, "/api/updates", since=first["cursor"])
    assert after["changed"] is True and after["total"] == 1
    assert after["reports"][0]["source"] == "Idlib Post"
    assert after["cursor"] > first["cursor"]


# -- writes ---------------------------------------------------------------------------------------------------
def post(server: LiveServer, path: str, body: dict[str, Any], token: str | None = TOKEN) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(server.url + path, json=body, headers=headers, timeout=30)


def test_post_report_needs_the_token_and_is_idempotent(server: LiveServer) -> None:
    body = {
        "text": "Two civilians were killed in a drone strike on Sarmada, Idlib, on 23 October, local sources said.",
        "source": "Idlib Post",
        "published_at": "2025-10-23T07:00:00Z",
        "language": "en",
    }
    assert post(server, "/api/reports", body, token=None).status_code == 401
    assert post(server, "/api/reports", body, token="wrong").status_code == 401
    created = post(server, "/api/reports", body)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["inserted"] is True and result["processed"] is True and result["error"] is None
    again = post(server, "/api/reports", body)
    assert again.status_code == 200 and again.json()["inserted"] is False
    stored = get(server, f"/api/reports/{result['report_id']}")["report"]
    assert stored["text"] == body["text"] and stored["source_format"] == "api"
    assert stored["published_at"] == "2025-10-23T07:00:00+00:00"
    assert get(server, "/api/health")["reports"] == 7
    assert post(server, "/api/reports", {"text": ""}).status_code == 422
    lone_surrogate = httpx.post(  # valid JSON, but not storable as UTF-8
        server.url + "/api/reports",
        content=b'{"text": "lone \\ud800 surrogate"}',
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert lone_surrogate.status_code == 422


def test_writes_are_refused_without_a_configured_token(live_server: ServerFactory) -> None:
    server = live_server(token=None)
    response = post(server, "/api/reports", {"text": "anything"}, token="anything")
    assert response.status_code == 403 and "EVENTWATCH_TOKEN" in response.json()["detail"]
    assert get(server, "/api/health")["writes_enabled"] is False


def test_corrections_keep_the_original_and_who_changed_it(server: LiveServer) -> None:
    event_id = server.fixture.harem_event_id
    body = {"field": "fatalities_best", "value": 4, "changed_by": "analyst@example.org", "reason": "SOHR update"}
    assert post(server, f"/api/events/{event_id}/corrections", body, token=None).status_code == 401
    response = post(server, f"/api/events/{event_id}/corrections", body)
    assert response.status_code == 201, response.text
    correction = response.json()
    assert (correction["old_value"], correction["new_value"]) == ("3", "4")
    assert correction["changed_by"] == "analyst@example.org"
    post(server, f"/api/events/{event_id}/corrections", {"field": "admin1", "value": "Idleb", "changed_by": "b"})
    detail = get(server, f"/api/events/{event_id}")
    assert detail["event"]["fatalities_best"] == 4 and detail["event"]["admin1"] == "Idleb"
    assert [(c["field"], c["old_value"], c["new_value"]) for c in detail["corrections"]] == [
        ("fatalities_best", "3", "4"),
        ("admin1", '"Idlib"', '"Idleb"'),
    ]
    assert get(server, "/api/events", admin1="Idleb")["total"] == 1  # filters see corrected values


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"field": "id", "value": "x", "changed_by": "a"}, 422),  # ids never change
        ({"field": "spans", "value": {}, "changed_by": "a"}, 422),
        ({"field": "admin1; DROP TABLE events", "value": "x", "changed_by": "a"}, 422),
        ({"field": "fatalities_best", "value": "many", "changed_by": "a"}, 422),
        ({"field": "fatalities_best", "value": True, "changed_by": "a"}, 422),
        ({"field": "latitude", "value": 123.0, "changed_by": "a"}, 422),
        ({"field": "event_date", "value": "last week", "changed_by": "a"}, 422),
        ({"field": "event_type", "value": None, "changed_by": "a"}, 422),
        ({"field": "hedge", "value": "surely", "changed_by": "a"}, 422),
        ({"field": "admin1", "value": "x"}, 422),  # who changed it is required
        ({"field": "event_date", "value": "2025-10-20", "changed_by": "a"}, 201),
        ({"field": "hedge", "value": "hedged", "changed_by": "a"}, 201),
        ({"field": "civilian_targeting", "value": True, "changed_by": "a"}, 201),
        ({"field": "latitude", "value": 36, "changed_by": "a"}, 201),
        ({"field": "admin2", "value": None, "changed_by": "a"}, 201),
    ],
)
def test_correction_validation(server: LiveServer, body: dict[str, Any], status: int) -> None:
    response = post(server, f"/api/events/{server.fixture.harem_event_id}/corrections", body)
    assert response.status_code == status, response.text
    assert get(server, "/api/health")["events"] == 6


def test_correcting_a_missing_event_is_404(server: LiveServer) -> None:
    body = {"field": "admin1", "value": "x", "changed_by": "a"}
    assert post(server, "/api/events/doesnotexist/corrections", body).status_code == 404


def test_reads_can_be_closed_with_a_read_token(live_server: ServerFactory) -> None:
    server = live_server(read_token=READ_TOKEN)
    assert httpx.get(server.url + "/api/events").status_code == 401
    assert httpx.get(server.url + "/api/events", headers={"Authorization": "Bearer nope"}).status_code == 401
    for token in (READ_TOKEN, TOKEN):  # the write token opens reads too
        response = httpx.get(server.url + "/api/events", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()["total"] == 6
    assert httpx.get(server.url + "/").status_code == 200  # the page holds no data; it asks for the token
    assert httpx.get(server.url + "/static/app.js").status_code == 200
    # The read token does not allow writes.
    assert post(server, "/api/reports", {"text": "x"}, token=READ_TOKEN).status_code == 401


def test_dashboard_assets_are_served_and_vendored(server: LiveServer) -> None:
    for path in (
        "/static/app.js",
        "/static/app.css",
        "/static/vendor/leaflet.js",
        "/static/vendor/leaflet.css",
        "/static/vendor/topojson-client.min.js",
        "/static/vendor/countries-50m.json",
    ):
        assert httpx.get(server.url + path).status_code == 200, path
    page = httpx.get(server.url + "/").text
    assert "http://" not in page and "https://" not in page  # nothing from a CDN
    app_js = httpx.get(server.url + "/static/app.js").text
    assert "innerHTML" not in app_js.replace("never innerHTML", "").replace("set innerHTML for strings", "")


# -- incidents (fusion) ---------------------------------------------------------------------------------------
def test_incidents_list_and_filters(server: LiveServer) -> None:
    everything = get(server, "/api/incidents")
    assert everything["total"] == 4
    idlib = get(server, "/api/incidents", admin1="Idlib")["items"]
    assert len(idlib) == 1
    harem = idlib[0]
    assert harem["id"] == server.fixture.harem_incident_id
    assert (harem["n_events"], harem["n_sources"], harem["corroboration"]) == (3, 3, 1)  # all three are SOHR's word
    assert (harem["fatalities_best"], harem["fatalities_cumulative"]) == (7, True)
    assert set(harem["actors"]) >= {"General Security Service", "French jihadists"}

    def ids(**params: Any) -> set[str]:
        return {i["location"] for i in get(server, "/api/incidents", **params)["items"]}

    assert ids(source="Agence Sahel-Levant") == {"Harem"}  # the outlet that published a member report
    assert ids(source="sohr") == {"Harem"}  # the original source quoted
    assert ids(source="Syria Direct") == {"Deir Hafer"}
    assert len(ids(min_corroboration=1)) == 4 and ids(min_corroboration=2) == set()
    assert ids(actor="French jihadists") == {"Harem"}
    assert ids(event_type="Protests") == {"Daraa"}
    assert ids(since="2025-10-21", until="2025-10-21") == {"Harem", "Daraa"}
    assert ids(bbox="37.5,36.0,38.0,36.5") == {"Deir Hafer"}
    assert ids(country="SY") == {"Harem", "Deir Hafer", "Daraa"}
    assert get(server, "/api/incidents", limit=1, offset=1)["total"] == 4
    assert get(server, "/api/incidents", admin1="'; DROP TABLE incidents; --")["total"] == 0
    assert get(server, "/api/incidents")["total"] == 4


def test_incident_detail_sources_toll_history_and_evidence(server: LiveServer) -> None:
    detail = get(server, f"/api/incidents/{server.fixture.harem_incident_id}")
    assert detail["incident"]["location"] == "Harem"
    sources = {(s["outlet"], s["original"]) for s in detail["sources"]}
    assert sources == {("SOHR", "SOHR"), ("Agence Sahel-Levant", "SOHR")}
    french = next(s for s in detail["sources"] if s["outlet"] == "Agence Sahel-Levant")
    assert french["chain"] == ["Agence Sahel-Levant", "SOHR"] and french["hedge"] == "attributed"
    assert [(t["kind"], t["best"], t["source"], t["span"]["text"]) for t in detail["toll_history"]] == [
        ("killed", 7, "SOHR", "rose to 7")
    ]
    assert len(detail["events"]) == 3 and len(detail["reports"]) == 3
    sohr_report = next(r for r in detail["reports"] if r["id"] == server.fixture.harem_report_id)
    claim = next(c for c in detail["claims"] if c["report_id"] == sohr_report["id"] and c["attributed_to"] == "SOHR")
    assert sohr_report["text"][claim["start"] : claim["end"]].startswith("Clashes broke out")
    assert detail["corrections"] == []
    assert httpx.get(server.url + "/api/incidents/nope").status_code == 404


def test_incident_views_for_the_dashboard(server: LiveServer) -> None:
    points = get(server, "/api/map", kind="incidents", admin1="Idlib")
    assert [(p["location"], p["corroboration"], p["fatalities"]) for p in points] == [("Harem", 1, 7)]
    timeline = get(server, "/api/timeline", kind="incidents", event_type="Battles")
    assert timeline == [{"period": "2025-10-21", "event_type": "Battles", "events": 1, "fatalities": 7}]
    facets = get(server, "/api/facets", kind="incidents")
    assert {"value": "Idlib", "count": 1} in facets["admin1"]
    assert {"value": "SOHR", "count": 1} in facets["source"]


def test_incident_downloads(server: LiveServer) -> None:
    def download(fmt: str, **params: Any) -> httpx.Response:
        response = httpx.get(server.url + "/api/incidents/download", params={"format": fmt, **params})
        assert response.status_code == 200, response.text
        return response

    rows = list(csv.DictReader(io.StringIO(download("csv", admin1="Idlib").text)))
    assert len(rows) == 1 and rows[0]["location"] == "Harem" and tuple(rows[0]) == ACLED_COLUMNS
    records = download("json").json()
    assert len(records) == 4
    geo = download("geojson", admin1="Idlib").json()
    assert geo["features"][0]["geometry"]["coordinates"] == [36.52, 36.21]
    table = pq.read_table(io.BytesIO(download("parquet").content))
    assert table.num_rows == 4 and "corroboration" in table.column_names


def test_incident_corrections(server: LiveServer) -> None:
    path = f"/api/incidents/{server.fixture.harem_incident_id}/corrections"
    body = {"field": "fatalities_best", "value": 8, "changed_by": "analyst", "reason": "hospital figures"}
    assert post(server, path, body, token=None).status_code == 401
    response = post(server, path, body)
    assert response.status_code == 201, response.text
    assert (response.json()["target_kind"], response.json()["old_value"]) == ("incident", "7")
    detail = get(server, f"/api/incidents/{server.fixture.harem_incident_id}")
    assert detail["incident"]["fatalities_best"] == 8
    assert [c["new_value"] for c in detail["corrections"]] == ["8"]
    assert post(server, path, {"field": "fatalities", "value": 1, "changed_by": "a"}).status_code == 422
    assert post(server, path, {"field": "denied", "value": True, "changed_by": "a"}).status_code == 201
    missing = post(server, "/api/incidents/nope/corrections", {"field": "notes", "value": "x", "changed_by": "a"})
    assert missing.status_code == 404


def test_posted_report_is_fused_into_incidents(server: LiveServer) -> None:
    before = get(server, "/api/updates")["cursor"]
    body = {
        "text": "Government forces shelled the town of Kafr Nabl in southern Idlib on Wednesday, killing two "
        "civilians, the Syrian Observatory for Human Rights said.",
        "source": "Idlib Post",
        "published_at": "2025-10-23T09:00:00Z",
        "language": "en",
    }
    result = post(server, "/api/reports", body).json()
    assert result["processed"] is True and result["error"] is None
    health = get(server, "/api/health")
    # Every event the pipeline found belongs to an incident now.
    con = connect(server.fixture.db)
    unfused = con.execute(
        "SELECT count(*) FROM events e LEFT JOIN incident_events m ON m.event_id = e.id WHERE m.event_id IS NULL"
    ).fetchone()[0]
    assert unfused == 0
    assert health["incidents"] >= 4
    assert get(server, "/api/updates", since=before)["changed"] is True


def test_alerts_newest_first_with_delivery_status(server: LiveServer) -> None:
    alerts = get(server, "/api/alerts")
    assert [a["kind"] for a in alerts] == ["new_incident", "toll_rose"]  # newest first (same second: by id)
    toll = alerts[1]
    assert toll["rule"] == "idlib-desk" and toll["incident_id"] == server.fixture.harem_incident_id
    assert toll["summary"].startswith("Toll rose from 3 to 7")
    assert toll["deliveries"]["webhook:desk"]["status"] == "pending"
    assert [a["id"] for a in get(server, "/api/alerts", incident_id=server.fixture.harem_incident_id)] == [toll["id"]]
    assert len(get(server, "/api/alerts", limit=1)) == 1
    assert get(server, f"/api/alerts/{toll['id']}")["payload"] == {"id": toll["id"]}
    assert httpx.get(server.url + "/api/alerts/no-such-alert").status_code == 404
    assert httpx.get(server.url + "/api/alerts", params={"limit": 501}).status_code == 422


def test_watch_status_before_any_watcher(server: LiveServer) -> None:
    status = get(server, "/api/watch/status")
    assert status["watcher"] is None and status["sources"] == []
    assert status["backlog"] == {"reports_unprocessed": 0, "events_unfused": 0, "alerts_pending": 2}
    assert status["outbox"][0]["destination"] == "webhook:desk" and status["outbox"][0]["pending"] == 2
    assert status["reports"] == 6 and status["incidents"] == 4

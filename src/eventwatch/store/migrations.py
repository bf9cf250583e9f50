"""SQLite schema, versioned in code. Each migration runs once, in order, inside one transaction.

Never edit a released migration: add a new one. The tables are plain, readable SQLite (no custom types), so the
database file opens and browses as-is in Datasette.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "reports, raw blobs and rejects",
        """
        CREATE TABLE blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            source TEXT,
            author TEXT,
            url TEXT,
            published_at TEXT,
            retrieved_at TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            language TEXT,
            title TEXT,
            text TEXT NOT NULL,
            source_format TEXT NOT NULL,
            origin TEXT,
            raw_sha256 TEXT REFERENCES blobs(sha256),
            raw_locator TEXT,
            processed_at TEXT
        );
        CREATE INDEX reports_published_at ON reports(published_at);
        CREATE INDEX reports_source ON reports(source);
        CREATE TABLE rejects (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            locator TEXT,
            reason TEXT NOT NULL,
            source_format TEXT,
            raw_sha256 TEXT NOT NULL REFERENCES blobs(sha256),
            size INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (origin, locator, raw_sha256)
        );
        """,
    ),
    (
        2,
        "claims and events",
        """
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            attributed_to TEXT,
            attribution_start INTEGER,
            attribution_end INTEGER,
            hedge TEXT NOT NULL,
            language TEXT,
            chain TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX claims_report ON claims(report_id);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            event_date TEXT,
            event_date_end TEXT,
            time_precision INTEGER,
            disorder_type TEXT,
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL,
            actor1 TEXT,
            assoc_actor_1 TEXT,
            inter1 INTEGER,
            actor2 TEXT,
            assoc_actor_2 TEXT,
            inter2 INTEGER,
            civilian_targeting INTEGER NOT NULL DEFAULT 0,
            iso TEXT,
            region TEXT,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            admin3 TEXT,
            location TEXT,
            latitude REAL,
            longitude REAL,
            geo_precision INTEGER,
            source TEXT,
            source_scale TEXT,
            notes TEXT NOT NULL DEFAULT '',
            fatalities INTEGER,
            fatalities_low INTEGER,
            fatalities_best INTEGER,
            fatalities_high INTEGER,
            fatalities_reported_unknown INTEGER NOT NULL DEFAULT 0,
            fatalities_cumulative INTEGER NOT NULL DEFAULT 0,
            injured_low INTEGER,
            injured_best INTEGER,
            injured_high INTEGER,
            detained_low INTEGER,
            detained_best INTEGER,
            detained_high INTEGER,
            hedge TEXT NOT NULL,
            attributed_to TEXT,
            background INTEGER NOT NULL DEFAULT 0,
            confidence REAL NOT NULL,
            spans TEXT NOT NULL DEFAULT '{}',
            claim_ids TEXT NOT NULL DEFAULT '[]'
        );
        CREATE INDEX events_report ON events(report_id);
        CREATE INDEX events_date ON events(event_date);
        CREATE INDEX events_type ON events(event_type, sub_event_type);
        CREATE INDEX events_admin1 ON events(country, admin1);
        """,
    ),
    (
        3,
        "incidents: membership, sources, toll history, contradictions",
        """
        CREATE TABLE incidents (
            id TEXT PRIMARY KEY,
            event_type TEXT NOT NULL,
            sub_event_type TEXT NOT NULL,
            event_date TEXT,
            event_date_end TEXT,
            span_days INTEGER NOT NULL DEFAULT 0,
            time_precision INTEGER,
            disorder_type TEXT,
            actor1 TEXT,
            actor2 TEXT,
            actors TEXT NOT NULL DEFAULT '[]',
            inter1 INTEGER,
            inter2 INTEGER,
            civilian_targeting INTEGER NOT NULL DEFAULT 0,
            iso TEXT,
            region TEXT,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            admin3 TEXT,
            location TEXT,
            locations TEXT NOT NULL DEFAULT '[]',
            latitude REAL,
            longitude REAL,
            geo_precision INTEGER,
            coarsest_geo_precision INTEGER,
            lat_min REAL,
            lat_max REAL,
            lon_min REAL,
            lon_max REAL,
            notes TEXT NOT NULL DEFAULT '',
            fatalities_low INTEGER,
            fatalities_best INTEGER,
            fatalities_high INTEGER,
            fatalities_reported_unknown INTEGER NOT NULL DEFAULT 0,
            fatalities_cumulative INTEGER NOT NULL DEFAULT 0,
            injured_low INTEGER,
            injured_best INTEGER,
            injured_high INTEGER,
            detained_low INTEGER,
            detained_best INTEGER,
            detained_high INTEGER,
            hedge TEXT NOT NULL,
            denied INTEGER NOT NULL DEFAULT 0,
            corroboration INTEGER NOT NULL,
            n_sources INTEGER NOT NULL,
            n_events INTEGER NOT NULL,
            contradicted INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX incidents_block ON incidents(event_date, latitude);
        CREATE INDEX incidents_span ON incidents(span_days);
        CREATE TABLE incident_events (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            PRIMARY KEY (incident_id, seq)
        );
        CREATE TABLE incident_sources (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            report_id TEXT NOT NULL,
            outlet TEXT,
            original TEXT NOT NULL,
            chain TEXT NOT NULL DEFAULT '[]',
            hedge TEXT NOT NULL,
            attributed_to TEXT,
            syndicated_from TEXT,
            start INTEGER,
            "end" INTEGER,
            claim_ids TEXT NOT NULL DEFAULT '[]',
            published_at TEXT,
            event_date TEXT,
            PRIMARY KEY (incident_id, seq)
        );
        CREATE INDEX incident_sources_report ON incident_sources(report_id);
        CREATE TABLE incident_tolls (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            as_of TEXT,
            kind TEXT NOT NULL,
            low INTEGER,
            best INTEGER,
            high INTEGER,
            source TEXT NOT NULL,
            report_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            start INTEGER,
            "end" INTEGER,
            PRIMARY KEY (incident_id, seq)
        );
        CREATE TABLE incident_contradictions (
            incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            field TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            versions TEXT NOT NULL,
            PRIMARY KEY (incident_id, seq)
        );
        """,
    ),
    (
        4,
        "corrections: field changes made by people, with the original value kept",
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('event', 'incident')),
            target_id TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            changed_by TEXT NOT NULL,
            reason TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX corrections_target ON corrections(target_kind, target_id);
        CREATE INDEX corrections_created ON corrections(created_at);
        """,
    ),
    (
        5,
        "incidents: matching window (the days their members' reports may tell of), for fusion's blocking query",
        """
        ALTER TABLE incidents ADD COLUMN match_from TEXT;
        ALTER TABLE incidents ADD COLUMN match_to TEXT;
        ALTER TABLE incidents ADD COLUMN match_days INTEGER NOT NULL DEFAULT 0;
        UPDATE incidents SET match_from = event_date, match_to = event_date_end, match_days = span_days;
        CREATE INDEX incidents_match ON incidents(match_from, latitude);
        CREATE INDEX incidents_match_days ON incidents(match_days);
        """,
    ),
    (
        6,
        "watch: source cursors and status, file offsets, alert snapshots, alerts and their delivery outbox",
        """
        CREATE TABLE watch_sources (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('feed', 'folder', 'api')),
            target TEXT NOT NULL,
            cursor TEXT NOT NULL DEFAULT '{}',
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_error_at TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_poll_at TEXT,
            items_seen INTEGER NOT NULL DEFAULT 0,
            reports_new INTEGER NOT NULL DEFAULT 0,
            rejects INTEGER NOT NULL DEFAULT 0,
            last_item_at TEXT,
            lag_seconds REAL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE watch_files (
            path TEXT PRIMARY KEY,
            source_key TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT,
            "offset" INTEGER NOT NULL DEFAULT 0,
            lines INTEGER NOT NULL DEFAULT 0,
            tail_sha256 TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX watch_files_source ON watch_files(source_key);
        CREATE TABLE watch_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE alert_snapshots (
            incident_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            incident_updated_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            rule TEXT NOT NULL,
            incident_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('new_incident', 'toll_rose', 'new_source', 'contradiction')),
            summary TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX alerts_created ON alerts(created_at);
        CREATE INDEX alerts_incident ON alerts(incident_id);
        CREATE TABLE alert_outbox (
            alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            destination TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            delivered_at TEXT,
            PRIMARY KEY (alert_id, destination)
        );
        CREATE INDEX alert_outbox_due ON alert_outbox(destination, status, next_attempt_at);
        CREATE INDEX reports_unprocessed ON reports(published_at, id) WHERE processed_at IS NULL;
        CREATE INDEX incidents_updated ON incidents(updated_at)
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1][0]

-- +goose Up
-- Foundation: who (jurisdictions, units, users), what (plans and their
-- structure) and the audit chain. Times are UTC; ids are assigned by the
-- database except audit_events.id, which the chain assigns so it has no gaps.

CREATE TABLE jurisdictions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES jurisdictions(code)
);

CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions(code),
    name         TEXT NOT NULL,
    short_name   TEXT NOT NULL DEFAULT '',
    aliases      TEXT NOT NULL DEFAULT '[]',
    UNIQUE (jurisdiction, name)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    jurisdiction  TEXT NOT NULL REFERENCES jurisdictions(code),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    unit_id       INTEGER REFERENCES units(id),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    jurisdiction  TEXT NOT NULL REFERENCES jurisdictions(code),
    year          INTEGER NOT NULL,
    title         TEXT NOT NULL,
    status        TEXT NOT NULL,
    source_name   TEXT NOT NULL DEFAULT '',
    source_sha256 TEXT NOT NULL,
    source_doc    BLOB,
    source_text   TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (jurisdiction, source_sha256)
);
CREATE INDEX plans_jurisdiction_year ON plans (jurisdiction, year);

CREATE TABLE sections (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES sections(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    title     TEXT NOT NULL,
    part      TEXT NOT NULL DEFAULT 'plan'
);
CREATE INDEX sections_plan ON sections (plan_id, position);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    section_id   INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    position     INTEGER NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    source_start INTEGER NOT NULL DEFAULT 0,
    source_end   INTEGER NOT NULL DEFAULT 0,
    lead_unit_id INTEGER REFERENCES units(id),
    leader       TEXT NOT NULL DEFAULT '',
    deadline     DATE,
    suggested    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX tasks_plan ON tasks (plan_id, position);
CREATE INDEX tasks_lead ON tasks (lead_unit_id);

CREATE TABLE task_co_units (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_co_units_unit ON task_co_units (unit_id);

CREATE TABLE milestones (
    id      INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    title   TEXT NOT NULL,
    due     DATE NOT NULL,
    done_at TIMESTAMP
);
CREATE INDEX milestones_task ON milestones (task_id);

CREATE TABLE indicators (
    id                  INTEGER PRIMARY KEY,
    plan_id             INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id             INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    name                TEXT NOT NULL,
    unit                TEXT NOT NULL DEFAULT '',
    target              DOUBLE PRECISION NOT NULL,
    comparator          TEXT NOT NULL,
    kind                TEXT NOT NULL,
    baseline            DOUBLE PRECISION,
    annual_only         BOOLEAN NOT NULL DEFAULT FALSE,
    responsible_unit_id INTEGER REFERENCES units(id),
    source_text         TEXT NOT NULL DEFAULT '',
    source_start        INTEGER NOT NULL DEFAULT 0,
    source_end          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX indicators_plan ON indicators (plan_id, position);
CREATE INDEX indicators_task ON indicators (task_id);

CREATE TABLE plan_flags (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    message  TEXT NOT NULL,
    body     TEXT NOT NULL DEFAULT '',
    start_at INTEGER NOT NULL DEFAULT 0,
    end_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_flags_plan ON plan_flags (plan_id);

-- The audit chain. audit_head holds the last id and hash; every writer
-- updates it in its transaction, which serialises appends on both engines.
CREATE TABLE audit_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT NOT NULL,
    remote      TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity, entity_id);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE audit_head;
DROP TABLE plan_flags;
DROP TABLE indicators;
DROP TABLE milestones;
DROP TABLE task_co_units;
DROP TABLE tasks;
DROP TABLE sections;
DROP TABLE plans;
DROP TABLE users;
DROP TABLE units;
DROP TABLE jurisdictions;

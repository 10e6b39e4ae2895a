-- +goose Up
-- Delivery: per-plan settings, progress reports and their review history,
-- extensions, reminders and supervision notices (one table, told apart by
-- kind) with their responses, the in-app inbox, outbound deliveries over
-- e-mail and webhooks, and the scheduler's memory of the last day it judged.
-- Every table carries the jurisdiction or reaches it through its plan, so
-- roll-ups stay queries.

CREATE TABLE plan_settings (
    plan_id    INTEGER PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    calendar   TEXT NOT NULL DEFAULT '{}', -- delivery.Calendar
    status     TEXT NOT NULL DEFAULT '{}', -- delivery.Rules
    scoring    TEXT NOT NULL DEFAULT '{}', -- delivery.ScoreRules
    reminders  TEXT NOT NULL DEFAULT '{}', -- delivery.ReminderRules
    channels   TEXT NOT NULL DEFAULT '{}', -- e-mail recipients and webhooks
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    -- NULL: a report on the plan's main indicators (主要预期指标), which
    -- have no task; reports_main keeps one per unit and cycle.
    task_id      INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    period       TEXT NOT NULL,
    narrative    TEXT NOT NULL DEFAULT '',
    assessment   TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    return_cause TEXT NOT NULL DEFAULT '',
    late         BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_at TIMESTAMP,
    reviewed_at  TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (task_id, unit_id, period)
);
CREATE INDEX reports_plan ON reports (plan_id, period);
CREATE INDEX reports_unit ON reports (unit_id);
CREATE UNIQUE INDEX reports_main ON reports (plan_id, unit_id, period) WHERE task_id IS NULL;

-- One row per indicator figure of a report.
CREATE TABLE report_actuals (
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    value        DOUBLE PRECISION NOT NULL,
    increment    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (report_id, indicator_id)
);

-- Files are stored by content hash in the data folder; this is their record.
CREATE TABLE report_attachments (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (report_id, sha256)
);
CREATE INDEX report_attachments_sha ON report_attachments (sha256);

-- Every state change of a report, so review is traceable step by step.
CREATE TABLE report_history (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    from_state   TEXT NOT NULL DEFAULT '',
    to_state     TEXT NOT NULL,
    at           TIMESTAMP NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor_name   TEXT NOT NULL DEFAULT '',
    comment      TEXT NOT NULL DEFAULT '',
    return_cause TEXT NOT NULL DEFAULT '',
    late         BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX report_history_report ON report_history (report_id, id);

CREATE TABLE extensions (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id      INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    original     DATE NOT NULL,
    proposed     DATE NOT NULL,
    reason       TEXT NOT NULL,
    requested_on DATE NOT NULL,
    state        TEXT NOT NULL,
    granted      DATE,
    decided_on   DATE,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX extensions_plan ON extensions (plan_id, task_id);

-- Reminders (催办) and supervision notices (督办单). dedupe_key names the
-- occasion (plan, task, unit, cycle or milestone, which nudge); its
-- uniqueness is what makes a notice go out once however often and however
-- late the scheduler runs.
CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    jurisdiction    TEXT NOT NULL REFERENCES jurisdictions(code),
    kind            TEXT NOT NULL,            -- reminder | notice | escalation
    colour          TEXT NOT NULL DEFAULT '', -- blue | yellow | red for notices
    number          TEXT NOT NULL DEFAULT '', -- 督办单 number, e.g. 小督〔2021〕3号
    seq             INTEGER NOT NULL DEFAULT 0,
    task_id         INTEGER REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id         INTEGER REFERENCES units(id),
    leader          TEXT NOT NULL DEFAULT '',
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    dedupe_key      TEXT NOT NULL UNIQUE,
    issued_on       DATE NOT NULL,
    respond_by      DATE,
    acknowledged_at TIMESTAMP,
    acknowledged_by INTEGER NOT NULL DEFAULT 0,
    responded_at    TIMESTAMP,
    escalated_on    DATE,
    parent_id       INTEGER REFERENCES notices(id) ON DELETE CASCADE,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX notices_plan ON notices (plan_id, kind);
CREATE UNIQUE INDEX notices_number ON notices (jurisdiction, number) WHERE number <> '';

-- The last supervision notice number per jurisdiction and year. Taking a
-- number is an upsert on this row, which serialises concurrent issuers
-- (two servers, or the scheduler and an office) without gaps or repeats.
CREATE TABLE notice_numbers (
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions(code),
    year         INTEGER NOT NULL,
    last         INTEGER NOT NULL,
    PRIMARY KEY (jurisdiction, year)
);
CREATE INDEX notices_unit ON notices (unit_id);

CREATE TABLE notice_responses (
    id        INTEGER PRIMARY KEY,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL DEFAULT 0,
    user_name TEXT NOT NULL DEFAULT '',
    body      TEXT NOT NULL,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX notice_responses_notice ON notice_responses (notice_id);

-- The in-app inbox: one row per notice and addressee (a unit, or the
-- jurisdiction's leaders for an escalation).
CREATE TABLE inbox (
    id           INTEGER PRIMARY KEY,
    jurisdiction TEXT NOT NULL REFERENCES jurisdictions(code),
    unit_id      INTEGER NOT NULL DEFAULT 0, -- 0: not a unit (leaders)
    role         TEXT NOT NULL DEFAULT '',
    notice_id    INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    read_at      TIMESTAMP,
    UNIQUE (notice_id, unit_id, role)
);
CREATE INDEX inbox_unit ON inbox (jurisdiction, unit_id, id);

-- Outbound messages (e-mail, webhook): written pending in the notice's own
-- transaction, sent afterwards, so a crash between the two resends a
-- pending message instead of losing or duplicating the notice.
CREATE TABLE deliveries (
    id         INTEGER PRIMARY KEY,
    notice_id  INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    channel    TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL, -- pending | sent | failed
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_try   TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at    TIMESTAMP,
    UNIQUE (notice_id, channel, recipient)
);
CREATE INDEX deliveries_pending ON deliveries (status, next_try);

-- The scheduler's memory: for each job (one per published plan), the last
-- day fully judged. After downtime the scheduler resumes from the day after.
CREATE TABLE scheduler_state (
    job        TEXT PRIMARY KEY,
    last_day   DATE NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE scheduler_state;
DROP TABLE deliveries;
DROP TABLE inbox;
DROP TABLE notice_responses;
DROP TABLE notice_numbers;
DROP TABLE notices;
DROP TABLE extensions;
DROP TABLE report_history;
DROP TABLE report_attachments;
DROP TABLE report_actuals;
DROP TABLE reports;
DROP TABLE plan_settings;

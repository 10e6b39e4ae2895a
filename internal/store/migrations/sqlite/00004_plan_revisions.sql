-- +goose Up
-- A plan's revision counts the committed changes to anything its status is
-- judged from: the plan row, its sections, tasks, cooperating units,
-- milestones, indicators and flags, its reports and their figures, its
-- extensions and its delivery settings. Triggers bump it in the writing
-- transaction itself, so no write path can forget to, and a server caching
-- a plan's delivery inputs (store.Store.DeliveryInputs) can tell with one
-- query whether any server changed them since.
--
-- Rows are never deleted and carry no foreign key: a plan id that SQLite
-- reuses after a deletion keeps counting up from where the old plan
-- stopped, so an old revision number never names new data.
CREATE TABLE plan_revisions (
    plan_id  INTEGER PRIMARY KEY,
    revision INTEGER NOT NULL
);
INSERT INTO plan_revisions (plan_id, revision) SELECT id, 1 FROM plans;

-- Reading a plan's reports in id order is reading them in the order they
-- sit in the table, page after page (store.reader.reportsForRules); the
-- index reports_plan orders them by period and so jumps between pages for
-- every row. PostgreSQL reads a plan's rows through a bitmap of pages, in
-- page order, whatever the index, and has no need of this one.
CREATE INDEX reports_plan_id ON reports (plan_id);

-- +goose StatementBegin
CREATE TRIGGER plans_revision_insert AFTER INSERT ON plans BEGIN
    INSERT INTO plan_revisions (plan_id, revision) VALUES (NEW.id, 1)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plans_revision_update AFTER UPDATE ON plans BEGIN
    INSERT INTO plan_revisions (plan_id, revision) VALUES (NEW.id, 1)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plans_revision_delete AFTER DELETE ON plans BEGIN
    INSERT INTO plan_revisions (plan_id, revision) VALUES (OLD.id, 1)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sections_revision_insert AFTER INSERT ON sections BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sections_revision_update AFTER UPDATE ON sections BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER sections_revision_delete AFTER DELETE ON sections BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_revision_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_revision_update AFTER UPDATE ON tasks BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tasks_revision_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER indicators_revision_insert AFTER INSERT ON indicators BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER indicators_revision_update AFTER UPDATE ON indicators BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER indicators_revision_delete AFTER DELETE ON indicators BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_flags_revision_insert AFTER INSERT ON plan_flags BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_flags_revision_update AFTER UPDATE ON plan_flags BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_flags_revision_delete AFTER DELETE ON plan_flags BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_revision_insert AFTER INSERT ON reports BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_revision_update AFTER UPDATE ON reports BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER reports_revision_delete AFTER DELETE ON reports BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER extensions_revision_insert AFTER INSERT ON extensions BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER extensions_revision_update AFTER UPDATE ON extensions BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER extensions_revision_delete AFTER DELETE ON extensions BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_settings_revision_insert AFTER INSERT ON plan_settings BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_settings_revision_update AFTER UPDATE ON plan_settings BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT NEW.plan_id, 1 WHERE NEW.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL AND OLD.plan_id IS NOT NEW.plan_id
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plan_settings_revision_delete AFTER DELETE ON plan_settings BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT OLD.plan_id, 1 WHERE OLD.plan_id IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_co_units_revision_insert AFTER INSERT ON task_co_units BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = NEW.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = NEW.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_co_units_revision_update AFTER UPDATE ON task_co_units BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = NEW.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = NEW.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = OLD.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT NULL AND (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT (SELECT plan_id FROM tasks WHERE id = NEW.task_id)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER task_co_units_revision_delete AFTER DELETE ON task_co_units BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = OLD.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER milestones_revision_insert AFTER INSERT ON milestones BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = NEW.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = NEW.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER milestones_revision_update AFTER UPDATE ON milestones BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = NEW.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = NEW.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = OLD.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT NULL AND (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT (SELECT plan_id FROM tasks WHERE id = NEW.task_id)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER milestones_revision_delete AFTER DELETE ON milestones BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM tasks WHERE id = OLD.task_id), 1 WHERE (SELECT plan_id FROM tasks WHERE id = OLD.task_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_actuals_revision_insert AFTER INSERT ON report_actuals BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM reports WHERE id = NEW.report_id), 1 WHERE (SELECT plan_id FROM reports WHERE id = NEW.report_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_actuals_revision_update AFTER UPDATE ON report_actuals BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM reports WHERE id = NEW.report_id), 1 WHERE (SELECT plan_id FROM reports WHERE id = NEW.report_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM reports WHERE id = OLD.report_id), 1 WHERE (SELECT plan_id FROM reports WHERE id = OLD.report_id) IS NOT NULL AND (SELECT plan_id FROM reports WHERE id = OLD.report_id) IS NOT (SELECT plan_id FROM reports WHERE id = NEW.report_id)
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER report_actuals_revision_delete AFTER DELETE ON report_actuals BEGIN
    INSERT INTO plan_revisions (plan_id, revision) SELECT (SELECT plan_id FROM reports WHERE id = OLD.report_id), 1 WHERE (SELECT plan_id FROM reports WHERE id = OLD.report_id) IS NOT NULL
        ON CONFLICT (plan_id) DO UPDATE SET revision = revision + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER plans_revision_insert;
DROP TRIGGER plans_revision_update;
DROP TRIGGER plans_revision_delete;
DROP TRIGGER sections_revision_insert;
DROP TRIGGER sections_revision_update;
DROP TRIGGER sections_revision_delete;
DROP TRIGGER tasks_revision_insert;
DROP TRIGGER tasks_revision_update;
DROP TRIGGER tasks_revision_delete;
DROP TRIGGER indicators_revision_insert;
DROP TRIGGER indicators_revision_update;
DROP TRIGGER indicators_revision_delete;
DROP TRIGGER plan_flags_revision_insert;
DROP TRIGGER plan_flags_revision_update;
DROP TRIGGER plan_flags_revision_delete;
DROP TRIGGER reports_revision_insert;
DROP TRIGGER reports_revision_update;
DROP TRIGGER reports_revision_delete;
DROP TRIGGER extensions_revision_insert;
DROP TRIGGER extensions_revision_update;
DROP TRIGGER extensions_revision_delete;
DROP TRIGGER plan_settings_revision_insert;
DROP TRIGGER plan_settings_revision_update;
DROP TRIGGER plan_settings_revision_delete;
DROP TRIGGER task_co_units_revision_insert;
DROP TRIGGER task_co_units_revision_update;
DROP TRIGGER task_co_units_revision_delete;
DROP TRIGGER milestones_revision_insert;
DROP TRIGGER milestones_revision_update;
DROP TRIGGER milestones_revision_delete;
DROP TRIGGER report_actuals_revision_insert;
DROP TRIGGER report_actuals_revision_update;
DROP TRIGGER report_actuals_revision_delete;
DROP TABLE plan_revisions;
DROP INDEX reports_plan_id;

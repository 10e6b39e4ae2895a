-- +goose Up
-- A plan's revision counts the committed changes to anything its status is
-- judged from: the plan row, its sections, tasks, cooperating units,
-- milestones, indicators and flags, its reports and their figures, its
-- extensions and its delivery settings. Triggers bump it in the writing
-- transaction itself, so no write path can forget to, and a server caching
-- a plan's delivery inputs (store.Store.DeliveryInputs) can tell with one
-- query whether any server changed them since.
--
-- Rows are never deleted and carry no foreign key, as on SQLite.
--
-- The triggers are deferred to commit: the bump takes the plan's revision
-- row lock last, while the transaction already holds the audit head, so two
-- writers never wait on each other's locks in opposite orders.
CREATE TABLE plan_revisions (
    plan_id  BIGINT PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO plan_revisions (plan_id, revision) SELECT id, 1 FROM plans;

-- bump_plan_revision's argument names the column that leads to the plan:
-- id (plans), plan_id, task_id (through tasks) or report_id (through reports).
-- +goose StatementBegin
CREATE FUNCTION bump_plan_revision() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col  TEXT := TG_ARGV[0];
    rows JSONB[];
    r    JSONB;
    key  BIGINT;
    seen BIGINT[] := '{}';
    pid  BIGINT;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        rows := rows || to_jsonb(NEW);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        rows := rows || to_jsonb(OLD);
    END IF;
    FOREACH r IN ARRAY rows LOOP
        key := (r ->> col)::BIGINT;
        IF col = 'task_id' THEN
            SELECT t.plan_id INTO pid FROM tasks t WHERE t.id = key;
        ELSIF col = 'report_id' THEN
            SELECT p.plan_id INTO pid FROM reports p WHERE p.id = key;
        ELSE
            pid := key;
        END IF;
        IF pid IS NOT NULL AND NOT pid = ANY (seen) THEN
            seen := seen || pid;
            INSERT INTO plan_revisions (plan_id, revision) VALUES (pid, 1)
                ON CONFLICT (plan_id) DO UPDATE SET revision = plan_revisions.revision + 1;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER plans_revision AFTER INSERT OR UPDATE OR DELETE ON plans
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('id');
CREATE CONSTRAINT TRIGGER sections_revision AFTER INSERT OR UPDATE OR DELETE ON sections
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER tasks_revision AFTER INSERT OR UPDATE OR DELETE ON tasks
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER indicators_revision AFTER INSERT OR UPDATE OR DELETE ON indicators
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER plan_flags_revision AFTER INSERT OR UPDATE OR DELETE ON plan_flags
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER reports_revision AFTER INSERT OR UPDATE OR DELETE ON reports
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER extensions_revision AFTER INSERT OR UPDATE OR DELETE ON extensions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER plan_settings_revision AFTER INSERT OR UPDATE OR DELETE ON plan_settings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('plan_id');
CREATE CONSTRAINT TRIGGER task_co_units_revision AFTER INSERT OR UPDATE OR DELETE ON task_co_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('task_id');
CREATE CONSTRAINT TRIGGER milestones_revision AFTER INSERT OR UPDATE OR DELETE ON milestones
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('task_id');
CREATE CONSTRAINT TRIGGER report_actuals_revision AFTER INSERT OR UPDATE OR DELETE ON report_actuals
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_plan_revision('report_id');

-- +goose Down
DROP TRIGGER plans_revision ON plans;
DROP TRIGGER sections_revision ON sections;
DROP TRIGGER tasks_revision ON tasks;
DROP TRIGGER indicators_revision ON indicators;
DROP TRIGGER plan_flags_revision ON plan_flags;
DROP TRIGGER reports_revision ON reports;
DROP TRIGGER extensions_revision ON extensions;
DROP TRIGGER plan_settings_revision ON plan_settings;
DROP TRIGGER task_co_units_revision ON task_co_units;
DROP TRIGGER milestones_revision ON milestones;
DROP TRIGGER report_actuals_revision ON report_actuals;
DROP FUNCTION bump_plan_revision();
DROP TABLE plan_revisions;

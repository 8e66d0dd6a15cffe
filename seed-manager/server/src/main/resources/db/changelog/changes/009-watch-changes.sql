--liquibase formatted sql

--changeset edgeplane:009-watch-changes
-- The change feed that watches read. A trigger records every change of a watched row in the
-- writer's own transaction (id: insertion order); a sequencer then numbers committed changes
-- (seq) one batch at a time under the single watch_sequence row lock, so seq order is commit
-- order and a reader that continues after the last seq it saw never misses a change that was
-- still uncommitted when it read. row_data is the row as it was (secrets removed), rendered by
-- the API as the GET body. scope is what a watch filters on: the project for clusters, the
-- cluster id for rows of a cluster.
CREATE TABLE watch_changes (
    id        BIGSERIAL PRIMARY KEY,
    seq       BIGINT UNIQUE,
    kind      TEXT NOT NULL,
    scope     TEXT NOT NULL,
    type      TEXT NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
    row_data  JSONB NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX watch_changes_unsequenced ON watch_changes (id) WHERE seq IS NULL;
CREATE INDEX watch_changes_by_scope ON watch_changes (kind, scope, seq);
CREATE INDEX watch_changes_by_time ON watch_changes (at);

-- last: the highest seq handed out; pruned_through: changes up to it are gone, so a watch
-- resuming from an older seq must list again.
CREATE TABLE watch_sequence (
    singleton       BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    last            BIGINT NOT NULL,
    pruned_through  BIGINT NOT NULL
);
INSERT INTO watch_sequence (singleton, last, pruned_through) VALUES (true, 0, 0);

--changeset edgeplane:009-watch-triggers splitStatements:false
-- TG_ARGV[0]: the scope column; TG_ARGV[1]: columns never copied (sealed secrets); TG_ARGV[2]:
-- bookkeeping columns (leases, schedule) whose change alone is not a change a watcher sees.
CREATE FUNCTION watch_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hidden      TEXT[] := TG_ARGV[1]::TEXT[];
    bookkeeping TEXT[] := TG_ARGV[2]::TEXT[];
    old_row     JSONB;
    new_row     JSONB;
BEGIN
    IF TG_OP = 'DELETE' THEN
        old_row := to_jsonb(OLD) - hidden;
        INSERT INTO watch_changes (kind, scope, type, row_data)
        VALUES (TG_TABLE_NAME, old_row ->> TG_ARGV[0], 'DELETED', old_row);
    ELSIF TG_OP = 'INSERT' THEN
        new_row := to_jsonb(NEW) - hidden;
        INSERT INTO watch_changes (kind, scope, type, row_data)
        VALUES (TG_TABLE_NAME, new_row ->> TG_ARGV[0], 'ADDED', new_row);
    ELSE
        old_row := to_jsonb(OLD) - hidden;
        new_row := to_jsonb(NEW) - hidden;
        IF (old_row - bookkeeping) = (new_row - bookkeeping) THEN
            RETURN NULL;
        END IF;
        INSERT INTO watch_changes (kind, scope, type, row_data)
        VALUES (TG_TABLE_NAME, new_row ->> TG_ARGV[0], 'MODIFIED', new_row);
    END IF;
    -- Delivered at commit, once per transaction: wakes the sequencers of every replica.
    PERFORM pg_notify('edgeplane_watch_pending', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER clusters_watch AFTER INSERT OR UPDATE OR DELETE ON clusters
    FOR EACH ROW EXECUTE FUNCTION watch_record_change(
        'project', '{pki}', '{lease_owner,lease_until,next_reconcile_at,updated_at}');
CREATE TRIGGER machine_deployments_watch AFTER INSERT OR UPDATE OR DELETE ON machine_deployments
    FOR EACH ROW EXECUTE FUNCTION watch_record_change(
        'cluster_id', '{ssh_credential}', '{lease_owner,lease_until,next_reconcile_at,updated_at}');
CREATE TRIGGER workloads_watch AFTER INSERT OR UPDATE OR DELETE ON workloads
    FOR EACH ROW EXECUTE FUNCTION watch_record_change(
        'cluster_id', '{}', '{lease_owner,lease_until,next_reconcile_at,updated_at}');

-- Log lines need no sequencing: one delivery writes a device's lines, one after another.
CREATE FUNCTION watch_provisioning_log_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('edgeplane_watch', 'machine_provisioning_logs:' || NEW.machine_deployment_id);
    RETURN NULL;
END;
$$;

CREATE TRIGGER machine_provisioning_logs_watch AFTER INSERT ON machine_provisioning_logs
    FOR EACH ROW EXECUTE FUNCTION watch_provisioning_log_line();

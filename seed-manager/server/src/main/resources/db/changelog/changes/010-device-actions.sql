--liquibase formatted sql

--changeset edgeplane:010-device-actions
-- Actions the person on site made with the device agent's local command, as the seed manager
-- decided them: adopted into the workload, or a conflict (the operator changed the workload
-- meanwhile, and the operator's state was kept). One row per (cluster, device, seq), so that a
-- decision is taken once however often the device reports the action.
CREATE TABLE device_actions (
    cluster_id          TEXT        NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    node                TEXT        NOT NULL,
    seq                 BIGINT      NOT NULL,
    workload            TEXT        NOT NULL,
    action              TEXT        NOT NULL,
    done_at             TIMESTAMPTZ NOT NULL,
    cause               TEXT        NOT NULL,
    based_on_generation BIGINT      NOT NULL,
    spec_hash           TEXT,
    outcome             TEXT        NOT NULL CHECK (outcome IN ('adopted', 'conflict')),
    message             TEXT        NOT NULL,
    generation_after    BIGINT,
    decided_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cluster_id, node, seq)
);
CREATE INDEX device_actions_workload ON device_actions (cluster_id, workload, decided_at DESC);

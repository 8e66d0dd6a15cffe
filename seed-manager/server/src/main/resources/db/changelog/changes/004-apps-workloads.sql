--liquibase formatted sql

--changeset edgeplane:004-apps
-- An app version registered in a project: what its containers are and how it may be configured.
-- The spec (images, env, ports, resources, inputs/outputs, default configuration and its schema)
-- is JSON; a version is immutable once a workload uses it.
CREATE TABLE apps (
    id           TEXT PRIMARY KEY,
    project      TEXT NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    version      TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    spec         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project, name, version)
);

--changeset edgeplane:004-workloads
-- A workload of a cluster: the live version (what the devices run or should run) and at most one
-- staged version, each a resolved WorkloadSpec in JSON, plus the operator's pending operation
-- (generation > observed_generation) and what was last observed (state, staged_state, status JSON).
CREATE TABLE workloads (
    id                      TEXT PRIMARY KEY,
    cluster_id              TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    name                    TEXT NOT NULL,
    title                   TEXT NOT NULL,
    app_name                TEXT NOT NULL,
    app_version             TEXT,
    live_spec               TEXT,
    staged_app_version      TEXT,
    staged_spec             TEXT,
    staged_instantly_apply  BOOLEAN NOT NULL DEFAULT false,
    staged_request          TEXT,
    staged_state            TEXT,
    run                     BOOLEAN NOT NULL DEFAULT true,
    state                   TEXT NOT NULL,
    status                  TEXT NOT NULL DEFAULT '{}',
    generation              BIGINT NOT NULL DEFAULT 1,
    observed_generation     BIGINT NOT NULL DEFAULT 0,
    delete_requested        BOOLEAN NOT NULL DEFAULT false,
    lease_owner             TEXT,
    lease_until             TIMESTAMPTZ,
    next_reconcile_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (cluster_id, name)
);
CREATE INDEX workloads_due ON workloads (next_reconcile_at);
CREATE INDEX workloads_by_app ON workloads (app_name, app_version);
CREATE INDEX workloads_by_request ON workloads (staged_request);

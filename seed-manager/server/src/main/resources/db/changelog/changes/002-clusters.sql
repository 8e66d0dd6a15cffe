--liquibase formatted sql

--changeset edgeplane:002-clusters
CREATE TABLE clusters (
    id                   TEXT PRIMARY KEY,
    project              TEXT NOT NULL REFERENCES projects (name),
    name                 TEXT NOT NULL,
    datacenter           TEXT NOT NULL,
    version              TEXT NOT NULL,
    generation           BIGINT NOT NULL DEFAULT 1,
    observed_generation  BIGINT NOT NULL DEFAULT 0,
    phase                TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT '{}',
    pki                  TEXT,
    delete_requested     BOOLEAN NOT NULL DEFAULT false,
    lease_owner          TEXT,
    lease_until          TIMESTAMPTZ,
    next_reconcile_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (project, name)
);
CREATE INDEX clusters_due ON clusters (next_reconcile_at);

--changeset edgeplane:002-cluster-ports
-- One row per port handed to a cluster's component: the primary key makes concurrent
-- creations unable to collide, and the rows go with the cluster.
CREATE TABLE cluster_ports (
    port        INTEGER PRIMARY KEY,
    cluster_id  TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    component   TEXT NOT NULL,
    UNIQUE (cluster_id, component)
);

--changeset edgeplane:002-cluster-credentials
-- Admin kubeconfigs handed out. Each has its own user name, bound to cluster-admin by one
-- ClusterRoleBinding; revoking deletes the binding, expiry is the certificate's notAfter.
CREATE TABLE cluster_credentials (
    id          TEXT PRIMARY KEY,
    cluster_id  TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    username    TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    issued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

--liquibase formatted sql

--changeset edgeplane:003-machine-deployments
-- One row per edge device (a MachineDeployment is exactly one device). Desired state (labels,
-- taints, SSH target, delivery requests, deletion) and observed state (phase, status JSON) share
-- the row, as clusters do; the SSH credential is sealed with the master key.
CREATE TABLE machine_deployments (
    id                   TEXT PRIMARY KEY,
    cluster_id           TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    os                   TEXT NOT NULL,
    arch                 TEXT NOT NULL,
    labels               TEXT NOT NULL DEFAULT '{}',
    taints               TEXT NOT NULL DEFAULT '[]',
    ssh                  TEXT,
    ssh_credential       TEXT,
    generation           BIGINT NOT NULL DEFAULT 1,
    observed_generation  BIGINT NOT NULL DEFAULT 0,
    provision_requested  BIGINT NOT NULL DEFAULT 0,
    provision_done       BIGINT NOT NULL DEFAULT 0,
    phase                TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT '{}',
    delete_requested     BOOLEAN NOT NULL DEFAULT false,
    lease_owner          TEXT,
    lease_until          TIMESTAMPTZ,
    next_reconcile_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (cluster_id, name)
);
CREATE INDEX machine_deployments_due ON machine_deployments (next_reconcile_at);

--changeset edgeplane:003-bootstrap-tokens
-- The bootstrap token handed to a device in its script. The secret is sealed: the script can be
-- fetched again while the token is valid and must then carry the same one.
CREATE TABLE machine_bootstrap_tokens (
    token_id               TEXT PRIMARY KEY,
    machine_deployment_id  TEXT NOT NULL REFERENCES machine_deployments (id) ON DELETE CASCADE,
    sealed_secret          TEXT NOT NULL,
    expires_at             TIMESTAMPTZ NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);

--changeset edgeplane:003-provisioning-logs
-- Output of SSH deliveries, line by line, readable while a delivery runs.
CREATE TABLE machine_provisioning_logs (
    seq                    BIGSERIAL PRIMARY KEY,
    machine_deployment_id  TEXT NOT NULL REFERENCES machine_deployments (id) ON DELETE CASCADE,
    attempt                BIGINT NOT NULL,
    line                   TEXT NOT NULL,
    at                     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX machine_provisioning_logs_by_machine ON machine_provisioning_logs (machine_deployment_id, seq);

--liquibase formatted sql

--changeset edgeplane:014-provisioning-script-links
-- One-time links to a device's provisioning script, for a person who pastes one command on the device
-- instead of carrying an API token there. Only the secret's SHA-256 is stored. A link is used up by the
-- first download (used_at, set by a conditional UPDATE so that two replicas cannot both serve it) and
-- goes with its device.
CREATE TABLE provisioning_script_links (
    id                     TEXT PRIMARY KEY,
    machine_deployment_id  TEXT NOT NULL REFERENCES machine_deployments (id) ON DELETE CASCADE,
    secret_hash            BYTEA NOT NULL UNIQUE,
    created_by             TEXT NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at             TIMESTAMPTZ NOT NULL,
    used_at                TIMESTAMPTZ
);
CREATE INDEX provisioning_script_links_by_machine ON provisioning_script_links (machine_deployment_id);
CREATE INDEX provisioning_script_links_by_expiry ON provisioning_script_links (expires_at);

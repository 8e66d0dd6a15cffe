--liquibase formatted sql

--changeset edgeplane:001-projects
CREATE TABLE projects (
    name          TEXT PRIMARY KEY,
    display_name  TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

--changeset edgeplane:001-project-tokens
CREATE TABLE project_tokens (
    id           TEXT PRIMARY KEY,
    project      TEXT NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'viewer')),
    description  TEXT,
    secret_hash  BYTEA NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX project_tokens_project ON project_tokens (project, id);

--changeset edgeplane:001-audit splitStatements:false
CREATE TABLE audit_events (
    id       BIGSERIAL PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    target   TEXT NOT NULL,
    result   TEXT NOT NULL
);
-- The audit trail is append-only: the database itself refuses to change or remove a row.
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

--liquibase formatted sql

--changeset edgeplane:012-binaries-components
-- The SHA-256 of each binary the seed managers of this database serve, per Kubernetes version and
-- platform, recorded by the first one that had it: every replica's artifact mirror must serve the
-- same bytes, since a provisioning script rendered by one replica pins the sums and the device may
-- download from another.
CREATE TABLE binaries_components (
    kubernetes_version  TEXT NOT NULL,
    platform            TEXT NOT NULL,
    component           TEXT NOT NULL,
    sha256              TEXT NOT NULL,
    recorded_by         TEXT NOT NULL,
    recorded_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kubernetes_version, platform, component)
);

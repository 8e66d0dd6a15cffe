--liquibase formatted sql

--changeset edgeplane:008-cluster-node-health
-- Optional node-health timeouts of a tenant cluster; NULL keeps the Kubernetes default.
ALTER TABLE clusters
    ADD COLUMN node_grace_period_seconds INTEGER
        CHECK (node_grace_period_seconds BETWEEN 10 AND 600),
    ADD COLUMN node_eviction_seconds INTEGER
        CHECK (node_eviction_seconds BETWEEN 0 AND 86400);

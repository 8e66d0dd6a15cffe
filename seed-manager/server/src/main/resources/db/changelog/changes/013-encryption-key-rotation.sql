--liquibase formatted sql

--changeset edgeplane:013-cluster-encryption-key-rotation
-- The latest rotation of a cluster's Secrets encryption key (JSON, key names only): written by the
-- API when one starts and by the cluster reconciler after each step, apart from the status the
-- reconciler rewrites every pass, so neither overwrites the other.
ALTER TABLE clusters
    ADD COLUMN encryption_key_rotation TEXT;

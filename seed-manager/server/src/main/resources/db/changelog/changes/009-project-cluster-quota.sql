--liquibase formatted sql

--changeset edgeplane:009-project-cluster-quota
-- How many clusters a project may have; NULL means no limit.
ALTER TABLE projects
    ADD COLUMN cluster_quota INTEGER CHECK (cluster_quota >= 0);

--liquibase formatted sql

--changeset edgeplane:015-onboarding-requests
-- Which onboarding check a device is asked for: counted up when an operator asks for the check again,
-- so that its agent runs it anew and new workloads wait until the device passes it.
ALTER TABLE machine_deployments ADD COLUMN onboarding_request BIGINT NOT NULL DEFAULT 1;

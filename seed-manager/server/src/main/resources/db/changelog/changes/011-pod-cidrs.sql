--liquibase formatted sql

--changeset edgeplane:011-cluster-pod-cidr
-- The range a cluster's pods get addresses from; fixed for the cluster's life. Clusters created
-- before it existed get the range every device used until then.
ALTER TABLE clusters
    ADD COLUMN pod_cidr TEXT NOT NULL DEFAULT '10.244.0.0/14';

--changeset edgeplane:011-machine-pod-cidrs
-- Each device's own /24 of its cluster's pod range, so that sites behind NAT reusing the same
-- private ranges never give two pods one address. The unique key makes two replicas (or threads)
-- unable to hand out the same range; the row goes with its device, which frees the range.
CREATE TABLE machine_pod_cidrs (
    machine_deployment_id  TEXT PRIMARY KEY REFERENCES machine_deployments (id) ON DELETE CASCADE,
    cluster_id             TEXT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    cidr                   TEXT NOT NULL,
    UNIQUE (cluster_id, cidr)
);

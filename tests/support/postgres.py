"""The tests' throwaway PostgreSQL server; it lives in deploy/ because the local cluster (`make cluster`) starts the same."""

from deploy.postgres import MISSING, URL_VARIABLE, Cluster, bindir, free_port, start_cluster

__all__ = ["MISSING", "URL_VARIABLE", "Cluster", "bindir", "free_port", "start_cluster"]

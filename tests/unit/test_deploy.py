"""The deployment files say what the local cluster does: same proxy rules, valid for HAProxy itself."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from deploy import cluster

DEPLOY = Path(cluster.__file__).parent


def test_the_compose_proxy_configuration_is_the_one_the_cluster_writes():
    assert (DEPLOY / "haproxy.cfg").read_text() == cluster.compose_haproxy_config()


def test_haproxy_accepts_the_configuration_with_affinity_health_checks_and_websocket_tunnels(tmp_path):
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        pytest.skip(cluster.HAPROXY_MISSING)
    text = cluster.haproxy_config(8500, [("replik1", "127.0.0.1:8501"), ("replik2", "127.0.0.1:8502")])
    for rule in ("cookie lagebild_replik insert", "option httpchk GET /_stcore/health", "timeout tunnel", "redispatch"):
        assert rule in text
    config = tmp_path / "haproxy.cfg"
    config.write_text(text)
    checked = subprocess.run([haproxy, "-c", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_replica_of_the_compose_file_shares_the_cookie_secret_and_the_database():
    text = (DEPLOY / "compose.yaml").read_text()
    assert "replik1: *replica" in text and "replik2: *replica" in text
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in text and "DATABASE_URL: postgresql+psycopg://" in text

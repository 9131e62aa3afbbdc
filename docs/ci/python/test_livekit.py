"""Testcontainers for Python: the server in a container for a pytest session, region i on host
port HOST_PORTS[i]. The ports are chosen up front so that /settings/regions can advertise them."""

import pytest
from testcontainers.core.container import DockerContainer
from testcontainers.core.wait_strategies import HttpWaitStrategy

IMAGE = "ghcr.io/your-org/livekit-test-server:0"
HOST_PORTS = [29999, 30000, 30001, 30002]


@pytest.fixture(scope="session")
def livekit_url():
    container = DockerContainer(IMAGE)
    for i, port in enumerate(HOST_PORTS):
        container.with_bind_ports(9999 + i, port)
    container.with_env("LK_TEST_SERVER_ADVERTISE_URLS", ",".join(map(str, HOST_PORTS)))
    container.waiting_for(HttpWaitStrategy(9999, "/_test/health"))
    with container:
        yield f"http://{container.get_container_host_ip()}:{HOST_PORTS[0]}"


def test_rooms(livekit_url):
    # … api.LiveKitAPI(livekit_url, "devkey", "secret") and the tests …
    assert livekit_url.endswith(":29999")

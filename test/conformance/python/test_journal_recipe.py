"""The Python recipe of docs/journal.md ("A failover test with only the header and the journal"):
the SDK's own region failover, seen through the journal alone."""

import json
import socket
import time
from urllib.parse import urlparse

import aiohttp
import pytest
from livekit import api
from livekit.api.twirp_client import TwirpClient

from support import SERVER, read_journal

pytestmark = pytest.mark.skipif(
    not SERVER.is_ours, reason="the journal is not in the original test server"
)


class CloudHostsToMock(aiohttp.ThreadedResolver):
    """Resolves every *.livekit.cloud host to the server under test. The SDK fails
    over only for LiveKit Cloud hosts (``failover_attempts`` in livekit/api/_failover.py);
    its switch for other hosts is the private ``_failover_force``."""

    async def resolve(self, host, port=0, family=socket.AF_INET):
        if host.endswith(".livekit.cloud"):
            host = urlparse(SERVER.url).hostname
        return await super().resolve(host, port, family)


def lines(entries):
    return [f"{e['region']} {e['route']} {e['status']}" for e in entries]


async def test_failover_with_regions_0_and_1_failing():
    key = f"failover-{time.time_ns()}"
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(resolver=CloudHostsToMock()),
        headers={"X-Lk-Mock": json.dumps({"failRegions": [0, 1], "journal": key})},
        timeout=aiohttp.ClientTimeout(total=10),
    )
    port = urlparse(SERVER.url).port
    async with session:
        url = f"http://project.livekit.cloud:{port}"
        lk = api.LiveKitAPI(url, SERVER.api_key, SERVER.api_secret, session=session)
        with pytest.raises(api.TwirpError) as exc:
            await lk.room.list_rooms(api.ListRoomsRequest())
    assert (exc.value.code, exc.value.status) == ("unavailable", 503)
    # Three attempts, and region 2 is never reached: after the project host the SDK
    # tries the listed regions in order, and region 0's own URL is the first it has
    # not tried by name.
    assert lines(await read_journal(key)) == [
        "region-0 livekit.RoomService/ListRooms 503",
        "region-0 regions 200",  # the SDK's region discovery
        "region-0 livekit.RoomService/ListRooms 503",
        "region-1 livekit.RoomService/ListRooms 503",
    ]


async def test_forced_failover_on_the_loopback_url_skips_region_0_by_name():
    # Pointed at region 0's listed URL, the SDK's next untried region is region 1:
    # the same sequence as the Node SDK's recipe.
    key = f"forced-{time.time_ns()}"
    async with aiohttp.ClientSession(
        headers={"X-Lk-Mock": json.dumps({"failRegions": [0, 1], "journal": key})}
    ) as session:
        lk = api.LiveKitAPI(SERVER.url, SERVER.api_key, SERVER.api_secret, session=session)
        client = TwirpClient(
            session, SERVER.url, "livekit", _failover_force=True, _failover_backoff=0.01
        )
        rooms = await client.request(
            "RoomService",
            "ListRooms",
            api.ListRoomsRequest(),
            lk.room._auth_header(api.VideoGrants(room_list=True)),
            api.ListRoomsResponse,
        )
    assert [room.sid for room in rooms.rooms] == ["MOCK_SID"]
    assert lines(await read_journal(key)) == [
        "region-0 livekit.RoomService/ListRooms 503",
        "region-0 regions 200",
        "region-1 livekit.RoomService/ListRooms 503",
        "region-2 livekit.RoomService/ListRooms 200",
    ]

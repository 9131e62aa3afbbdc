from __future__ import annotations

from typing import AsyncIterator, Optional

import pytest
from livekit import api

from support import SERVER, connect


def pytest_report_header(config: pytest.Config) -> str:
    return f"livekit-api {api.__version__} against {SERVER.describe()}"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    # A missing server must fail every test loudly: a skipped suite looks green in CI.
    error = SERVER.config_error()
    if error is not None:
        pytest.fail(error, pytrace=False)


@pytest.fixture
async def lkapi() -> AsyncIterator[Optional[api.LiveKitAPI]]:
    """A LiveKitAPI client with the right key and secret and no control header."""
    if SERVER.config_error() is not None:
        yield None  # pytest_runtest_call fails the test before it uses this
        return
    async with connect() as lk:
        yield lk

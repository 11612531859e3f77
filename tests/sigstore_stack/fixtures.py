"""pytest fixtures for the local Sigstore stack.

Load them from ``tests/conftest.py`` (a plugin, so test modules need no import that ruff
would flag as redefined by the fixture argument)::

    pytest_plugins = ["sigstore_stack.fixtures"]

``sigstore_stack_session`` runs the services once per test session; ``sigstore_stack`` is the
same stack with faults, request logs and knobs reset before and after each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .stack import SigstoreStack


@pytest.fixture(scope="session")
def sigstore_stack_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigstoreStack]:
    stack = SigstoreStack(tmp_path_factory.mktemp("sigstore-stack"))
    with pytest.MonkeyPatch.context() as env:
        # Loopback traffic must never go through a proxy the machine may have configured.
        for name in ("NO_PROXY", "no_proxy"):
            env.setenv(
                name, ",".join(filter(None, ["127.0.0.1,localhost", os.environ.get(name, "")]))
            )
        stack.start()
        try:
            yield stack
        finally:
            stack.stop()


@pytest.fixture
def sigstore_stack(sigstore_stack_session: SigstoreStack) -> Iterator[SigstoreStack]:
    sigstore_stack_session.reset()
    yield sigstore_stack_session
    sigstore_stack_session.reset()

"""The durability tests start real servers; the marker lets a run pick them
(``bin/test -m durability``) or leave them out (``-m "not durability"``)."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "durability: kills a real server under load and checks what survived"
    )

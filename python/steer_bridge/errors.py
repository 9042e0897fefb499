"""Error codes of protocol steer-bridge/1 (docs/envs/bridge-protocol.md "Error codes"). Stdlib only."""

from __future__ import annotations

import traceback
from typing import Any

ALIVE_CODES = frozenset(
    {
        "BAD_REQUEST",
        "BAD_ACTION",
        "NOT_MADE",
        "ALREADY_MADE",
        "NOT_RUNNING",
        "UNSUPPORTED",
        "MISSING_PACKAGE",
    }
)
"""Codes after which the server goes on serving."""

BREAKING_CODES = frozenset({"ENV_ERROR", "NONFINITE", "INTERNAL"})
"""Codes after which the server answers only `close`."""


class BridgeError(Exception):
    """An error reply: ``code`` from the tables above, a one-line ``message`` and a JSON ``detail``."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: dict[str, Any] | None = None,
        request_id: int | None = None,
    ) -> None:
        super().__init__(message)
        if code not in ALIVE_CODES and code not in BREAKING_CODES:
            raise ValueError(f"unknown error code {code}")
        self.code = code
        self.message = message
        self.detail = detail or {}
        self.request_id = request_id

    @property
    def breaks(self) -> bool:
        """Whether the server is broken after this error (only `close` is answered)."""
        return self.code in BREAKING_CODES


def env_error(exc: BaseException, doing: str) -> BridgeError:
    """ENV_ERROR for an exception raised by env code while ``doing`` (e.g. "step of copy 2")."""
    return BridgeError(
        "ENV_ERROR",
        f"{type(exc).__name__} in the env during {doing}: {exc}",
        {"type": type(exc).__name__, "traceback": "".join(traceback.format_exception(exc))},
    )

"""What the server asks of an env family: a batch of env copies stepped together. Stdlib only.

A family (``fake_env``, ``pettingzoo_env``) builds an ``EnvBatch`` at ``make``. The server owns the
protocol rules that do not depend on the family (which copies are running, action validation and
clipping, non-finite checks); the batch only turns env calls into arrays. Arrays go out as
``frames.OutArray`` whose data is an ``array.array`` or a C-contiguous little-endian numpy array.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, BinaryIO

from .frames import OutArray


@dataclass
class Spaces:
    """The `spaces` result of `make` (docs/envs/bridge-protocol.md "Operations")."""

    agents: list[str]
    obs_dims: list[int]
    state_dim: int
    discrete: bool
    action_dims: list[int]
    """Per agent: the number of discrete actions (``ns``) or the continuous dimension (``dims``)."""
    low: float = 0.0
    high: float = 0.0
    episode_limit: int = 0

    @property
    def num_agents(self) -> int:
        return len(self.agents)

    @property
    def obs_dim(self) -> int:
        return max(self.obs_dims, default=0)

    @property
    def width(self) -> int:
        """W: the action width of a row of `actions` (1 for discrete spaces)."""
        return 1 if self.discrete else max(self.action_dims, default=0)

    @property
    def num_actions(self) -> int:
        """N: the padded number of discrete actions (0 for continuous spaces)."""
        return max(self.action_dims, default=0) if self.discrete else 0

    def to_json(self) -> dict[str, Any]:
        if self.discrete:
            action: dict[str, Any] = {"kind": "discrete", "n": self.num_actions, "ns": self.action_dims}
        else:
            action = {
                "kind": "continuous",
                "dim": self.width,
                "dims": self.action_dims,
                "low": self.low,
                "high": self.high,
            }
        return {
            "agents": self.agents,
            "obsDim": self.obs_dim,
            "obsDims": self.obs_dims,
            "stateDim": self.state_dim,
            "action": action,
            "episodeLimit": self.episode_limit,
        }


@dataclass
class MakeContext:
    """What a family may need from the server besides its args."""

    protocol_stream: BinaryIO
    """The protocol's output stream (only the fake env's ``garbageAtStep`` writes to it)."""


class EnvBatch:
    """A batch of ``copies`` env copies. Subclasses implement the methods below."""

    spaces: Spaces
    copies: int

    def reset(self, copies: list[int], seeds: list[int]) -> list[OutArray]:
        """Resets the listed copies with their seeds; arrays obs, state, active, avail (discrete)."""
        raise NotImplementedError

    def step(self, actions: Any) -> list[OutArray]:
        """Steps every copy. ``actions`` is a flat ``array.array('f')`` [copies, A, W], validated
        and clipped by the server; entries of inactive agents and padded entries are to be ignored.
        Returns obs, state, active, avail (discrete), rewards, dones, episodeDone."""
        raise NotImplementedError

    def bench(self, steps: int, seed: int) -> float:
        """Seconds to step every copy ``steps`` times with random valid actions, resets included."""
        raise NotImplementedError

    def close(self) -> None:
        """Releases the envs; errors are the caller's to log."""


def all_finite(data: Any) -> bool:
    """Whether a float array (numpy or ``array.array``) holds no NaN or infinity."""
    if hasattr(data, "dtype"):
        import numpy as np

        return bool(np.isfinite(data).all())
    return all(map(math.isfinite, data))


def as_bytes_list(data: Any) -> list[int]:
    """The values of a uint8 array (numpy or ``array.array('B')``) as a list."""
    return memoryview(data).cast("B").tolist()

"""Family "fake": a tiny deterministic env for the Node side's tests, with fault hooks. Stdlib only.

Everything depends only on the kwargs, the reset seed and the step index ``t`` of the copy's
episode (0 after reset, 1 after the first step, ...):

- obs of agent j: ``[t, j, u(seed, t, j, 2), u(seed, t, j, 3), ...]`` cut to its obs length, where
  ``u`` is a 32-bit hash mapped to [0, 1) in steps of 2^-24 (exact in float32);
- state: ``[t, u(seed, t, -1, 1), ...]`` (``stateDim`` entries);
- reward of agent j: the sum of its action entries (discrete: the action index; continuous: the
  clipped entries of its ``dims[j]``) plus j;
- an agent leaves (dones 1) at step ``leaveAtStep[j]`` (0 = never); every agent left at step
  ``episodeLimit`` (0 = no limit).

kwargs: ``agents`` (3), ``obsDim`` (4) or ``obsDims`` (per agent), ``stateDim`` (2), discrete ``n`` (5)
or ``ns`` (per agent) and ``unavailable`` (action indices never available), or ``continuous: true``
with ``dim`` (2) or ``dims``, ``low`` (-1), ``high`` (1); ``episodeLimit`` (10); ``leaveAtStep``.
Fault hooks, each the step index t at which it fires in any copy: ``crashAtStep`` (os._exit(3)),
``hangAtStep`` (sleeps forever), ``garbageAtStep`` (non-frame bytes on the protocol stream, then
the normal reply), ``printAtStep`` (print to sys.stdout and os.write(1, ...): must land on stderr),
``raiseAtStep`` (an exception: ENV_ERROR), ``nanAtStep`` (a NaN in obs: NONFINITE); and
``stderrLines`` (that many numbered lines on stderr during make).
"""

from __future__ import annotations

import os
import random
import sys
import time
from array import array
from typing import Any

from .batch import EnvBatch, MakeContext, Spaces
from .errors import BridgeError, env_error
from .frames import OutArray

GARBAGE = b"garbage from the fake env: not a frame\n"
"""Its first 4 bytes read as a u32 length are far over the 256 MiB limit, as any text's are."""

_INT_KWARGS = {
    "agents": 3,
    "obsDim": 4,
    "stateDim": 2,
    "n": 5,
    "dim": 2,
    "episodeLimit": 10,
    "crashAtStep": 0,
    "hangAtStep": 0,
    "garbageAtStep": 0,
    "printAtStep": 0,
    "raiseAtStep": 0,
    "nanAtStep": 0,
    "stderrLines": 0,
}
_LIST_KWARGS = ("obsDims", "ns", "dims", "leaveAtStep", "unavailable")
_OTHER_KWARGS = ("continuous", "low", "high")


def _mix(*values: int) -> int:
    """A 32-bit hash of integers (FNV-1a over 32-bit words, murmur3's finaliser)."""
    h = 0x811C9DC5
    for v in values:
        for word in (v & 0xFFFFFFFF, (v >> 32) & 0xFFFFFFFF):
            h = ((h ^ word) * 0x01000193) & 0xFFFFFFFF
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    return h ^ (h >> 16)


def unit(seed: int, t: int, j: int, i: int) -> float:
    """A value in [0, 1), a multiple of 2^-24, from (seed, t, j, i)."""
    return (_mix(seed, t, j, i) >> 8) / 16777216.0


def _int_list(kwargs: dict[str, Any], name: str, length: int | None, default: list[int]) -> list[int]:
    value = kwargs.get(name, default)
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise BridgeError("BAD_REQUEST", f"kwargs.{name}: expected a list of integers, received {value!r}")
    if length is not None and len(value) != length:
        raise BridgeError("BAD_REQUEST", f"kwargs.{name}: expected {length} entries, received {len(value)}")
    return value


class FakeConfig:
    """The checked kwargs."""

    def __init__(self, kwargs: dict[str, Any]) -> None:
        unknown = sorted(set(kwargs) - set(_INT_KWARGS) - set(_LIST_KWARGS) - set(_OTHER_KWARGS))
        if unknown:
            raise BridgeError("BAD_REQUEST", f"fake env: unknown kwargs {unknown}")
        for name, default in _INT_KWARGS.items():
            value = kwargs.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise BridgeError("BAD_REQUEST", f"kwargs.{name}: expected an integer >= 0, received {value!r}")
            setattr(self, name, value)
        self.agents: int = max(self.agents, 1)
        self.continuous = bool(kwargs.get("continuous", False))
        self.obs_dims = _int_list(kwargs, "obsDims", self.agents, [self.obsDim] * self.agents)
        if self.continuous:
            self.action_dims = _int_list(kwargs, "dims", self.agents, [self.dim] * self.agents)
        else:
            self.action_dims = _int_list(kwargs, "ns", self.agents, [self.n] * self.agents)
        if min(self.action_dims) < 1:
            raise BridgeError("BAD_REQUEST", "fake env: every agent needs at least one action entry")
        self.leave_at = _int_list(kwargs, "leaveAtStep", self.agents, [0] * self.agents)
        self.unavailable = set(_int_list(kwargs, "unavailable", None, []))
        self.low = float(kwargs.get("low", -1.0))
        self.high = float(kwargs.get("high", 1.0))


class FakeCopy:
    """One copy's episode: its seed, step index and which agents are still in."""

    def __init__(self, cfg: FakeConfig) -> None:
        self.cfg = cfg
        self.seed = 0
        self.t = 0
        self.alive = [False] * cfg.agents

    def reset(self, seed: int) -> None:
        self.seed, self.t = seed, 0
        self.alive = [True] * self.cfg.agents

    def step(self, actions: array, base: int, width: int, context: MakeContext | None) -> list[float]:
        """Plays one step; returns the rewards (0 for agents that had left)."""
        cfg = self.cfg
        self.t += 1
        t = self.t
        if context is not None:
            self.fire_faults(t, context)
        rewards = [0.0] * cfg.agents
        for j in range(cfg.agents):
            if not self.alive[j]:
                continue
            row = base + j * width
            taken = actions[row : row + (width if cfg.continuous else 1)]
            total = sum(taken[: cfg.action_dims[j]]) if cfg.continuous else taken[0]
            rewards[j] = float(total) + j
            if cfg.leave_at[j] == t or (cfg.episodeLimit and t >= cfg.episodeLimit):
                self.alive[j] = False
        return rewards

    def fire_faults(self, t: int, context: MakeContext) -> None:
        cfg = self.cfg
        if cfg.crashAtStep == t:
            os._exit(3)
        if cfg.hangAtStep == t:
            while True:
                time.sleep(3600)
        if cfg.garbageAtStep == t:
            context.protocol_stream.write(GARBAGE)
            context.protocol_stream.flush()
        if cfg.printAtStep == t:
            print(f"fake env print() at step {t}")
            sys.stdout.flush()
            os.write(1, f"fake env os.write(1) at step {t}\n".encode())
        if cfg.raiseAtStep == t:
            raise RuntimeError(f"fake env raised at step {t}")

    def write_obs(self, out: array, offset: int, obs_dim: int, just_left: list[bool]) -> None:
        """Writes this copy's [A, O] observations at ``offset``: zero for agents that had left."""
        cfg = self.cfg
        for j in range(cfg.agents):
            if not (self.alive[j] or just_left[j]):
                continue
            row = offset + j * obs_dim
            for i in range(cfg.obs_dims[j]):
                out[row + i] = float(self.t) if i == 0 else float(j) if i == 1 else unit(self.seed, self.t, j, i)
            if cfg.nanAtStep and cfg.nanAtStep == self.t:
                out[row] = float("nan")

    def write_state(self, out: array, offset: int) -> None:
        for k in range(self.cfg.stateDim):
            out[offset + k] = float(self.t) if k == 0 else unit(self.seed, self.t, -1, k)


class FakeBatch(EnvBatch):
    """``copies`` fake copies behind the protocol."""

    def __init__(self, kwargs: dict[str, Any], copies: int, context: MakeContext) -> None:
        cfg = FakeConfig(kwargs)
        self.cfg = cfg
        self.copies = copies
        self.context = context
        self.envs = [FakeCopy(cfg) for _ in range(copies)]
        self.spaces = Spaces(
            agents=[f"agent_{j}" for j in range(cfg.agents)],
            obs_dims=list(cfg.obs_dims),
            state_dim=cfg.stateDim,
            discrete=not cfg.continuous,
            action_dims=list(cfg.action_dims),
            low=cfg.low if cfg.continuous else 0.0,
            high=cfg.high if cfg.continuous else 0.0,
            episode_limit=cfg.episodeLimit,
        )
        for line in range(1, cfg.stderrLines + 1):
            print(f"fake env stderr line {line} of {cfg.stderrLines}", file=sys.stderr)
        sys.stderr.flush()

    def outputs(self, copies: list[int], left_now: list[list[bool]]) -> list[OutArray]:
        """obs, state, active and avail (discrete) of the listed copies."""
        sp = self.spaces
        k, a, o, s, n = len(copies), sp.num_agents, sp.obs_dim, sp.state_dim, sp.num_actions
        obs = array("f", bytes(4 * k * a * o))
        state = array("f", bytes(4 * k * s))
        active = array("B", bytes(k * a))
        for i, c in enumerate(copies):
            env = self.envs[c]
            env.write_obs(obs, i * a * o, o, left_now[i])
            env.write_state(state, i * s)
            for j in range(a):
                active[i * a + j] = 1 if env.alive[j] else 0
        arrays = [
            OutArray("obs", "float32", (k, a, o), obs),
            OutArray("state", "float32", (k, s), state),
            OutArray("active", "uint8", (k, a), active),
        ]
        if sp.discrete:
            row = [0] * (a * n)
            for j in range(a):
                for x in range(sp.action_dims[j]):
                    row[j * n + x] = 0 if x in self.cfg.unavailable else 1
            arrays.append(OutArray("avail", "uint8", (k, a, n), array("B", row * k)))
        return arrays

    def reset(self, copies: list[int], seeds: list[int]) -> list[OutArray]:
        for c, seed in zip(copies, seeds):
            self.envs[c].reset(seed)
        return self.outputs(copies, [[False] * self.spaces.num_agents for _ in copies])

    def step(self, actions: Any) -> list[OutArray]:
        sp = self.spaces
        a, w = sp.num_agents, sp.width
        rewards = array("d")
        dones = array("B")
        episode_done = array("B")
        left_now = []
        for c, env in enumerate(self.envs):
            before = list(env.alive)
            try:
                rewards.extend(env.step(actions, c * a * w, w, self.context))
            except BridgeError:
                raise
            except Exception as exc:  # noqa: BLE001 - the env's own failure (raiseAtStep)
                raise env_error(exc, f"step {env.t} of copy {c}") from None
            left_now.append([was and not now for was, now in zip(before, env.alive)])
            dones.extend(0 if alive else 1 for alive in env.alive)
            episode_done.append(0 if any(env.alive) else 1)
        arrays = self.outputs(list(range(self.copies)), left_now)
        return [
            *arrays,
            OutArray("rewards", "float64", (self.copies, a), rewards),
            OutArray("dones", "uint8", (self.copies, a), dones),
            OutArray("episodeDone", "uint8", (self.copies,), episode_done),
        ]

    def bench(self, steps: int, seed: int) -> float:
        sp = self.spaces
        rng = random.Random(seed)
        a, w = sp.num_agents, sp.width
        plans = []
        for _ in range(steps):
            actions = array("f", bytes(4 * self.copies * a * w))
            for x in range(len(actions)):
                j = (x // w) % a
                if sp.discrete:
                    choices = [v for v in range(sp.action_dims[j]) if v not in self.cfg.unavailable] or [0]
                    actions[x] = float(rng.choice(choices))
                else:
                    actions[x] = rng.uniform(sp.low, sp.high)
            plans.append(actions)
        start = time.perf_counter()
        next_seed = seed
        for c, env in enumerate(self.envs):
            env.reset(next_seed + c)
        next_seed += self.copies
        for actions in plans:
            for c, env in enumerate(self.envs):
                env.step(actions, c * a * w, w, None)
                if not any(env.alive):
                    env.reset(next_seed)
                    next_seed += 1
        return time.perf_counter() - start

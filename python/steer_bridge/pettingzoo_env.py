"""Family "pettingzoo": any PettingZoo ParallelEnv as a batch of copies (docs/envs/bridge-protocol.md).

``make`` imports ``pettingzoo.<module>.<env>`` and builds ``copies`` envs with ``parallel_env(**kwargs)``.
Agent order is ``possible_agents``. Observation spaces: Box (flattened), Discrete (one-hot), or a
Dict ``{"observation", "action_mask"}`` whose mask feeds ``avail`` (a mask in ``infos[agent]
["action_mask"]`` does too). Action spaces: all Discrete (start 0), or all Box with one finite low
and one finite high for every entry of every agent; anything else is UNSUPPORTED. Needs numpy.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import re
import time
from typing import Any

from .batch import EnvBatch, Spaces
from .errors import BridgeError, env_error
from .frames import OutArray

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --- import and build ---------------------------------------------------------------------------


def _missing(package: str, exc: BaseException, what: str) -> BridgeError:
    return BridgeError(
        "MISSING_PACKAGE",
        f"cannot import {what}: {type(exc).__name__}: {exc} (install the bridge's requirements: steer bridge setup)",
        {"package": package, "error": f"{type(exc).__name__}: {exc}"},
    )


def _import_env_module(module: str, env: str) -> Any:
    name = f"pettingzoo.{module}.{env}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = exc.name or ""
        if missing == name or (missing.startswith("pettingzoo.") and name.startswith(missing + ".")):
            raise BridgeError(
                "BAD_REQUEST", f"PettingZoo has no env {module}.{env} ({exc})", {"module": module, "env": env}
            ) from None
        raise _missing(missing.split(".")[0] or "pettingzoo", exc, name) from None
    except ImportError as exc:
        raise _missing((exc.name or "pettingzoo").split(".")[0], exc, name) from None
    except Exception as exc:  # noqa: BLE001 - gymnasium's DependencyNotInstalled is no ImportError
        if type(exc).__name__ == "DependencyNotInstalled":
            words = re.findall(r"[A-Za-z0-9_\-]+", str(exc))
            raise _missing(words[0].lower() if words else "pettingzoo", exc, name) from None
        raise env_error(exc, f"import of {name}") from None


def make_pettingzoo(module: Any, env: Any, kwargs: dict[str, Any], copies: int) -> PettingZooBatch:
    """Imports the env's module and builds ``copies`` parallel envs."""
    for arg, value in (("module", module), ("env", env)):
        if not isinstance(value, str) or not _NAME.match(value):
            raise BridgeError("BAD_REQUEST", f"args.{arg}: expected a Python identifier, received {value!r}")
    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise _missing("numpy", exc, "numpy") from None
    if importlib.util.find_spec("pettingzoo") is None:
        raise _missing("pettingzoo", ModuleNotFoundError("No module named 'pettingzoo'"), "pettingzoo")
    mod = _import_env_module(module, env)
    factory = getattr(mod, "parallel_env", None)
    if not callable(factory):
        raise BridgeError("UNSUPPORTED", f"pettingzoo.{module}.{env} has no parallel_env()", {"env": env})
    envs = []
    for c in range(copies):
        try:
            envs.append(factory(**kwargs))
        except Exception as exc:  # noqa: BLE001 - the env's constructor failed (bad kwargs, engine)
            raise env_error(exc, f"parallel_env(**kwargs) of copy {c}") from None
    return PettingZooBatch(envs)


# --- spaces -------------------------------------------------------------------------------------


class _ObsLayout:
    """How one agent's observation becomes a flat float32 row (and maybe an action mask)."""

    def __init__(self, agent: str, space: Any) -> None:
        import numpy as np

        kind = type(space).__name__
        self.masked = False
        self.one_hot = 0
        if kind == "Dict" and "observation" in space.spaces and "action_mask" in space.spaces:
            self.masked = True
            space = space.spaces["observation"]
            kind = type(space).__name__
        if kind == "Box":
            self.size = int(np.prod(space.shape))
        elif kind == "Discrete":
            self.size = self.one_hot = int(space.n)
        else:
            raise BridgeError(
                "UNSUPPORTED", f"agent {agent}: observation space {space} (Box, Discrete or a masked Dict)"
            )

    def write(self, out: Any, value: Any) -> Any:
        """Writes the row into ``out`` (zeros already); returns the action mask it carried, if any."""
        import numpy as np

        mask = None
        if self.masked:
            mask, value = value["action_mask"], value["observation"]
        if self.one_hot:
            out[int(value)] = 1.0
        else:
            out[: self.size] = np.asarray(value, dtype=np.float32).reshape(-1)
        return mask


def _action_spaces(env: Any, agents: list[str]) -> tuple[bool, list[int], float, float, list[Any]]:
    import numpy as np

    spaces = [env.action_space(agent) for agent in agents]
    kinds = {type(s).__name__ for s in spaces}
    if kinds == {"Discrete"}:
        if any(int(s.start) != 0 for s in spaces):
            raise BridgeError("UNSUPPORTED", "a Discrete action space that does not start at 0")
        return True, [int(s.n) for s in spaces], 0.0, 0.0, spaces
    if kinds == {"Box"}:
        lows = np.concatenate([np.asarray(s.low, dtype=np.float64).reshape(-1) for s in spaces])
        highs = np.concatenate([np.asarray(s.high, dtype=np.float64).reshape(-1) for s in spaces])
        if lows.size == 0 or np.ptp(lows) != 0 or np.ptp(highs) != 0:
            raise BridgeError("UNSUPPORTED", "Box action spaces whose entries have different bounds")
        if not (np.isfinite(lows[0]) and np.isfinite(highs[0])):
            raise BridgeError("UNSUPPORTED", "Box action spaces with infinite bounds")
        dims = [int(np.prod(s.shape)) for s in spaces]
        return False, dims, float(lows[0]), float(highs[0]), spaces
    raise BridgeError(
        "UNSUPPORTED",
        f"action spaces {sorted(kinds)}: the bridge carries all-Discrete or all-Box agents",
        {"spaces": [str(s) for s in spaces]},
    )


def _state_dim(env: Any) -> int:
    """S: the size of ``state_space`` or of ``state()`` after a reset; 0 when the env has no state."""
    import numpy as np

    try:
        space = env.state_space
        return int(np.prod(space.shape))
    except (AttributeError, NotImplementedError, TypeError):
        pass
    if not callable(getattr(env, "state", None)):
        return 0
    try:
        env.reset(seed=0)
    except Exception as exc:  # noqa: BLE001
        raise env_error(exc, "reset while probing the state size") from None
    try:
        return int(np.asarray(env.state()).size)
    except Exception as exc:  # noqa: BLE001 - any failure of state() means: no state (e.g. rps_v2's is a dict)
        print(f"steer_bridge: the env has no usable state() ({type(exc).__name__}: {exc}); none is sent", file=sys.stderr)
        return 0


#: The episode-length attributes PettingZoo envs use, in the order they are looked up.
_LIMIT_ATTRIBUTES = ("max_cycles", "num_cycles", "max_steps", "max_episode_steps")


def _episode_limit(env: Any) -> int:
    """The env's episode length (``max_cycles`` and the like, of the env or what it wraps), else 0."""
    for obj in (env, getattr(env, "unwrapped", None), getattr(env, "aec_env", None)):
        for name in _LIMIT_ATTRIBUTES:
            try:
                value = getattr(obj, name, None)
            except Exception:  # noqa: BLE001 - wrappers may refuse attribute access
                value = None
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
    return 0


# --- the batch ----------------------------------------------------------------------------------


class PettingZooBatch(EnvBatch):
    """PettingZoo parallel envs, one per copy."""

    def __init__(self, envs: list[Any]) -> None:
        env = envs[0]
        agents = [str(a) for a in env.possible_agents]
        self.envs = envs
        self.copies = len(envs)
        self.agent_ids = list(env.possible_agents)
        try:
            self.layouts = [_ObsLayout(str(a), env.observation_space(a)) for a in self.agent_ids]
            discrete, dims, low, high, self.action_space_list = _action_spaces(env, self.agent_ids)
        except BridgeError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise env_error(exc, "reading the spaces") from None
        self.spaces = Spaces(
            agents=agents,
            obs_dims=[layout.size for layout in self.layouts],
            state_dim=_state_dim(env),
            discrete=discrete,
            action_dims=dims,
            low=low,
            high=high,
            episode_limit=_episode_limit(env),
        )
        self.left: list[list[bool]] = [[True] * len(agents) for _ in envs]

    # --- arrays ---

    def _blank(self, k: int) -> dict[str, Any]:
        import numpy as np

        sp = self.spaces
        a = sp.num_agents
        arrays = {
            "obs": np.zeros((k, a, sp.obs_dim), dtype=np.float32),
            "state": np.zeros((k, sp.state_dim), dtype=np.float32),
            "active": np.zeros((k, a), dtype=np.uint8),
        }
        if sp.discrete:
            arrays["avail"] = np.zeros((k, a, sp.num_actions), dtype=np.uint8)
        return arrays

    def _fill(self, out: dict[str, Any], i: int, c: int, obs: dict[Any, Any], infos: dict[Any, Any]) -> None:
        """Row i of the arrays from copy c's latest obs and infos, after self.left[c] is updated."""
        import numpy as np

        sp = self.spaces
        env = self.envs[c]
        for j, agent in enumerate(self.agent_ids):
            mask = None
            if agent in obs:
                mask = self.layouts[j].write(out["obs"][i, j], obs[agent])
            info = infos.get(agent) if isinstance(infos, dict) else None
            if isinstance(info, dict) and info.get("action_mask") is not None:
                mask = info["action_mask"]
            out["active"][i, j] = 0 if self.left[c][j] else 1
            if sp.discrete:
                n = sp.action_dims[j]
                if mask is not None and not self.left[c][j]:
                    out["avail"][i, j, :n] = np.asarray(mask, dtype=np.uint8).reshape(-1)[:n] != 0
                else:
                    out["avail"][i, j, :n] = 1
        if sp.state_dim:
            out["state"][i] = np.asarray(env.state(), dtype=np.float32).reshape(-1)

    @staticmethod
    def _arrays(out: dict[str, Any]) -> list[OutArray]:
        dtypes = {"obs": "float32", "state": "float32", "active": "uint8", "avail": "uint8"}
        dtypes |= {"rewards": "float64", "dones": "uint8", "episodeDone": "uint8"}
        return [OutArray(name, dtypes[name], tuple(value.shape), value) for name, value in out.items()]

    # --- ops ---

    def reset(self, copies: list[int], seeds: list[int]) -> list[OutArray]:
        out = self._blank(len(copies))
        for i, (c, seed) in enumerate(zip(copies, seeds)):
            env = self.envs[c]
            try:
                reply = env.reset(seed=seed)
                obs, infos = reply if isinstance(reply, tuple) else (reply, {})
                live = set(env.agents)
                self.left[c] = [agent not in live for agent in self.agent_ids]
                self._fill(out, i, c, obs, infos)
            except BridgeError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise env_error(exc, f"reset of copy {c} (seed {seed})") from None
        return self._arrays(out)

    def _action_dict(self, env: Any, c: int, row: Any) -> dict[Any, Any]:
        """The env's action dict for copy c from its [A, W] action rows (agents that left: none)."""
        import numpy as np

        sp = self.spaces
        actions: dict[Any, Any] = {}
        live = set(env.agents)
        for j, agent in enumerate(self.agent_ids):
            if agent not in live:
                continue
            space = self.action_space_list[j]
            if sp.discrete:
                actions[agent] = 0 if self.left[c][j] else int(row[j, 0])
            else:
                value = row[j, : sp.action_dims[j]] if not self.left[c][j] else np.full(sp.action_dims[j], sp.low)
                actions[agent] = np.asarray(value, dtype=space.dtype).reshape(space.shape)
        return actions

    def step(self, actions: Any) -> list[OutArray]:
        import numpy as np

        sp = self.spaces
        a = sp.num_agents
        acts = np.frombuffer(actions, dtype=np.float32).reshape(self.copies, a, sp.width)
        out = self._blank(self.copies)
        out["rewards"] = np.zeros((self.copies, a), dtype=np.float64)
        out["dones"] = np.zeros((self.copies, a), dtype=np.uint8)
        out["episodeDone"] = np.zeros(self.copies, dtype=np.uint8)
        for c, env in enumerate(self.envs):
            try:
                obs, rewards, terms, truncs, infos = env.step(self._action_dict(env, c, acts[c]))
                live = set(env.agents)
                for j, agent in enumerate(self.agent_ids):
                    ended = bool(terms.get(agent, False)) or bool(truncs.get(agent, False))
                    self.left[c][j] = self.left[c][j] or ended or agent not in live
                    out["rewards"][c, j] = float(rewards.get(agent, 0.0))
                    out["dones"][c, j] = 1 if self.left[c][j] else 0
                out["episodeDone"][c] = 1 if all(self.left[c]) else 0
                self._fill(out, c, c, obs, infos)
            except BridgeError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise env_error(exc, f"step of copy {c}") from None
        return self._arrays(out)

    def bench(self, steps: int, seed: int) -> float:
        import numpy as np

        sp = self.spaces
        rng = np.random.default_rng(seed)
        a = sp.num_agents
        if sp.discrete:
            draws = rng.random((steps, self.copies, a, 1))
            plan = np.floor(draws * np.asarray(sp.action_dims).reshape(1, 1, a, 1)).astype(np.float32)
        else:
            plan = rng.uniform(sp.low, sp.high, (steps, self.copies, a, sp.width)).astype(np.float32)
        try:
            start = time.perf_counter()
            next_seed = seed
            for env in self.envs:
                env.reset(seed=next_seed)
                next_seed += 1
            for t in range(steps):
                for c, env in enumerate(self.envs):
                    self.left[c] = [False] * a
                    env.step(self._action_dict(env, c, plan[t, c]))
                    if not env.agents:
                        env.reset(seed=next_seed)
                        next_seed += 1
            return time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001
            raise env_error(exc, "bench") from None

    def close(self) -> None:
        for env in self.envs:
            env.close()

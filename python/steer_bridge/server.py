"""The bridge server: ``python -u -m steer_bridge.server`` (docs/envs/bridge-protocol.md).

Reads top to bottom: process set-up (stdout hygiene, die with the parent) → hello → the request
loop → one handler per op. The core is stdlib only so that a bare ``python3`` can run the fake env;
the env families import what they need when ``make`` names them.
"""

from __future__ import annotations

import array
import math
import os
import signal
import sys
import traceback
from typing import Any, BinaryIO, NoReturn

from .batch import EnvBatch, MakeContext, all_finite, as_bytes_list
from .errors import BridgeError
from .frames import EndOfStream, FrameWriter, OutArray, Request, read_request

PROTOCOL = "steer-bridge/1"
HELLO_PACKAGES = ("numpy", "pettingzoo", "gfootball")


# --- process set-up -----------------------------------------------------------------------------


def isolate_protocol_fds() -> tuple[BinaryIO, BinaryIO]:
    """Keeps private copies of fd 0 and fd 1 for the protocol, then points fd 1 and ``sys.stdout``
    at stderr and fd 0 at /dev/null, so nothing an env package prints (Python or C) reaches the
    protocol and nothing it reads steals a request. The copies are not inherited by subprocesses."""
    proto_in = os.dup(0)
    proto_out = os.dup(1)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    return os.fdopen(proto_in, "rb", buffering=1 << 16), os.fdopen(proto_out, "wb", buffering=1 << 16)


def die_with_parent() -> None:
    """Linux: asks the kernel to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG).
    Note: "parent" is the thread that spawned us. Elsewhere, or if libc refuses, EOF on stdin is the
    only way out, which is enough when the parent closes its pipes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        parent = os.getppid()
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0) != 0:
            return
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(0)
    except Exception:  # noqa: BLE001 - best effort, see the doc comment
        return


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages the hello reports, without importing them."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in HELLO_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def log(message: str) -> None:
    """One line on stderr, the server's log."""
    print(f"[steer_bridge {os.getpid()}] {message}", file=sys.stderr, flush=True)


# --- argument checks ----------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def arg_int(args: dict[str, Any], name: str, minimum: int | None = None) -> int:
    """args[name] as an int (>= minimum), else BAD_REQUEST naming the arg."""
    value = args.get(name)
    if not _is_int(value) or (minimum is not None and value < minimum):
        bound = f" >= {minimum}" if minimum is not None else ""
        raise BridgeError("BAD_REQUEST", f"args.{name}: expected an integer{bound}, received {value!r}")
    return value


def arg_int_list(args: dict[str, Any], name: str, minimum: int = 0) -> list[int]:
    """args[name] as a list of ints >= minimum, else BAD_REQUEST naming the arg."""
    value = args.get(name)
    if not isinstance(value, list) or not all(_is_int(v) and v >= minimum for v in value):
        raise BridgeError(
            "BAD_REQUEST", f"args.{name}: expected a list of integers >= {minimum}, received {value!r}"
        )
    return value


# --- the server ---------------------------------------------------------------------------------


class Server:
    """One env batch behind the protocol: request in, one reply out, in order."""

    def __init__(self, reader: BinaryIO, writer: FrameWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.batch: EnvBatch | None = None
        self.broken: BridgeError | None = None
        # per copy: whether its episode is running, and the active / avail rows last sent
        self.running: list[bool] = []
        self.active: list[list[int]] = []
        self.avail: list[list[int]] = []

    def hello(self) -> None:
        self.writer.write(
            {
                "event": "hello",
                "protocol": PROTOCOL,
                "pid": os.getpid(),
                "python": ".".join(str(v) for v in sys.version_info[:3]),
                "packages": package_versions(),
            }
        )

    def serve(self) -> NoReturn:
        """Answers requests until `close` or EOF on stdin, then exits with code 0."""
        while True:
            try:
                request = read_request(self.reader)
            except EndOfStream as eof:
                log(f"stdin closed ({eof}); exiting")
                self.exit(0)
            except BridgeError as error:
                self.reply_error(error.request_id, error)
                continue
            self.handle(request)

    def handle(self, request: Request) -> None:
        op = request.op
        try:
            if self.broken is not None and op != "close":
                raise BridgeError(
                    self.broken.code,
                    f"the server is broken since an earlier {self.broken.code} ({self.broken.message});"
                    " only close is answered",
                    {"broken": True},
                )
            if not isinstance(request.args, dict):
                raise BridgeError("BAD_REQUEST", "args must be a JSON object")
            handler = self.HANDLERS.get(op) if isinstance(op, str) else None
            if handler is None:
                raise BridgeError("BAD_REQUEST", f"unknown op {op!r}; expected one of {sorted(self.HANDLERS)}")
            result, arrays = handler(self, request)
        except BridgeError as error:
            if error.breaks and self.broken is None:
                self.broken = error
            self.reply_error(request.id, error)
            return
        except Exception as exc:  # noqa: BLE001 - a bug in the server: report it, then refuse all but close
            error = BridgeError(
                "INTERNAL",
                f"{type(exc).__name__} in the server during {op}: {exc}",
                {"type": type(exc).__name__, "traceback": traceback.format_exc()},
            )
            self.broken = error
            self.reply_error(request.id, error)
            return
        self.reply_ok(request.id, result, arrays)
        if op == "close":
            self.exit(0)

    # --- replies ---

    def reply_ok(self, rid: int | None, result: dict[str, Any], arrays: list[OutArray]) -> None:
        try:  # the frame is encoded whole before its first byte is written
            self.writer.write({"id": rid, "ok": True, "result": result}, arrays)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. a NaN in a result: still answer the request
            error = BridgeError("INTERNAL", f"cannot encode the reply: {exc}", {"type": type(exc).__name__})
            self.broken = error
            self.reply_error(rid, error)

    def reply_error(self, rid: int | None, error: BridgeError) -> None:
        body = {"code": error.code, "message": error.message, "detail": error.detail}
        try:
            self.writer.write({"id": rid, "ok": False, "error": body})
        except ValueError:  # a detail JSON cannot carry: send it as text
            body["detail"] = {"text": repr(error.detail)}
            self.writer.write({"id": rid, "ok": False, "error": body})
        log(f"{error.code}: {error.message}")

    def exit(self, code: int) -> NoReturn:
        if self.batch is not None:
            try:
                self.batch.close()
            except Exception as exc:  # noqa: BLE001 - closing is best effort
                log(f"closing the env failed: {type(exc).__name__}: {exc}")
        try:
            self.writer.stream.flush()
        except OSError:
            pass
        sys.stderr.flush()
        os._exit(code)  # no interpreter teardown: env packages (pygame, engines) may hang in it

    # --- ops ---

    def op_make(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        args = request.args
        if self.batch is not None:
            raise BridgeError("ALREADY_MADE", "make was already called on this server")
        family = args.get("family")
        if not isinstance(family, str):
            raise BridgeError("BAD_REQUEST", f"args.family: expected a string, received {family!r}")
        copies = arg_int(args, "copies", 1)
        kwargs = args.get("kwargs", {})
        if not isinstance(kwargs, dict):
            raise BridgeError("BAD_REQUEST", f"args.kwargs: expected an object, received {kwargs!r}")
        context = MakeContext(protocol_stream=self.writer.stream)
        if family == "fake":
            from .fake_env import FakeBatch

            batch: EnvBatch = FakeBatch(kwargs, copies, context)
        elif family == "pettingzoo":
            from .pettingzoo_env import make_pettingzoo

            batch = make_pettingzoo(args.get("module"), args.get("env"), kwargs, copies)
        else:
            raise BridgeError(
                "UNSUPPORTED", f"unknown env family {family!r}; expected fake or pettingzoo", {"family": family}
            )
        self.batch = batch
        self.running = [False] * copies
        self.active = [[0] * batch.spaces.num_agents for _ in range(copies)]
        self.avail = [[] for _ in range(copies)]
        return {"spaces": batch.spaces.to_json()}, []

    def made(self) -> EnvBatch:
        if self.batch is None:
            raise BridgeError("NOT_MADE", "make must come first")
        return self.batch

    def op_reset(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        batch = self.made()
        copies = arg_int_list(request.args, "copies")
        seeds = arg_int_list(request.args, "seeds")
        if len(seeds) != len(copies):
            raise BridgeError("BAD_REQUEST", f"args.seeds has {len(seeds)} entries, args.copies {len(copies)}")
        if len(set(copies)) != len(copies) or any(c >= batch.copies for c in copies):
            raise BridgeError(
                "BAD_REQUEST", f"args.copies must be distinct copies in [0, {batch.copies}), received {copies}"
            )
        for c in copies:  # a failed reset leaves these copies needing another one
            self.running[c] = False
        arrays = batch.reset(copies, seeds)
        self.check_finite(arrays, "reset")
        self.remember(arrays, copies, None)
        return {}, arrays

    def op_step(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        batch = self.made()
        actions = self.checked_actions(request, batch)
        stopped = [c for c in range(batch.copies) if not self.running[c]]
        if stopped:
            raise BridgeError(
                "NOT_RUNNING", f"copies {stopped} have no running episode; reset them first", {"copies": stopped}
            )
        self.running = [False] * batch.copies  # until the step has succeeded
        arrays = batch.step(actions)
        self.check_finite(arrays, "step")
        episode_done = as_bytes_list(next(a.data for a in arrays if a.name == "episodeDone"))
        self.remember(arrays, list(range(batch.copies)), episode_done)
        return {}, arrays

    def op_bench(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        batch = self.made()
        steps = arg_int(request.args, "steps", 0)
        seed = arg_int(request.args, "seed", 0)
        self.running = [False] * batch.copies  # bench leaves the copies mid-episode: reset them
        return {"seconds": batch.bench(steps, seed)}, []

    def op_ping(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        return {}, []

    def op_close(self, request: Request) -> tuple[dict[str, Any], list[OutArray]]:
        return {}, []

    HANDLERS = {
        "make": op_make,
        "reset": op_reset,
        "step": op_step,
        "bench": op_bench,
        "ping": op_ping,
        "close": op_close,
    }

    # --- helpers ---

    def check_finite(self, arrays: list[OutArray], op: str) -> None:
        for out in arrays:
            if out.name in ("obs", "state", "rewards") and not all_finite(out.data):
                raise BridgeError("NONFINITE", f"the env's {out.name} after {op} holds a NaN or infinity")

    def remember(self, arrays: list[OutArray], copies: list[int], episode_done: list[int] | None) -> None:
        """Keeps the active and avail rows just sent, to validate the next actions."""
        spaces = self.made().spaces
        a, n = spaces.num_agents, spaces.num_actions
        by_name = {out.name: out for out in arrays}
        active = as_bytes_list(by_name["active"].data)
        avail = as_bytes_list(by_name["avail"].data) if spaces.discrete else []
        for i, c in enumerate(copies):
            self.active[c] = active[i * a : (i + 1) * a]
            if spaces.discrete:
                self.avail[c] = avail[i * a * n : (i + 1) * a * n]
            self.running[c] = not (episode_done is not None and episode_done[i]) and any(self.active[c])

    def checked_actions(self, request: Request, batch: EnvBatch) -> array.array:
        """The `actions` array as flat float32, validated for active agents and clipped (continuous)."""
        spaces = batch.spaces
        found = request.arrays.get("actions")
        if found is None or found.dtype != "float32":
            raise BridgeError("BAD_REQUEST", "step needs an array named actions of dtype float32")
        expected = (batch.copies, spaces.num_agents, spaces.width)
        if tuple(found.shape) != expected:
            raise BridgeError(
                "BAD_ACTION",
                f"actions: expected shape {list(expected)}, received {list(found.shape)}",
                {"expected": list(expected), "received": list(found.shape)},
            )
        actions = array.array("f")
        actions.frombytes(found.data)
        if sys.byteorder != "little":
            actions.byteswap()
        copies, agents, width = expected
        for c in range(copies):
            if not self.running[c]:
                continue  # NOT_RUNNING is reported after the shape checks
            for a in range(agents):
                if self.active[c][a]:
                    self.check_agent_action(actions, c, a, spaces)
        return actions

    def check_agent_action(self, actions: array.array, c: int, a: int, spaces: Any) -> None:
        agents, width = spaces.num_agents, spaces.width
        base = (c * agents + a) * width

        def bad(value: float, why: str) -> BridgeError:
            return BridgeError(
                "BAD_ACTION",
                f"actions[{c}][{a}] ({spaces.agents[a]}): {why}, received {value}",
                {"copy": c, "agent": a, "value": value if math.isfinite(value) else str(value)},
            )

        if spaces.discrete:
            value = actions[base]
            n = spaces.num_actions
            if not math.isfinite(value) or value != int(value) or not 0 <= value < n:
                raise bad(value, f"expected an integer in [0, {spaces.action_dims[a]})")
            if not self.avail[c][a * n + int(value)]:
                raise bad(value, "that action is unavailable")
            return
        for i in range(spaces.action_dims[a]):
            value = actions[base + i]
            if not math.isfinite(value):
                raise bad(value, f"entry {i} must be finite")
            actions[base + i] = min(max(value, spaces.low), spaces.high)


def main() -> NoReturn:
    reader, writer_stream = isolate_protocol_fds()
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal goes to the client, which closes us
    server = Server(reader, FrameWriter(writer_stream))
    try:
        server.hello()
        server.serve()
    except BrokenPipeError:
        log("the client closed stdout; exiting")
        os._exit(1)


if __name__ == "__main__":
    main()

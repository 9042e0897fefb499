"""STEER Studio's Python environment bridge (protocol steer-bridge/1, docs/envs/bridge-protocol.md).

Run the server as ``python -u -m steer_bridge.server`` with this folder's parent on PYTHONPATH.
"""

"""JSON read as an attacker might write it: no duplicate keys, no NaN, bounded size and depth."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 8


class JSONRefused(ValueError):
    """The text is not JSON this program accepts; the message says why."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JSONRefused(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise JSONRefused(f"{name} is not a number JSON allows")


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=_constant)
_FAST = json.JSONDecoder(parse_constant=_constant)
_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(text: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON value; JSONRefused if it is malformed, ambiguous or nested too deep."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        value = _DECODER.decode(text)
    except JSONRefused:
        raise
    except UnicodeDecodeError:
        raise JSONRefused("the text is not UTF-8") from None
    except RecursionError:
        raise JSONRefused("it is nested too deeply") from None
    except ValueError as error:  # json.JSONDecodeError, or an integer with too many digits
        raise JSONRefused(str(error)) from None
    if _depth(value, max_depth) > max_depth:
        raise JSONRefused(f"it is nested more than {max_depth} levels deep")
    return value


def loads_canonical(data: bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON that must be in the canonical form this program writes (sorted keys, no spaces).

    Faster than ``loads`` for the many lines of a bundle, and stricter: a line
    that parses but is not canonical (duplicate keys, spaces, escapes where
    none are needed) is refused. The reason given is ``loads``'s when it has one.
    """
    try:
        value = _FAST.decode(data.decode("utf-8"))
    except (ValueError, RecursionError):
        value = loads(data, max_depth=max_depth)  # raises with the precise reason
    if _CANONICAL.encode(value).encode() != data:
        loads(data, max_depth=max_depth)
        raise JSONRefused("it is not written in the canonical form (sorted keys, no spaces)")
    if data.count(b"{") + data.count(b"[") > max_depth and _depth(value, max_depth) > max_depth:
        raise JSONRefused(f"it is nested more than {max_depth} levels deep")
    return value


def _depth(value: Any, limit: int, level: int = 0) -> int:
    """How many containers deep ``value`` goes (a scalar: 0), stopping past ``limit``."""
    if not isinstance(value, (dict, list)):
        return level
    level += 1
    if level > limit:
        return level
    children = value.values() if isinstance(value, dict) else value
    return max((_depth(child, limit, level) for child in children), default=level)

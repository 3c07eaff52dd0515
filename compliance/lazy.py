"""What is built on first use and not kept when an object is pickled.

Objects worked out per post on first use (a surface's hashtags, a post's language) are plain
attributes that a property fills: see `Surface`. That keeps those classes compilable as
native classes by the compiled build (mypyc), which gives instances no `__dict__` for a
descriptor to store into.
"""

from __future__ import annotations

from typing import Any


class Transient(dict[Any, Any]):
    """A cache that pickles as empty: what it holds (the Rust automata, which do not pickle)
    is built again on first use after a checker is read back (the audit cache, a Spark
    broadcast). Holding such things here, rather than clearing them in a `__getstate__`,
    leaves the owning class's pickling to Python, or to mypyc for a compiled class."""

    def __reduce__(self) -> tuple[type[Transient], tuple[()]]:
        return (Transient, ())

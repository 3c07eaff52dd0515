"""`lazy`: an attribute computed on first use and kept on the instance.

What `functools.cached_property` does, without the lock it takes on every first access in
Python 3.11 (removed in 3.12 as useless: it serialised all instances of a class). The objects
that use this (a post's surfaces and check context) live in one thread; a check reads a dozen
such attributes, so the lock cost a few percent of a check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class lazy(Generic[T]):
    """A non-data descriptor: after the first access the instance's own attribute is found
    first, so later reads cost a plain attribute look-up."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        # a method compiled by mypyc may carry neither; `__set_name__` gives the name
        self.name = getattr(func, "__name__", "")
        self.__doc__ = getattr(func, "__doc__", None)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | lazy[T]:
        if instance is None:
            return self
        value = self.func(instance)
        instance.__dict__[self.name] = value
        return value


class Transient(dict[Any, Any]):
    """A cache that pickles as empty: what it holds (the Rust automata, which do not pickle)
    is built again on first use after a checker is read back (the audit cache, a Spark
    broadcast). Holding such things here, rather than clearing them in a `__getstate__`,
    leaves the owning class's pickling to Python, or to mypyc for a compiled class."""

    def __reduce__(self) -> tuple[type[Transient], tuple[()]]:
        return (Transient, ())

"""Which engine runs processing: the choice itself, cheap to import (the Dask machinery is imported on use)."""

from __future__ import annotations

from dataclasses import dataclass

ENGINES = ("local", "dask")


class EngineError(RuntimeError):
    """The cluster cannot be reached or used as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Engine:
    """Where processing runs: ``local`` (worker processes of this machine) or ``dask`` (a Dask cluster at
    ``address``, or a local one of ``workers`` processes when no address is given)."""

    name: str = "local"
    address: str | None = None
    workers: int | None = None

    def __post_init__(self) -> None:
        if self.name not in ENGINES:
            raise EngineError(f"unknown engine {self.name!r}; choose one of {', '.join(ENGINES)}")
        if self.address and self.name != "dask":
            raise EngineError("--cluster needs --engine dask")

    @property
    def distributed(self) -> bool:
        return self.name == "dask"

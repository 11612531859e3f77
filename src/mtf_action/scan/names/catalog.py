"""The RG-02 reference lists (``popular_mcp_names.json``, ``mcp_service_names.json``), typed."""

from __future__ import annotations

import functools

from pydantic import BaseModel, ConfigDict, Field

from mtf_action.data import read_json


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NameGroup(_Strict):
    id: str
    source: str
    names: list[str] = Field(min_length=1)


class PopularNames(_Strict):
    description: str
    updated: str
    groups: list[NameGroup]

    def all_names(self) -> list[tuple[str, str]]:
        """(name, group id) of every listed name, first listing wins."""
        seen: dict[str, str] = {}
        for group in self.groups:
            for name in group.names:
                seen.setdefault(name, group.id)
        return list(seen.items())


class Service(_Strict):
    name: str
    tokens: list[str] = Field(min_length=1)
    scopes: list[str]
    domains: list[str]
    repository_owners: list[str]


class Services(_Strict):
    description: str
    source: str
    services: list[Service]


@functools.cache
def popular_names() -> PopularNames:
    return PopularNames.model_validate(read_json("popular_mcp_names.json"))


@functools.cache
def services() -> Services:
    return Services.model_validate(read_json("mcp_service_names.json"))

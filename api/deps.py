"""Typed dependencies: the settings and the store, opened lazily once per app."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from api.wiring import open_served_store
from graph.query.protocol import OccupationStore
from graph.settings import Settings

open_lock = threading.Lock()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_store(request: Request) -> OccupationStore:
    """The app's store, opened on first use; a failed open is retried on the next request."""
    state = request.app.state
    store = getattr(state, "store", None)
    if store is None:
        with open_lock:  # loading a generation takes seconds: open it once, not per waiting request
            store = getattr(state, "store", None)
            if store is None:
                store = state.store = open_served_store(state.settings)
    return store


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[OccupationStore, Depends(get_store)]

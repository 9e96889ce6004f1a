"""The browser dashboard of a running mock: its page, and the control routes it reads and acts through.

The page holds no data and is served without the control token; everything it shows or changes goes
through the control API with the token the person enters, which the page keeps in the tab's session
storage and sends as a Bearer header.
"""

from __future__ import annotations

from .page import PAGE_PATHS as PAGE_PATHS
from .page import PAGE_ROUTES as PAGE_ROUTES
from .page import UI_PATH as UI_PATH
from .page import page_file as page_file
from .views import VIEW_ROUTES as VIEW_ROUTES

__all__ = ["PAGE_PATHS", "PAGE_ROUTES", "UI_PATH", "VIEW_ROUTES", "page_file"]

"""The admin pages."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from homeward.web.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)])

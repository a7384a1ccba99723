"""Imports every table module so SQLModel.metadata knows the whole schema (for Alembic)."""

from bo_console.core import models as core_models

__all__ = ["core_models"]

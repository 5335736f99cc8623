"""Every module that declares stored models, so tools can see the whole schema.

The schema drift test compares the migrated database with ``all_models()``; a module
that declares models is listed here.
"""
import importlib

from peewee import sort_models

from .db import BaseModel

MODEL_MODULES = [
    "canbo.models",
    "canbo.workflow_models",
    "canbo.tracking",
]


def all_models():
    """Every concrete model of the package, parents before children."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    found, todo = [], list(BaseModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if not getattr(model._meta, "abstract", False):
            found.append(model)
    return sort_models(found)

"""`benchkb serve`: a local web app to search, read, chart and review a knowledge base (Starlette, uvicorn).

Pages read through KB and the store; templates autoescape every piece of paper text; chart scripts are inlined
from vl-convert, so nothing is fetched from the network.
"""

from benchkb.serve.app import create_app

__all__ = ["create_app"]

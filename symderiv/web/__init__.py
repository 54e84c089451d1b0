"""A local web page for symderiv: type a formula, read its proven derivation, check an answer.

Started by ``symderiv serve`` (:mod:`symderiv.cli.serve`); needs the extra ``serve``
(``pip install 'symderiv[serve]'``: Starlette and uvicorn). The parts:

- :mod:`.query`: the form's fields, read and checked;
- :mod:`.pool`: the process pool of bounded size, each job under a time and memory budget;
- :mod:`.work`: what a worker does for one request (read, derive, prove, render);
- :mod:`.pages`: the HTML of the page, in the chosen language;
- :mod:`.app`: the Starlette app, its routes, size limits, security headers and request log.

Nothing here evaluates text: formulas go through :func:`symderiv.parse` and
:func:`symderiv.parse_latex` in the workers.
"""

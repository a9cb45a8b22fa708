"""The interface language: which of the six UN languages a request gets, and its messages.

Why here and not in each view: every page, the API's label selection and the response headers
must agree on one language per request, so it is chosen once (memoised on ``flask.g``) by
:func:`resolve` and read everywhere else.

How the language is chosen:

1. ``?lang=`` when given (it wins over the header). A region or script subtag is dropped
   (``fr-CA`` -> ``fr``, ``zh-Hans`` -> ``zh``); a well-formed tag of a language the service
   does not offer (``de``) gives English. A value that is no language tag at all (``fr!``,
   ``12``) is a client error: the API answers 400 naming ``lang``, the HTML pages a 400 page
   (in the ``Accept-Language`` language).
2. else ``Accept-Language`` with its quality values, by werkzeug's
   ``request.accept_languages.best_match`` (which also matches ``fr-CA`` to ``fr``);
3. else English.

Messages are data: ``service/messages/{lang}.json``, one flat ``key -> text`` mapping per
language (``{name}`` placeholders filled by :func:`gettext`); a key missing in a language falls
back to English, then to the key itself.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, g, has_request_context, request
from markupsafe import Markup, escape

#: The six official languages; the first is the default and the answer to ``*``.
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
DEFAULT = "en"
#: The switcher's order: the UN's (English alphabetical order of the language names).
SWITCHER = ("ar", "zh", "en", "fr", "ru", "es")
NATIVE_NAMES = {"ar": "العربية", "zh": "中文", "en": "English", "fr": "Français",
                "ru": "Русский", "es": "Español"}
RTL = frozenset({"ar"})
PARAM = "lang"
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


class LanguageError(ValueError):
    """``?lang=`` holds something that is no language tag (the client can fix it)."""

    parameter = PARAM


def from_param(raw: str) -> str:
    """One of :data:`LANGUAGES` for a ``?lang=`` value; :class:`LanguageError` if malformed."""
    tag = raw.strip()
    if not _TAG.fullmatch(tag):
        raise LanguageError(f"{PARAM}: {raw!r} is not a language code "
                            f"(one of {', '.join(LANGUAGES)})")
    primary = tag.split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else DEFAULT


def resolve() -> tuple[str, LanguageError | None]:
    """The request's language and the ``?lang=`` error, if any (memoised per request).

    With a malformed ``?lang=`` the language is the header's, so an error page can still be
    written in a language the reader understands.
    """
    if not has_request_context():
        return DEFAULT, None
    hit = g.get("_i18n")
    if hit is not None:
        return hit
    from_header = request.accept_languages.best_match(LANGUAGES) or DEFAULT
    error: LanguageError | None = None
    language = from_header
    asked = request.args.get(PARAM)
    if asked:
        try:
            language = from_param(asked)
        except LanguageError as exc:
            error = exc
    g._i18n = (language, error)
    return language, error


def current() -> str:
    """The request's language; raises :class:`LanguageError` for a malformed ``?lang=``."""
    language, error = resolve()
    if error is not None:
        raise error
    return language


def display() -> str:
    """The language to write a page in (never raises: falls back to ``Accept-Language``)."""
    return resolve()[0]


def explicit() -> str | None:
    """The language when ``?lang=`` chose it (valid), so links can carry it on."""
    if not has_request_context() or not request.args.get(PARAM):
        return None
    language, error = resolve()
    return None if error else language


@cache
def messages(language: str) -> dict[str, str]:
    """The message file of ``language`` (empty for a language without one)."""
    path = resources.files(__package__).joinpath("messages", f"{language}.json")
    if language not in LANGUAGES or not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def text(key: str, language: str | None = None, default: str | None = None) -> str:
    """The raw message: asked language, else English, else ``default``, else the key."""
    language = language or display()
    for lang in (language, DEFAULT):
        found = messages(lang).get(key)
        if found:
            return found
    return key if default is None else default


def gettext(key: str, *, language: str | None = None, default: str | None = None,
            **values: Any) -> Markup:
    """A message as safe HTML: the text is escaped, ``{name}`` placeholders filled with the
    values given (escaped unless they are :class:`~markupsafe.Markup` already)."""
    message = escape(text(key, language, default))
    if not values:
        return message
    return message.format(**values)


def url(path: str, **params: Any) -> str:
    """``path`` with ``params`` (empty values dropped) and the explicit ``?lang=`` kept."""
    items = [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    language = explicit()
    if language and PARAM not in params:
        items.append((PARAM, language))
    if not items:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(items)


def switch_url(language: str) -> str:
    """The current page in another language (``?lang=`` replaced, other arguments kept)."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != PARAM]
    return request.path + "?" + urlencode([*args, (PARAM, language)])


def number(value: Any, language: str | None = None) -> str:
    """An integer with the language's digit grouping (``num.group`` in the messages)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{n:,}".replace(",", text("num.group", language, ","))


def _template_helpers() -> dict[str, Any]:
    language = display()
    return {"_": gettext, "t": gettext, "lurl": url, "switch_url": switch_url,
            "num": lambda v: number(v, language), "ui_lang": language,
            "ui_dir": "rtl" if language in RTL else "ltr", "LANG_SWITCHER": SWITCHER,
            "NATIVE_NAMES": NATIVE_NAMES, "explicit_lang": explicit()}


def _language_headers(resp: Response) -> Response:
    # Every HTML page is chosen by Accept (pages and /sparql also serve RDF) and written in
    # the request's language. Other responses depend on the language exactly when their
    # handler asked for it (resolve() memoises on g): the API's labels do; a dereferenced
    # resource's RDF carries every label and does not, so it gets no Content-Language.
    consulted = g.get("_i18n") is not None
    if resp.mimetype == "text/html":
        resp.vary.update(("Accept", "Accept-Language"))
    elif consulted:
        resp.vary.add("Accept-Language")
    if (consulted or resp.mimetype == "text/html") and "Content-Language" not in resp.headers:
        resp.headers["Content-Language"] = display()
    return resp


def install(app: Flask) -> None:
    """Template helpers (``_``/``t``, ``lurl``, ``num``, ``ui_lang``, ``ui_dir``) and the
    ``Content-Language`` / ``Vary: Accept-Language`` headers, for the whole application."""
    app.context_processor(_template_helpers)
    app.after_request(_language_headers)

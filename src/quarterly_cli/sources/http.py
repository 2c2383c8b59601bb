"""One shared requests session for every source: timeouts, retries through urllib3's Retry, a cap
on body size, and the Gate that keeps a source within its politeness policy.

Retries with exponential backoff on connection errors and on 429, 500, 502, 503 and 504, honouring
`Retry-After` (urllib3 does that for 413, 429 and 503). Bodies larger than `MAX_BODY_BYTES` are
refused rather than read into memory. Messages name the service and the setting that points at it
(`QUARTERLY_CROSSREF_URL`, `QUARTERLY_EUTILS_URL`, …), never one service's URL layout.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import SourceError

MAX_BODY_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A `Retry-After: 3600` must not freeze a command-line tool for an hour: waits are capped, and a
# service that wants longer gets the request's failure reported instead after the last retry.
MAX_RETRY_AFTER_S = 60.0
# Starts are spaced 10% wider than the announced rate: a service counts arrivals, and network
# jitter can bring two requests sent 1/rate apart closer than that by the time they arrive.
PACE_MARGIN = 1.1


PROJECT_URL = "https://github.com/quarterly-cli/quarterly"


def mailto() -> str | None:
    """QUARTERLY_MAILTO: the address services may write to (Crossref's polite pool, NCBI's
    `email`)."""
    return os.environ.get("QUARTERLY_MAILTO") or None


def user_agent() -> str:
    """`quarterly-cli/VERSION (+URL; mailto:ADDRESS)`, the form Crossref asks for; sent to all."""
    agent = f"quarterly-cli/{__version__} (+{PROJECT_URL}"
    address = mailto()
    return agent + (f"; mailto:{address})" if address else ")")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]


def _float_env(name: str, default: float, what: str = "a number of seconds") -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if value < 0:
        raise SourceError(f"{name}={raw!r} is not {what}. Fix or unset it.")
    return value


def timeouts() -> tuple[float, float]:
    """(connect, read) seconds, from QUARTERLY_CONNECT_TIMEOUT / QUARTERLY_READ_TIMEOUT."""
    return (_float_env("QUARTERLY_CONNECT_TIMEOUT", 5.0), _float_env("QUARTERLY_READ_TIMEOUT", 30.0))


@cache
def session() -> Any:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retries = int(_float_env("QUARTERLY_RETRIES", 4, "a whole number of retries"))

    class CappedRetry(Retry):
        def parse_retry_after(self, retry_after: str) -> float:
            return min(super().parse_retry_after(retry_after), MAX_RETRY_AFTER_S)

    retry = CappedRetry(
        total=retries,
        connect=retries,
        read=1,
        status=retries,
        backoff_factor=_float_env("QUARTERLY_BACKOFF", 0.5),
        backoff_max=30,
        status_forcelist=RETRY_STATUSES,
        # POST too: every request quarterly makes is a read (E-utilities take long ID lists by
        # POST, https://www.ncbi.nlm.nih.gov/books/NBK25497/), so repeating one is harmless.
        allowed_methods=frozenset({"GET", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


_TIMEOUT = "{service} did not answer in time. Try again later, or raise QUARTERLY_READ_TIMEOUT."


def get(url: str, *, params: dict[str, str] | None, user_agent: str, service: str,
        setting: str = "QUARTERLY_CROSSREF_URL", accept: str = "application/json") -> Response:
    return request("GET", url, params=params, user_agent=user_agent, service=service,
                   setting=setting, accept=accept)


def request(method: str, url: str, *, params: dict[str, str] | None = None,
            data: dict[str, str] | None = None, user_agent: str, service: str, setting: str,
            accept: str = "application/json") -> Response:
    """One request, retried as the session says; raises SourceError with a sentence naming
    `service` (and `setting`, the environment variable holding its address)."""
    import requests
    from urllib3.exceptions import ReadTimeoutError

    headers = {"User-Agent": user_agent, "Accept": accept}
    try:
        with session().request(method, url, params=params, data=data, headers=headers,
                               timeout=timeouts(), stream=True) as r:
            body = bytearray()
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise SourceError(
                        f"{service} sent more than {MAX_BODY_BYTES // (1024 * 1024)} MB for one "
                        f"request; refusing it. Check {setting}."
                    )
            return Response(r.status_code, bytes(body), dict(r.headers))
    except requests.exceptions.RetryError:
        raise SourceError(
            f"{service} kept refusing the request (rate limit or outage). Try again later."
        ) from None
    except requests.exceptions.Timeout:
        raise SourceError(_TIMEOUT.format(service=service)) from None
    except requests.exceptions.ConnectionError as exc:
        # A read timeout that exhausted its retries arrives wrapped in a ConnectionError.
        if isinstance(getattr(exc.args[0] if exc.args else None, "reason", None),
                      ReadTimeoutError):
            raise SourceError(_TIMEOUT.format(service=service)) from None
        parts = urlsplit(url)
        raise SourceError(
            f"Cannot reach {service} at {parts.scheme}://{parts.netloc}. Check your connection, "
            "or use --offline for stored records."
        ) from None
    except requests.exceptions.RequestException as exc:
        raise SourceError(f"The request to {service} failed ({exc}). Try again later.") from None


class Cancelled(Exception):
    """The run no longer wants this source's answers (`--strict` met a failure)."""


class Gate:
    """A source's politeness across threads: at most `concurrency` requests in flight, starts at
    least 1/`per_second` apart (widened by PACE_MARGIN), and tighter still when the service
    announces limits in `x-concurrency-limit` and `x-rate-limit-limit` / `x-rate-limit-interval`
    (Crossref's documented rate-limit headers). One Gate per source per run; every request to
    that source passes through it."""

    def __init__(self, concurrency: int, per_second: float | None = None) -> None:
        self.limit = max(1, concurrency)
        self.active = 0
        self.min_gap = 1.0 / per_second if per_second else 0.0
        self.last_start = float("-inf")
        self.cancelled = False
        self.cond = threading.Condition()

    def __enter__(self) -> Gate:
        with self.cond:
            while True:
                if self.cancelled:
                    raise Cancelled
                if self.active >= self.limit:
                    self.cond.wait()
                    continue
                now = time.monotonic()
                wait = self.last_start + self.min_gap * PACE_MARGIN - now
                if wait <= 0:
                    break
                self.cond.wait(wait)  # the lock is free meanwhile; a cancel wakes it
            # The start is taken as it happens, under the lock: a thread that wakes late pushes
            # the next start back rather than bunching up with it.
            self.active += 1
            self.last_start = now
        return self

    def __exit__(self, *exc: object) -> None:
        with self.cond:
            self.active -= 1
            self.cond.notify_all()

    def cancel(self) -> None:
        """Requests not yet started raise Cancelled; those in flight finish."""
        with self.cond:
            self.cancelled = True
            self.cond.notify_all()

    def observe(self, headers: dict[str, str]) -> None:
        lowered = {k.lower(): v for k, v in headers.items()}
        with self.cond:
            concurrency = _int(lowered.get("x-concurrency-limit"))
            if concurrency:
                self.limit = max(1, min(self.limit, concurrency))
            rate = _int(lowered.get("x-rate-limit-limit"))
            interval = _seconds(lowered.get("x-rate-limit-interval"))
            if rate and interval:
                self.min_gap = max(self.min_gap, interval / rate)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _seconds(value: str | None) -> float | None:
    """`1s`, `2000ms` or a bare number of seconds."""
    if not value:
        return None
    value = value.strip().lower()
    try:
        if value.endswith("ms"):
            return float(value[:-2]) / 1000
        return float(value.rstrip("s"))
    except ValueError:
        return None

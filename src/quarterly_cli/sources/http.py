"""One shared requests session for every source: timeouts, retries through urllib3's Retry, a cap
on body size, and the Gate that keeps a source within its politeness policy.

Retries with exponential backoff on connection errors and on 429, 500, 502, 503 and 504, honouring
`Retry-After` (urllib3 does that for 413, 429 and 503), within two bounds (README, "Network"):

- a host name that does not resolve is not retried: the resolver has already asked its servers,
  and retrying a missing network or a typo in QUARTERLY_*_URL only delays the error by seconds;
- no retry starts more than RETRY_WINDOW_S after a request's first failure, and a `Retry-After`
  longer than what is left is not waited for: the request fails at once with a sentence saying
  how long the service asked for, and the source's Gate refuses that source's later requests
  of the run with the same sentence (a batch is not held up one reference at a time).

So one request takes at most `RETRY_WINDOW_S` plus two attempts' timeouts (connect + read).
Bodies larger than `MAX_BODY_BYTES` are refused rather than read into memory. Messages name the
service and the setting that points at it (`QUARTERLY_CROSSREF_URL`, `QUARTERLY_EUTILS_URL`, …),
never one service's URL layout.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..errors import RateLimitedError, SettingError, SourceError

MAX_BODY_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A `Retry-After: 3600` must not freeze a command-line tool for an hour, nor a batch for minutes:
# a request's retries (their waits included) end this long after its first failure.
RETRY_WINDOW_S = 30.0
# Starts are spaced 10% wider than the announced rate: a service counts arrivals, and network
# jitter can bring two requests sent 1/rate apart closer than that by the time they arrive.
PACE_MARGIN = 1.1
# Bounds of the settings: a timeout of 1e308 s overflows the socket layer, `inf` or `nan` would
# wait forever, and more than a few retries only delays an answer that is not coming.
MAX_TIMEOUT_S = 600.0
MAX_RETRIES = 10
MAX_BACKOFF_S = 60.0


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


def _setting(name: str, default: float, low: float, high: float, *, whole: bool = False,
             above_low: bool = False) -> float:
    """A numeric QUARTERLY_* setting within [low, high] (or (low, high] when `above_low`); a value
    that is not a finite number in range is refused with a sentence naming the setting."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    fits = math.isfinite(value) and (value > low if above_low else value >= low) and value <= high
    if not fits or (whole and not value.is_integer()):
        what = ("a whole number" if whole else "a number of seconds") + (
            f" from {low:g} to {high:g}" if not above_low else f" above {low:g}, at most {high:g}")
        raise SettingError(f"{name}={raw!r} is not {what}. Fix or unset it.")
    return value


def timeouts() -> tuple[float, float]:
    """(connect, read) seconds, from QUARTERLY_CONNECT_TIMEOUT / QUARTERLY_READ_TIMEOUT."""
    return (_setting("QUARTERLY_CONNECT_TIMEOUT", 5.0, 0, MAX_TIMEOUT_S, above_low=True),
            _setting("QUARTERLY_READ_TIMEOUT", 30.0, 0, MAX_TIMEOUT_S, above_low=True))


def _retry_class() -> type:
    from urllib3.exceptions import MaxRetryError, NameResolutionError, ResponseError
    from urllib3.util.retry import Retry

    class WindowedRetry(Retry):
        """urllib3's Retry with the two bounds of the module docstring. `first_failure` (a
        monotonic time) travels from one Retry to the next: urllib3 makes a new one per attempt."""

        def __init__(self, *args: Any, first_failure: float | None = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.first_failure = first_failure

        def new(self, **kwargs: Any) -> WindowedRetry:
            kwargs.setdefault("first_failure", self.first_failure)
            return super().new(**kwargs)

        def increment(self, method: str | None = None, url: str | None = None,
                      response: Any = None, error: Exception | None = None, _pool: Any = None,
                      _stacktrace: Any = None) -> WindowedRetry:
            if isinstance(error, NameResolutionError):
                raise MaxRetryError(_pool, url, error) from error
            new = super().increment(method, url, response, error, _pool, _stacktrace)
            now = time.monotonic()
            if new.first_failure is None:
                new.first_failure = now
            wait = new.get_retry_after(response) if response is not None else None
            if wait is None:
                wait = new.get_backoff_time()
            if now + wait - new.first_failure > RETRY_WINDOW_S:
                # Out of time: urllib3 hands back the last answer (raise_on_status is off) or
                # raises the last connection error; `request` reports either.
                raise MaxRetryError(_pool, url, error or ResponseError("retry window over"))
            return new

    return WindowedRetry


def session() -> Any:
    """The shared session for the retry settings in force (read, and checked, at every request)."""
    return _session(int(_setting("QUARTERLY_RETRIES", 4, 0, MAX_RETRIES, whole=True)),
                    _setting("QUARTERLY_BACKOFF", 0.5, 0, MAX_BACKOFF_S))


@cache
def _session(retries: int, backoff: float) -> Any:
    import requests
    from requests.adapters import HTTPAdapter

    retry = _retry_class()(
        total=retries,
        connect=retries,
        read=1,
        status=retries,
        backoff_factor=backoff,
        backoff_max=RETRY_WINDOW_S,
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
    from urllib3.exceptions import NameResolutionError, ReadTimeoutError

    headers = {"User-Agent": user_agent, "Accept": accept}
    try:
        with session().request(method, url, params=params, data=data, headers=headers,
                               timeout=timeouts(), stream=True) as r:
            wait = _retry_after(r.headers.get("Retry-After")) if r.status_code in (429, 503) else None
            if wait is not None and wait > RETRY_WINDOW_S:
                raise RateLimitedError(
                    f"{service} asks to wait {_duration(wait)} before another request (HTTP "
                    f"{r.status_code}), longer than quarterly waits for one request "
                    f"({RETRY_WINDOW_S:g} s). Try again later.", until=time.monotonic() + wait)
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
        reason = getattr(exc.args[0] if exc.args else None, "reason", None)
        # A read timeout that exhausted its retries arrives wrapped in a ConnectionError.
        if isinstance(reason, ReadTimeoutError):
            raise SourceError(_TIMEOUT.format(service=service)) from None
        parts = urlsplit(url)
        if isinstance(reason, NameResolutionError):
            raise SourceError(
                f"Cannot find {service}'s server {parts.hostname}: the name does not resolve. "
                f"Check your connection, and {setting} if you set it.") from None
        raise SourceError(
            f"Cannot reach {service} at {parts.scheme}://{parts.netloc}. Check your connection, "
            f"and {setting} if you set it."
        ) from None
    except requests.exceptions.RequestException as exc:
        raise SourceError(f"The request to {service} failed ({exc}). Try again later.") from None


def _retry_after(value: str | None) -> float | None:
    """Seconds a `Retry-After` header asks for (a number of seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _duration(seconds: float) -> str:
    """`45 s`, `20 min`, `3 h`: how long a service asked to wait, as a person would say it."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.0f} h"


class Cancelled(Exception):
    """The run no longer wants this source's answers (`--strict` met a failure, or Ctrl-C)."""


class Gate:
    """A source's politeness across threads: at most `concurrency` requests in flight, starts at
    least 1/`per_second` apart (widened by PACE_MARGIN), and tighter still when the service
    announces limits in `x-concurrency-limit` and `x-rate-limit-limit` / `x-rate-limit-interval`
    (Crossref's documented rate-limit headers). One Gate per source per run; every request to
    that source passes through it. A request that fails with RateLimitedError closes the gate
    until the time the service named: later requests fail at once with the same sentence."""

    def __init__(self, concurrency: int, per_second: float | None = None) -> None:
        self.limit = max(1, concurrency)
        self.active = 0
        self.min_gap = 1.0 / per_second if per_second else 0.0
        self.last_start = float("-inf")
        self.cancelled = False
        self.refused: RateLimitedError | None = None
        self.cond = threading.Condition()

    def __enter__(self) -> Gate:
        with self.cond:
            while True:
                if self.cancelled:
                    raise Cancelled
                now = time.monotonic()
                if self.refused is not None and now < self.refused.until:
                    raise RateLimitedError(str(self.refused), until=self.refused.until)
                if self.active >= self.limit:
                    self.cond.wait()
                    continue
                wait = self.last_start + self.min_gap * PACE_MARGIN - now
                if wait <= 0:
                    break
                self.cond.wait(wait)  # the lock is free meanwhile; a cancel wakes it
            # The start is taken as it happens, under the lock: a thread that wakes late pushes
            # the next start back rather than bunching up with it.
            self.active += 1
            self.last_start = now
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        with self.cond:
            self.active -= 1
            if isinstance(error, RateLimitedError):
                self.refused = error
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

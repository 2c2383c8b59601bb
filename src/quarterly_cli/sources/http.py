"""One shared requests session: timeouts, polite headers, retries through urllib3's Retry.

Retries with exponential backoff on connection errors and on 429, 500, 502, 503 and 504, honouring
`Retry-After` (urllib3 does that for 413, 429 and 503). Bodies larger than `MAX_BODY_BYTES` are
refused rather than read into memory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import SourceError

MAX_BODY_BYTES = 5 * 1024 * 1024
RETRY_STATUSES = (429, 500, 502, 503, 504)
# A `Retry-After: 3600` must not freeze a command-line tool for an hour: waits are capped, and a
# service that wants longer gets the request's failure reported instead after the last retry.
MAX_RETRY_AFTER_S = 60.0


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
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


_TIMEOUT = "{service} did not answer in time. Try again later, or raise QUARTERLY_READ_TIMEOUT."


def get(url: str, *, params: dict[str, str] | None, user_agent: str, service: str) -> Response:
    import requests
    from urllib3.exceptions import ReadTimeoutError

    headers = {"User-Agent": user_agent, "Accept": "application/json"}
    try:
        with session().get(url, params=params, headers=headers, timeout=timeouts(),
                           stream=True) as r:
            body = bytearray()
            for chunk in r.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise SourceError(
                        f"{service} sent more than {MAX_BODY_BYTES // (1024 * 1024)} MB for one "
                        "record; refusing it. Check QUARTERLY_CROSSREF_URL."
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
        raise SourceError(
            f"Cannot reach {service} at {url.split('/works/')[0]}. Check your connection, or "
            "use --offline for stored records."
        ) from None
    except requests.exceptions.RequestException as exc:
        raise SourceError(f"The request to {service} failed ({exc}). Try again later.") from None


class Gate:
    """Bounds requests in flight and paces their starts, tightening itself to what the service
    announces in `x-concurrency-limit` and `x-rate-limit-limit` / `x-rate-limit-interval`
    (Crossref's documented rate-limit headers)."""

    def __init__(self, concurrency: int) -> None:
        import threading

        self.limit = concurrency
        self.active = 0
        self.min_gap = 0.0
        self.last_start = 0.0
        self.cond = threading.Condition()

    def __enter__(self) -> Gate:
        import time

        with self.cond:
            while self.active >= self.limit:
                self.cond.wait()
            self.active += 1
            wait = self.last_start + self.min_gap - time.monotonic()
            self.last_start = time.monotonic() + max(wait, 0.0)
        if wait > 0:
            time.sleep(wait)
        return self

    def __exit__(self, *exc: object) -> None:
        with self.cond:
            self.active -= 1
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
                self.min_gap = interval / rate


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

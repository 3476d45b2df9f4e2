"""Fetch article pages that users paste, without letting them reach inside the network.

The address policy lives in the network backend: every TCP connection resolves the host once,
checks every address, then connects to a checked address. httpcore still passes the hostname to
``start_tls``, so SNI and certificate checks are unaffected. Redirects are followed by hand so
that each hop goes through the same URL and address checks, and one deadline covers the whole
fetch, including the body.
"""

from __future__ import annotations

import codecs
import contextvars
import ipaddress
import logging
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urljoin, urlsplit

import certifi
import httpcore

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], Iterable[str]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
# Feed requests (fetch_feed) take these instead; pages never do.
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}
)
FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.8"
NOT_MODIFIED = 304

_METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
_SHARED_NETWORK = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64_NETWORK = ipaddress.IPv6Network("64:ff9b::/96")
# Characters glibc's inet_aton accepts in the decimal, octal and hex IPv4 spellings.
_NUMERIC_HOST = re.compile(r"[0-9a-fA-FxX.]+")
_HOST_NAME = re.compile(r"[A-Za-z0-9._-]+")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SNIFF_BYTES = 4096
_INFLATE_STEP = 256 * 1024  # most bytes one zlib call may produce, to keep memory flat
# Per-thread deadline of the fetch in progress; the guarded streams clamp every timeout to it.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "fetch_deadline", default=None
)


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much a single fetch may take, redirects included."""

    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5


DEFAULT_LIMITS = FetchLimits()


class FetchError(Exception):
    """A page could not be fetched; ``reason`` is one line a reporter can read."""

    def __init__(self, reason: str) -> None:
        self.reason = _one_line(reason)
        super().__init__(self.reason)


class UnexpectedType(FetchError):
    """The answer was not of a media type the request takes (a page where a feed was asked
    for, say); ``media_type`` is what it was ("" when it named none)."""

    def __init__(self, reason: str, media_type: str) -> None:
        super().__init__(reason)
        self.media_type = media_type


@dataclass(frozen=True)
class FetchedPage:
    """A fetched web page: the final URL, its media type and its decoded body."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    # The validators of the answer, for a conditional request next time (fetch_feed).
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """A 304 to a conditional request: nothing changed, and there is no body."""
        return self.status == NOT_MODIFIED

    def text(self) -> str:
        """The body as text: header charset, else a ``<meta>`` charset, else UTF-8."""
        for label in (self.charset, _sniff_charset(self.body[:_SNIFF_BYTES])):
            if not label:
                continue
            try:
                return self.body.decode(_text_codec(label), errors="replace")
            except LookupError:
                continue
        return self.body.decode("utf-8", errors="replace")


# --- address policy -------------------------------------------------------------------------


def resolve_host(host: str) -> list[str]:
    """Every address ``getaddrinfo`` knows for ``host``, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from (a phrase like "a private address"), or None."""
    ip = _embedded_ipv4(address) or address
    if address in _METADATA_ADDRESSES or ip in _METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_NETWORK:
        return "a shared (carrier-grade NAT) address"
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64_NETWORK:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _ip_literal(host: str) -> IPAddress | None:
    """``host`` as an address if it is one, including glibc's decimal/octal/hex spellings."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


class _GuardedStream(httpcore.NetworkStream):
    """A stream whose reads, writes and TLS handshake never wait past the fetch deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        return _GuardedStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves each host once, refuses it if any address breaks the policy, then connects
    to a checked address, so DNS cannot change its answer between the check and the connect."""

    def __init__(
        self, *, resolver: Resolver, allow_private: bool, allow_addresses: frozenset[IPAddress]
    ) -> None:
        self._inner = httpcore.SyncBackend()
        self._resolver = resolver
        self._allow_private = allow_private
        self._allow_addresses = allow_addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._checked_addresses(host)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=_clamp(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return _GuardedStream(stream)
        assert failure is not None  # _checked_addresses never returns an empty list
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchError("refused: unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)

    def _checked_addresses(self, host: str) -> list[IPAddress]:
        addresses = self._resolve(host)
        if not self._allow_private:
            for address in addresses:
                if address in self._allow_addresses:
                    continue
                problem = address_problem(address)
                if problem is not None:
                    shown = _embedded_ipv4(address) or address
                    raise FetchError(f"refused: {shown} is {problem}")
        return addresses

    def _resolve(self, host: str) -> list[IPAddress]:
        literal = _ip_literal(host)
        if literal is not None:
            return [literal]
        try:
            names = list(self._resolver(host))
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"could not resolve {host}") from exc
        try:
            addresses = [ipaddress.ip_address(str(name)) for name in names]
        except ValueError as exc:
            raise FetchError(f"could not resolve {host} (unreadable address)") from exc
        if not addresses:
            raise FetchError(f"could not resolve {host}")
        return addresses


def _clamp(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` shortened to the time left before the fetch deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("the fetch deadline has passed")
    return left if timeout is None else min(timeout, left)


# --- body -----------------------------------------------------------------------------------


class _Body:
    """Collects a body, inflating gzip/deflate in bounded steps; refuses it past ``max_bytes``
    of decoded bytes, so a compression bomb is stopped without being inflated in memory."""

    def __init__(self, coding: str | None, max_bytes: int) -> None:
        self._coding = coding
        self._max_bytes = max_bytes
        self._data = bytearray()
        self._inflater: Any = None  # zlib's Decompress type is not public

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self._coding is None:
            self._append(chunk)
            return
        if self._inflater is None:
            self._inflater = zlib.decompressobj(self._wbits(chunk))
        inflater = self._inflater
        self._append(inflater.decompress(chunk, self._room()))
        while inflater.unconsumed_tail:
            self._append(inflater.decompress(inflater.unconsumed_tail, self._room()))

    def finish(self) -> bytes:
        if self._inflater is not None:
            self._append(self._inflater.flush())
        return bytes(self._data)

    def _append(self, data: bytes) -> None:
        self._data += data
        if len(self._data) > self._max_bytes:
            raise _too_large(self._max_bytes)

    def _room(self) -> int:
        # Always at least 1: _append raises once the body passes max_bytes (0 means unlimited).
        return min(self._max_bytes + 1 - len(self._data), _INFLATE_STEP)

    def _wbits(self, first: bytes) -> int:
        if self._coding == "gzip":
            return 32 + zlib.MAX_WBITS  # gzip, or zlib from servers that mislabel it
        # "deflate" should be zlib-wrapped, but some servers send raw deflate.
        zlib_header = (
            len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        )
        return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS


def _content_coding(value: str | None) -> str | None:
    codings = [c.strip().lower() for c in (value or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in {"gzip", "x-gzip", "deflate"}:
        return "deflate" if codings[0] == "deflate" else "gzip"
    raise FetchError(f"unsupported content encoding {', '.join(codings)}")


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media_type.strip().lower(), charset


def _sniff_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def _text_codec(label: str) -> str:
    """Python's codec for a charset label; like browsers, latin-1 and ASCII mean windows-1252."""
    name = codecs.lookup(label).name  # bytes.decode() rejects non-text codecs like base64
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _too_large(max_bytes: int) -> FetchError:
    return FetchError(f"page is larger than {_size(max_bytes)}")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"


# --- URLs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """One request target: the URL as shown to people and the parts httpcore needs."""

    url: str
    scheme: str
    host: str  # ASCII; IPv6 without brackets
    port: int | None
    path: str  # path and query, percent-encoded

    @classmethod
    def parse(cls, url: str) -> _Target:
        try:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme not in {"http", "https"}:
                raise FetchError(f"not an http(s) link: {_shorten(url)}")
            host = _ascii_host(parts.hostname or "")
            port = parts.port
        except (ValueError, UnicodeError) as exc:
            raise FetchError(f"not a valid link: {_shorten(url)}") from exc
        safe = "/%:@!$&'()*+,;=-._~"
        path = quote(parts.path or "/", safe=safe)
        if parts.query:
            path += "?" + quote(parts.query, safe=safe + "?")
        # Shown to people and in reasons: without the fragment or any user:password@.
        shown = parts._replace(netloc=parts.netloc.rpartition("@")[2], fragment="")
        return cls(url=shown.geturl(), scheme=scheme, host=host, port=port, path=path)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port in (None, default) else f"{host}:{self.port}"

    def httpcore_url(self) -> httpcore.URL:
        return httpcore.URL(scheme=self.scheme, host=self.host, port=self.port, target=self.path)


def _ascii_host(host: str) -> str:
    if ":" in host:
        return str(ipaddress.IPv6Address(host))  # raises ValueError for junk and zone ids
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    if not _HOST_NAME.fullmatch(host):
        raise ValueError(f"bad host {host!r}")
    return host


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return _shorten(flat, limit)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


# --- the fetcher ----------------------------------------------------------------------------


class Fetcher:
    """Fetches pasted article links over one shared, thread-safe connection pool.

    ``allow_private`` lifts the address policy (for tests against local servers);
    ``allow_addresses`` exempts just the listed addresses from it, e.g. an intranet CMS.
    """

    def __init__(
        self,
        limits: FetchLimits = DEFAULT_LIMITS,
        *,
        allow_private: bool = False,
        allow_addresses: Iterable[str] = (),
        resolver: Resolver | None = None,
        user_agent: str = "newsroom-bot/0.1",
    ) -> None:
        self._limits = limits
        self._user_agent = user_agent
        ssl_context = ssl.create_default_context(cafile=certifi.where())
        ssl_context.minimum_version = ssl.TLSVersion.TLSv1_2
        backend = _GuardedBackend(
            resolver=resolver or resolve_host,
            allow_private=allow_private,
            allow_addresses=frozenset(ipaddress.ip_address(a) for a in allow_addresses),
        )
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=30.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def fetch(self, url: str) -> FetchedPage:
        """Fetch ``url``, following redirects; raises FetchError with a readable reason."""
        return self._fetch(url, _Accepts(PAGE_TYPES, ACCEPT, "not a web page"))

    def fetch_feed(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedPage:
        """Fetch a feed or sitemap: the feed media types are taken instead of pages', and
        the validators of the last answer are sent (If-None-Match, If-Modified-Since). A 304
        returns at once, without a body (``not_modified``); the address policy, limits and
        redirect cap are those of every fetch."""
        conditional = []
        if etag:
            conditional.append((b"If-None-Match", etag.encode("latin-1", "replace")))
        if last_modified:
            conditional.append((b"If-Modified-Since", last_modified.encode("latin-1", "replace")))
        accepts = _Accepts(FEED_TYPES, FEED_ACCEPT, "not a feed", tuple(conditional))
        return self._fetch(url, accepts)

    def _fetch(self, url: str, accepts: _Accepts) -> FetchedPage:
        deadline = time.monotonic() + self._limits.total_timeout
        token = _DEADLINE.set(deadline)
        try:
            url = url.strip()
            for _ in range(self._limits.max_redirects + 1):
                target = _Target.parse(url)
                result = self._fetch_one(target, deadline, accepts)
                if isinstance(result, FetchedPage):
                    return result
                url = result
            raise FetchError(f"too many redirects (more than {self._limits.max_redirects})")
        except FetchError:
            raise
        except Exception as exc:  # the boundary: nothing but FetchError leaves fetch()
            logger.exception("unexpected error fetching %s", url)
            raise FetchError(f"could not fetch {_shorten(url)} ({type(exc).__name__})") from exc
        finally:
            _DEADLINE.reset(token)

    def _fetch_one(self, target: _Target, deadline: float, accepts: _Accepts) -> FetchedPage | str:
        """One request: the page, or the URL a redirect points to."""
        try:
            return self._request(target, deadline, accepts)
        except FetchError:
            raise
        except httpcore.TimeoutException as exc:
            limits = self._limits
            if isinstance(exc, httpcore.ConnectTimeout) and time.monotonic() < deadline - 0.05:
                reason = f"timed out connecting to {target.host} after {limits.connect_timeout:g} s"
            else:
                reason = f"timed out after {limits.total_timeout:g} s"
            raise FetchError(reason) from exc
        except httpcore.ConnectError as exc:
            raise FetchError(_connect_reason(target.host, exc)) from exc
        except httpcore.RemoteProtocolError as exc:
            raise FetchError(f"{target.host} sent a malformed HTTP response") from exc
        except (httpcore.NetworkError, httpcore.ProtocolError, OSError) as exc:
            raise FetchError(f"connection to {target.host} failed ({type(exc).__name__})") from exc
        except zlib.error as exc:
            raise FetchError(f"{target.host} sent a corrupt compressed body") from exc

    def _request(self, target: _Target, deadline: float, accepts: _Accepts) -> FetchedPage | str:
        limits = self._limits
        left = max(deadline - time.monotonic(), 0.0)
        timeouts = {
            "connect": min(limits.connect_timeout, left),
            "read": left,
            "write": left,
            "pool": left,
        }
        headers = [
            (b"Host", target.host_header.encode("ascii")),
            (b"User-Agent", self._user_agent.encode("ascii", "replace")),
            (b"Accept", accepts.header.encode("ascii")),
            (b"Accept-Encoding", b"gzip, deflate"),
            *accepts.conditional,
        ]
        logger.debug("fetching %s", target.url)
        with self._pool.stream(
            "GET", target.httpcore_url(), headers=headers, extensions={"timeout": timeouts}
        ) as response:
            status = response.status
            location = _header(response.headers, b"location")
            if status in REDIRECT_STATUSES and location:
                return urljoin(target.url, location.strip())
            etag = _header(response.headers, b"etag")
            last_modified = _header(response.headers, b"last-modified")
            if status == NOT_MODIFIED and accepts.conditional:
                return FetchedPage(
                    url=target.url,
                    status=status,
                    content_type="",
                    charset=None,
                    body=b"",
                    etag=_validator(etag),
                    last_modified=_validator(last_modified),
                )
            if not 200 <= status < 300:
                raise FetchError(f"HTTP {status} from {_shorten(target.url)}")
            content_type = _header(response.headers, b"content-type")
            if not content_type:
                raise UnexpectedType(f"{accepts.refusal} (no content type)", "")
            media_type, charset = _parse_content_type(content_type)
            if media_type not in accepts.types:
                reason = f"{accepts.refusal} (content type {_shorten(media_type, 60)})"
                raise UnexpectedType(reason, media_type)
            body = _Body(
                _content_coding(_header(response.headers, b"content-encoding")), limits.max_bytes
            )
            length = _header(response.headers, b"content-length")
            if length and length.strip().isdigit() and int(length) > limits.max_bytes:
                raise _too_large(limits.max_bytes)
            received = 0
            for chunk in response.iter_stream():
                received += len(chunk)
                if received > limits.max_bytes:
                    raise _too_large(limits.max_bytes)
                body.feed(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {limits.total_timeout:g} s")
            return FetchedPage(
                url=target.url,
                status=status,
                content_type=media_type,
                charset=charset,
                body=body.finish(),
                etag=_validator(etag),
                last_modified=_validator(last_modified),
            )


@dataclass(frozen=True)
class _Accepts:
    """What one kind of request takes: media types, its Accept header, what a refusal says,
    and any conditional headers (feeds)."""

    types: frozenset[str]
    header: str
    refusal: str
    conditional: tuple[tuple[bytes, bytes], ...] = ()


def _validator(value: str | None) -> str | None:
    """A validator header worth sending back: printable, of a sane length."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > 256 or not value.isprintable():
        return None
    return value


def _connect_reason(host: str, exc: httpcore.ConnectError) -> str:
    cause = exc.__cause__ or exc.__context__  # httpcore's mapping loses __cause__ on the way
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"TLS certificate of {host} is not valid ({cause.verify_message})"
    if isinstance(cause, ssl.SSLError):
        return f"TLS handshake with {host} failed ({cause.reason or cause})"
    if isinstance(cause, OSError) and cause.strerror:
        return f"could not connect to {host} ({cause.strerror})"
    return f"could not connect to {host}"

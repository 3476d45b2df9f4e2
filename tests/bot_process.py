"""A real `newsroom serve` process, and signed requests sent to it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tests.slack_payloads import encode, signed

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotProcess:
    """`newsroom serve` on a free port, with settings pointing at the fakes."""

    def __init__(
        self,
        *,
        database_url: str,
        slack_base_url: str,
        workdir: Path,
        extra_env: dict[str, str] | None = None,
        scheduler: bool = True,
    ):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"serve-{self.port}.log"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSROOM_"))},
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_BASE_URL": slack_base_url,
            "NEWSROOM_ALLOW_PRIVATE_FETCH": "true",
            "NEWSROOM_POST_INTERVAL": "0",
            "NEWSROOM_SLACK_RETRIES": "2",
            "NEWSROOM_DIGEST_SWEEP_SECONDS": "1",
            **(extra_env or {}),
        }
        args = [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        if not scheduler:
            args.append("--no-scheduler")
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            args, env=env, cwd=workdir, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 60.0) -> BotProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"newsroom serve exited:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"newsroom serve not ready:\n{self.output()}")

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def send(
        self,
        payload: dict[str, Any],
        *,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        body, content_type = encode(payload)
        request = urllib.request.Request(
            f"{self.base}/slack/events",
            data=body,
            headers={
                "Content-Type": content_type,
                **signed(body, secret, timestamp=timestamp),
                **(headers or {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()

    def __enter__(self) -> BotProcess:
        return self.wait_ready()

    def __exit__(self, *exc: object) -> None:
        self.stop()

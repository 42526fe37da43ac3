"""A real PKCS#11 token for the tests: SoftHSM (Debian package softhsm2) in a temporary
directory, one for the whole run (the fixture is registered in tests/conftest.py: the
library reads its configuration once per process). Skips with the reason where SoftHSM
is not installed; .ci/run installs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_LABEL = "digigov-test"
PIN = "123456"


class Token:
    """The initialised token; ``store`` puts a private key on it under a label."""

    def __init__(self, directory: Path):
        self.directory = directory

    def store(self, key, label: str | None = None) -> str:
        label = label or f"khoa-{uuid.uuid4().hex[:8]}"
        pem = self.directory / f"{label}.pem"
        pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
        subprocess.run(["softhsm2-util", "--import", str(pem), "--token", TOKEN_LABEL,  # noqa: S603, S607
                        "--label", label, "--id", uuid.uuid4().hex[:8], "--pin", PIN],
                       check=True, capture_output=True)
        pem.unlink()  # the key now lives only on the token
        return label

    def configure(self, settings) -> None:
        settings.SIGNING_PKCS11_MODULE = str(MODULE)
        settings.SIGNING_PKCS11_TOKEN_LABEL = TOKEN_LABEL
        settings.SIGNING_PKCS11_PIN = PIN


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory) -> Token:
    if not MODULE.exists() or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM is not installed (Debian package softhsm2)")
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {directory / 'tokens'}\n"
                      "objectstore.backend = file\nlog.level = ERROR\n")
    # Read when the library initialises: set before the first PKCS#11 call of the run.
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,  # noqa: S603, S607
                    "--so-pin", "0000", "--pin", PIN], check=True, capture_output=True)
    return Token(directory)

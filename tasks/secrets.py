"""Secret references (`${NAME}`): resolved from the environment, then a git-ignored file; masking.

The inventory never holds secret values, only references, so a committed inventory leaks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

REFERENCE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")
MASK = "<masked>"
# IOS lines that carry a secret, whatever its value: a key read back from a device (an old
# PSK about to be replaced, a keyring added by hand) is no intent's value, yet still secret.
SECRET_FIELDS = re.compile(
    r"(?P<lead>\b(?:pre-shared-key(?: local| remote)?(?: [067])?|ip nhrp authentication"
    r"|key config-key password-encrypt"
    r"|(?:enable|username \S+(?: privilege \d+)?) (?:secret|password)(?: [0-9])?))"
    r" (?P<value>(?!<masked>)\S+)"
)


@runtime_checkable
class HasSecrets(Protocol):
    def secret_values(self) -> list[str]: ...


def reference_name(value: str) -> str | None:
    """Name inside a `${NAME}` reference, or None when `value` is not a reference.

    >>> reference_name("${EVENT42_PSK}")
    'EVENT42_PSK'
    >>> reference_name("cisco123") is None
    True
    """
    match = REFERENCE.match(value.strip())
    return match.group(1) if match else None


def resolve(name: str, env: Mapping[str, str], file_values: Mapping[str, str]) -> str | None:
    """Value of a secret: the environment wins over the secrets file; None when neither has it.

    >>> resolve("K", {"K": "from-env"}, {"K": "from-file"}), resolve("K", {}, {"K": "from-file"})
    ('from-env', 'from-file')
    >>> resolve("K", {"K": ""}, {}) is None
    True
    """
    value = env.get(name)
    if value:
        return value
    value = file_values.get(name)
    return str(value) if value not in (None, "") else None


def mask(text: str, secrets: Iterable[str] | HasSecrets) -> str:
    """Replace every secret value in `text` with `<masked>`.

    Accepts the secret values or anything with `secret_values()` (an `Intent`). A value is masked
    wherever it is not glued to letters or digits, so a short key does not garble ordinary words;
    longer values are tried first, so no part of one is left behind.

    >>> mask("pre-shared-key s3cr3t-psk\\n ip nhrp authentication k42", ["k42", "s3cr3t-psk"])
    'pre-shared-key <masked>\\n ip nhrp authentication <masked>'
    >>> mask("tenant event42: key 'a'", ["a"])
    "tenant event42: key '<masked>'"

    Values after IOS's secret-bearing keywords are masked too, known or not:

    >>> mask("  no pre-shared-key old-psk\\nusername admin secret 9 $9$abc", [])
    '  no pre-shared-key <masked>\\nusername admin secret 9 <masked>'
    >>> mask("key config-key password-encrypt m4ster", [])
    'key config-key password-encrypt <masked>'
    """
    text = SECRET_FIELDS.sub(lambda m: f"{m['lead']} {MASK}", text)
    values = secrets.secret_values() if isinstance(secrets, HasSecrets) else secrets
    ordered = sorted({v for v in values if v}, key=len, reverse=True)
    if not ordered:
        return text
    alternatives = "|".join(re.escape(v) for v in ordered)
    return re.sub(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", MASK, text)

"""What can go wrong at the border with an external registry.

One small hierarchy, as in kingfisher-process: callers catch ``RegistryError`` to record a failed
sync, and only ``RecoverableError`` is retried (the network or the server may recover by itself;
bad credentials or a payload that breaks the specification will not).
"""


class RegistryError(Exception):
    """Base class: a registry could not be read. The message is Spanish and shown to people."""


class ConfigurationError(RegistryError):
    """The provider is misconfigured (missing URL, credentials or an unknown system/version)."""


class RecoverableError(RegistryError):
    """Timeout, refused connection or a 5xx answer: worth retrying after a pause."""


class AuthenticationError(RegistryError):
    """The token endpoint or the data endpoint refused our credentials."""


class ProtocolError(RegistryError):
    """The answer is not JSON, or its shape is not the one the specification defines."""

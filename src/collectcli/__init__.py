"""collectcli: contact plans, promises to pay and nightly batches for collection agencies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("collectcli")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

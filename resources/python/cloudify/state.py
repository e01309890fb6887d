"""`from cloudify.state import ctx_parameters`: the operation's inputs."""
from cloudify import _proxy


class _Parameters(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name)


class _LazyParameters(object):
    _value = None

    def _load(self):
        if self._value is None:
            self._value = _Parameters(_proxy.request('inputs') or {})
        return self._value

    def __getattr__(self, name):
        return getattr(self._load(), name)

    def __getitem__(self, key):
        return self._load()[key]

    def __contains__(self, key):
        return key in self._load()

    def __iter__(self):
        return iter(self._load())

    def get(self, key, default=None):
        return self._load().get(key, default)


ctx_parameters = _LazyParameters()

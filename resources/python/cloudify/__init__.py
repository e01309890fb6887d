"""A small `cloudify` package for Python 3 scripts run by Rekindle's script plugin:
`from cloudify import ctx` gives the operation context, reached through the operation's ctx
proxy (CTX_SOCKET_URL). See docs/plugins.md for what is supported."""
import sys

from cloudify import _proxy
from cloudify.exceptions import NonRecoverableError, OperationRetry, RecoverableError


class _Dict(object):
    """A dictionary living in the operation (node properties, runtime properties)."""

    def __init__(self, path, writable):
        self._path = path
        self._writable = writable

    def _all(self):
        return _proxy.request(*self._path) or {}

    def __getitem__(self, key):
        data = self._all()
        return data[key]

    def get(self, key, default=None):
        return self._all().get(key, default)

    def __setitem__(self, key, value):
        if not self._writable:
            raise TypeError('{0} are read-only'.format('.'.join(self._path)))
        _proxy.request(*(self._path + [key, value]))

    def __delitem__(self, key):
        if not self._writable:
            raise TypeError('{0} are read-only'.format('.'.join(self._path)))
        _proxy.request(*(self._path[:-1] + ['delete_runtime_property', key]))

    def __contains__(self, key):
        return key in self._all()

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def keys(self):
        return self._all().keys()

    def values(self):
        return self._all().values()

    def items(self):
        return self._all().items()

    def update(self, other=None, **kwargs):
        for key, value in dict(other or {}, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        data = self._all()
        if key not in data:
            self[key] = default
            return default
        return data[key]

    def copy(self):
        return dict(self._all())

    def __repr__(self):
        return repr(self._all())


class _Node(object):
    def __init__(self, prefix):
        self._prefix = prefix
        self.properties = _Dict(prefix + ['properties'], False)

    id = property(lambda self: _proxy.request(*(self._prefix + ['id'])))
    name = property(lambda self: _proxy.request(*(self._prefix + ['name'])))
    type = property(lambda self: _proxy.request(*(self._prefix + ['type'])))
    type_hierarchy = property(lambda self: _proxy.request(*(self._prefix + ['type_hierarchy'])))


class _Instance(object):
    def __init__(self, prefix):
        self._prefix = prefix
        self.runtime_properties = _Dict(prefix + ['runtime_properties'], True)

    id = property(lambda self: _proxy.request(*(self._prefix + ['id'])))
    host_ip = property(lambda self: _proxy.request(*(self._prefix + ['host_ip'])))

    def update(self):
        """Runtime properties are saved as they are set; kept for compatibility."""


class _Entity(object):
    def __init__(self, prefix):
        self.node = _Node(prefix + ['node'])
        self.instance = _Instance(prefix + ['instance'])


class _Logger(object):
    def _log(self, level, message, *args):
        text = str(message) % args if args else str(message)
        _proxy.request('logger', level, text)

    def debug(self, message, *args):
        self._log('debug', message, *args)

    def info(self, message, *args):
        self._log('info', message, *args)

    def warning(self, message, *args):
        self._log('warning', message, *args)

    warn = warning

    def error(self, message, *args):
        self._log('error', message, *args)

    def exception(self, message, *args):
        self._log('error', message, *args)


class _Operation(object):
    name = property(lambda self: _proxy.request('operation', 'name'))
    retry_number = property(lambda self: _proxy.request('operation', 'retry_number'))
    max_retries = property(lambda self: _proxy.request('operation', 'max_retries'))

    def retry(self, message=None, retry_after=None):
        """Ask for the operation to be retried; ends the script."""
        _proxy.request('retry_operation', message, retry_after)


class _Id(object):
    def __init__(self, name):
        self._name = name

    id = property(lambda self: _proxy.request(self._name, 'id'))


class _Context(object):
    """`ctx`: the operation context."""

    def __init__(self):
        self.node = _Node(['node'])
        self.instance = _Instance(['instance'])
        self.source = _Entity(['source'])
        self.target = _Entity(['target'])
        self.deployment = _Id('deployment')
        self.blueprint = _Id('blueprint')
        self.logger = _Logger()
        self.operation = _Operation()

    type = property(lambda self: _proxy.request('type'))
    execution_id = property(lambda self: _proxy.request('execution_id'))
    workflow_id = property(lambda self: _proxy.request('workflow_id'))
    task_id = property(lambda self: _proxy.request('task_id'))
    task_name = property(lambda self: _proxy.request('task_name'))
    plugin = property(lambda self: _proxy.request('plugin'))

    def get_resource(self, resource_path):
        return _proxy.request('get_resource', resource_path)

    def download_resource(self, resource_path, target_path=None):
        return _proxy.request('download_resource', resource_path, target_path)

    def download_resource_and_render(self, resource_path, target_path=None, template_variables=None):
        return _proxy.request('download_resource_and_render', resource_path, target_path,
                              {'template_variables': template_variables or {}})

    def get_resource_and_render(self, resource_path, template_variables=None):
        return _proxy.request('get_resource_and_render', resource_path, {'template_variables': template_variables or {}})

    def returns(self, value):
        _proxy.request('returns', {'value': value})

    def abort_operation(self, message=None):
        """Fail the operation without retries; ends the script."""
        _proxy.request('abort_operation', message)

    def retry_operation(self, message=None, retry_after=None):
        """Ask for the operation to be retried; ends the script."""
        _proxy.request('retry_operation', message, retry_after)


ctx = _Context()


def _excepthook(kind, value, tb):
    """Uncaught operation errors decide how the operation ends (not just 'exit status 1')."""
    try:
        if isinstance(value, OperationRetry):
            _proxy.request('retry_operation', str(value) or None, value.retry_after)
        elif isinstance(value, RecoverableError):
            _proxy.request('_recoverable_error', str(value) or None, value.retry_after)
        elif isinstance(value, NonRecoverableError):
            _proxy.request('abort_operation', str(value) or None)
    except _proxy.StopOperation:
        pass
    except Exception:  # the proxy is gone: fall back to the exit status
        pass
    _previous_hook(kind, value, tb)


_previous_hook = sys.excepthook
sys.excepthook = _excepthook

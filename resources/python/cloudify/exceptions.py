"""Operation errors, under Cloudify's names. Raised (uncaught) from a script, they tell the
engine how to go on: NonRecoverableError fails the task at once, RecoverableError is retried
(after `retry_after` seconds when given), OperationRetry is always retried."""


class NonRecoverableError(Exception):
    """A failure no retry can fix."""


class RecoverableError(Exception):
    """A failure that may succeed on a later attempt."""

    def __init__(self, message='', retry_after=None):
        super(RecoverableError, self).__init__(message)
        self.retry_after = retry_after


class OperationRetry(RecoverableError):
    """Ask the engine to run the operation again (what ctx.operation.retry raises)."""


class HttpException(NonRecoverableError):
    """Kept for compatibility with Cloudify plugins' imports."""

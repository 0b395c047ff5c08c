from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class CallContext(_message.Message):
    __slots__ = ("account_id", "fanout_poll_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    FANOUT_POLL_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    fanout_poll_id: str
    def __init__(self, account_id: _Optional[str] = ..., fanout_poll_id: _Optional[str] = ...) -> None: ...

class EndPollRequest(_message.Message):
    __slots__ = ("poll_id",)
    POLL_ID_FIELD_NUMBER: _ClassVar[int]
    poll_id: str
    def __init__(self, poll_id: _Optional[str] = ...) -> None: ...

class EndPollResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class WorkerGoneRequest(_message.Message):
    __slots__ = ("worker_id",)
    WORKER_ID_FIELD_NUMBER: _ClassVar[int]
    worker_id: str
    def __init__(self, worker_id: _Optional[str] = ...) -> None: ...

class WorkerGoneResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

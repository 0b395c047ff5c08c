from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

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

class ChildMessage(_message.Message):
    __slots__ = ("id", "kind", "workflow", "instance_id", "body")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    workflow: str
    instance_id: str
    body: bytes
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., workflow: _Optional[str] = ..., instance_id: _Optional[str] = ..., body: _Optional[bytes] = ...) -> None: ...

class DeliverChildMessagesRequest(_message.Message):
    __slots__ = ("messages",)
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[ChildMessage]
    def __init__(self, messages: _Optional[_Iterable[_Union[ChildMessage, _Mapping]]] = ...) -> None: ...

class ChildAnswer(_message.Message):
    __slots__ = ("id", "body")
    ID_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    id: str
    body: bytes
    def __init__(self, id: _Optional[str] = ..., body: _Optional[bytes] = ...) -> None: ...

class DeliverChildMessagesResponse(_message.Message):
    __slots__ = ("answers",)
    ANSWERS_FIELD_NUMBER: _ClassVar[int]
    answers: _containers.RepeatedCompositeFieldContainer[ChildAnswer]
    def __init__(self, answers: _Optional[_Iterable[_Union[ChildAnswer, _Mapping]]] = ...) -> None: ...

class WatchReadyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadyQueue(_message.Message):
    __slots__ = ("account_id", "kind", "queue")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    kind: str
    queue: str
    def __init__(self, account_id: _Optional[str] = ..., kind: _Optional[str] = ..., queue: _Optional[str] = ...) -> None: ...

class WatchReadyResponse(_message.Message):
    __slots__ = ("snapshot", "queues")
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    QUEUES_FIELD_NUMBER: _ClassVar[int]
    snapshot: bool
    queues: _containers.RepeatedCompositeFieldContainer[ReadyQueue]
    def __init__(self, snapshot: _Optional[bool] = ..., queues: _Optional[_Iterable[_Union[ReadyQueue, _Mapping]]] = ...) -> None: ...

"""Testing workflows: a real engine in the test's process, with time skipping and mocks.

Install with `pip install "stepway[testing]"`; see docs/testing.md.
"""

from stepway.testing._clock import SkippingClock
from stepway.testing._env import InstanceProbe, WorkflowEnvironment

__all__ = ["InstanceProbe", "SkippingClock", "WorkflowEnvironment"]

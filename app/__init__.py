"""PolicyDesk (政策案头): an offline clause library for a city plan and the regulations around it."""

__version__ = "0.1.0"

"""The one error a service raises when its rules refuse a change."""


class RuleError(ValueError):
    """A change the rules refuse. ``field`` names the form field the message belongs to (the
    view puts it there with ``core.web.field_error``); the message is already translated."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

"""What can go wrong when a reader manages their account."""


class AccountError(Exception):
    """A reader-facing refusal; ``field`` names the form field it belongs to."""

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class DisplayNameTaken(AccountError):
    pass

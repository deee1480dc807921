"""What can go wrong when a reader manages their account."""


class AccountError(Exception):
    """A reader-facing refusal; ``field`` names the form field it belongs
    to, ``code`` the kind of refusal for callers that tell them apart."""

    def __init__(self, detail: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.code = code


class DisplayNameTaken(AccountError):
    pass


class EmailTaken(AccountError):
    pass

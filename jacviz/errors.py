"""The one exception family of jacviz.

Layer: bottom. Imports nothing of jacviz; every other module may import it.

Every error jacviz raises on purpose derives from :class:`JacvizError`, so an
application (the widget, a grading script) can catch "the user's input was
bad" without also swallowing real bugs.
"""

__all__ = [
    "BatchCouplingError",
    "BatchCouplingWarning",
    "ExpressionError",
    "JacvizError",
]


class JacvizError(Exception):
    """Base class of every error that jacviz raises on purpose."""


class ExpressionError(JacvizError, ValueError):
    """A typed formula is not in the language, or does not fit the input.

    Parameters
    ----------
    message : str
        What is wrong and what is allowed instead.
    position : int or None, optional
        0-based column of the offending token in the formula's text, or
        ``None`` when the problem has no single place (e.g. a shape mismatch).

    Examples
    --------
    >>> err = ExpressionError("unknown name 'y'", position=4)
    >>> err.position
    4
    >>> isinstance(err, ValueError)
    True
    """

    def __init__(self, message, position=None):
        super().__init__(message)
        self.position = position


class BatchCouplingError(JacvizError, ValueError):
    """Examples of a batch influence each other, so a batch Jacobian is wrong.

    Raised by :func:`jacviz.batch_jacobian` with ``check="raise"`` when output
    example ``b`` depends on input example ``c != b``: the per-example blocks
    are then not the whole story (TensorFlow returns a silently wrong answer in
    this case, tensorflow#38428).
    """


class BatchCouplingWarning(UserWarning):
    """Examples of a batch influence each other (see :class:`BatchCouplingError`)."""

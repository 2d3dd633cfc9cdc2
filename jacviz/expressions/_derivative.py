"""Differentiation of scalar formula trees: the chain rule over the registry's rules.

Layer: expressions (private). Imports the standard library.

:class:`Derivative` differentiates with respect to one ``x[j]``: a leaf is 0
or 1, and any other node applies its registry entry's rule
(:mod:`~jacviz.expressions._functions`: ``f'(u)`` for one argument, the sum,
product, quotient and power rules for two) to its arguments and their
derivatives. It remembers the derivative of every subtree it has seen, so a
subtree shared by many entries (the denominator of ``softmax``) is
differentiated once.
"""

from jacviz.expressions._functions import rule_of
from jacviz.expressions._simplify import ONE, ZERO, mul
from jacviz.expressions._tree import Index, Name, Num, children


class Derivative:
    """``d/dx[j]`` of scalar trees, remembering the derivative of each subtree seen.

    Parameters
    ----------
    j : int
        The input to differentiate by.

    Examples
    --------
    >>> from jacviz.expressions._tree import Binary, to_source
    >>> x0 = Index(Name("x"), (0,))
    >>> to_source(Derivative(0)(Binary("**", x0, Num(3.0))))
    '3*x[0]**2'
    """

    def __init__(self, j):
        self.x_j = Index(Name("x"), (j,))
        self.done = {}  # id(node) -> (node, derivative); the node is kept so ids stay unique

    @property
    def steps(self):
        """How many subtrees were differentiated so far (the work done)."""
        return len(self.done)

    def __call__(self, node):
        """Return the derivative of ``node``, simplified."""
        seen = self.done.get(id(node))
        if seen is not None:
            return seen[1]
        result = self.rule(node)
        self.done[id(node)] = (node, result)
        return result

    def rule(self, node):
        if isinstance(node, Index):
            return ONE if node == self.x_j else ZERO
        if isinstance(node, (Num, Name)):
            return ZERO
        args = children(node)
        tangents = [self(arg) for arg in args]
        if tangents.count(ZERO) == len(tangents):  # nothing here depends on x[j]
            return ZERO
        rule = rule_of(node)  # expansion left only rules that have a derivative
        if len(args) == 1:  # the chain rule: (f(u))' = f'(u) u'
            return mul(rule.derivative(args[0]), tangents[0])
        return rule.derivative(*args, *tangents)

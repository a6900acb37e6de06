"""Sample students who wrote 01 themselves, for the similarity report: two independent correct solutions,
neither the instructor's, and a copy of the first with its names changed and its whitespace reflowed.

`fill_in` writes bodies into the released stubs, as a student does; the similarity report must flag the copy
with its original and must not flag the two independent solutions.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path

GD = "gradient_descent.py"
RIPPLE = "ripple.py"

# (module, function's qualified name) -> body, written at the function's indentation.
OWN_SOLUTION: dict[tuple[str, str], str] = {
    (GD, "gd_step"): """
decayed = grad + weight_decay * x
return x - lr * decayed
""",
    (GD, "run_gd"): """
point = x0.detach().clone()
point.requires_grad_(True)
xs_list, loss_list, grad_list = [], [], []
for _ in range(steps):
    value = loss_fn(point)
    value.backward()
    xs_list.append(point.detach().clone())
    loss_list.append(value.detach().clone())
    grad_list.append(point.grad.detach().clone())
    with torch.no_grad():
        point.copy_(gd_step(point, point.grad, lr, weight_decay))
    point.grad = None
xs_list.append(point.detach().clone())
with torch.no_grad():
    loss_list.append(loss_fn(point).detach().clone())
if grad_list:
    grads_out = torch.stack(grad_list)
else:
    grads_out = x0.new_empty((0, *x0.shape))
return GDHistory(torch.stack(xs_list), torch.stack(loss_list), grads_out)
""",
    (GD, "SimpleGradientDescent.step"): """
with torch.no_grad():
    for param in self.params:
        if param.grad is not None:
            param.add_(param.grad + self.weight_decay * param, alpha=-self.lr)
""",
    (GD, "critical_learning_rate"): """
if A.dim() != 2 or A.size(0) != A.size(1):
    raise ValueError("A must be square")
if (A - A.T).abs().max() > 1e-6:
    raise ValueError("A must be symmetric")
top = torch.linalg.eigvalsh(A).max().item()
if top <= 0:
    raise ValueError("A needs a positive eigenvalue")
return 2.0 / top
""",
    (RIPPLE, "ripple_grad"): """
xa = np.asarray(x, dtype=float)
ya = np.asarray(y, dtype=float)
return 2 * xa - 3 * np.sin(3 * xa) + ya + 2, xa + 2 * ya
""",
    (RIPPLE, "ripple_descent"): """
xs = [float(x)]
ys = [float(y)]
for t in range(steps):
    eta = step_size * decay ** t
    gx, gy = ripple_grad(x, y)
    x, y = x - eta * gx, y - eta * gy
    xs.append(float(x))
    ys.append(float(y))
return float(x), float(y), float(ripple_f(x, y)), np.array(xs), np.array(ys)
""",
}

OTHER_OWN_SOLUTION: dict[tuple[str, str], str] = {
    (GD, "gd_step"): """
return x - (lr * grad + lr * weight_decay * x)
""",
    (GD, "run_gd"): """
history_x = torch.zeros((steps + 1,) + tuple(x0.shape), dtype=x0.dtype)
history_loss = torch.zeros(steps + 1, dtype=x0.dtype)
history_grad = torch.zeros((steps,) + tuple(x0.shape), dtype=x0.dtype)
current = x0.detach().clone()
for k in range(steps + 1):
    current.requires_grad_(True)
    objective = loss_fn(current)
    history_x[k] = current.detach()
    history_loss[k] = objective.detach()
    if k == steps:
        break
    (gradient,) = torch.autograd.grad(objective, current)
    history_grad[k] = gradient
    current = gd_step(current.detach(), gradient, lr, weight_decay)
return GDHistory(history_x, history_loss, history_grad)
""",
    (GD, "SimpleGradientDescent.step"): """
for tensor in self.params:
    if tensor.grad is None:
        continue
    with torch.no_grad():
        update = tensor.grad.add(tensor, alpha=self.weight_decay)
        tensor.sub_(self.lr * update)
""",
    (GD, "critical_learning_rate"): """
shape = tuple(A.shape)
if len(shape) != 2 or shape[0] != shape[1]:
    raise ValueError(f"expected a square matrix, got {shape}")
asymmetry = float(torch.max(torch.abs(A - A.transpose(0, 1))))
if asymmetry > 1e-6:
    raise ValueError(f"A is not symmetric (off by {asymmetry:.2g})")
lam_max = float(torch.linalg.eigvalsh(A)[-1])
if not lam_max > 0:
    raise ValueError("no positive curvature, so no critical learning rate")
return 2 / lam_max
""",
    (RIPPLE, "ripple_grad"): """
x_arr, y_arr = np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
partial_x = 2.0 * x_arr + y_arr + 2.0 - 3.0 * np.sin(3.0 * x_arr)
partial_y = 2.0 * y_arr + x_arr
return partial_x, partial_y
""",
    (RIPPLE, "ripple_descent"): """
path = np.zeros((steps + 1, 2))
path[0] = (x, y)
eta = step_size
for t in range(1, steps + 1):
    path[t] = path[t - 1] - eta * np.array(ripple_grad(*path[t - 1]))
    eta *= decay
final_x, final_y = path[-1]
return float(final_x), float(final_y), float(ripple_f(final_x, final_y)), path[:, 0].copy(), path[:, 1].copy()
""",
}

# What the copier changed: every name of their own, then the layout (a blank line after each block header).
RENAMES = {
    "decayed": "total_grad",
    "point": "w",
    "xs_list": "positions",
    "loss_list": "values",
    "grad_list": "slopes",
    "value": "f_w",
    "grads_out": "slope_table",
    "param": "p",
    "top": "biggest",
    "xa": "u",
    "ya": "v",
    "xs": "us",
    "ys": "vs",
    "eta": "rate",
    "gx": "du",
    "gy": "dv",
}


def renamed(bodies: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """The same bodies with RENAMES applied to whole words and a blank line after each block header."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, RENAMES)) + r")\b")
    copied = {}
    for key, body in bodies.items():
        body = pattern.sub(lambda match: RENAMES[match.group(1)], body)
        copied[key] = re.sub(r":\n", ":\n\n", body).replace(" ** ", "**")
    return copied


def fill_in(bodies: dict[tuple[str, str], str]) -> Callable[[Path], None]:
    """An edit that replaces each named function's `raise NotImplementedError` with its body."""

    def edit(folder: Path) -> None:
        for module in sorted({module for module, _ in bodies}):
            path = folder / module
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            stubs = _stub_lines(ast.parse("".join(lines)))
            # From the bottom up, so the line numbers of the stubs above stay valid.
            for name in sorted((n for m, n in bodies if m == module), key=stubs.__getitem__, reverse=True):
                index = stubs[name] - 1
                indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
                body = "".join(
                    indent + line if line.strip() else line
                    for line in bodies[module, name].lstrip("\n").splitlines(keepends=True)
                )
                lines[index] = body
            path.write_text("".join(lines), encoding="utf-8")

    return edit


def _stub_lines(tree: ast.Module) -> dict[str, int]:
    """Qualified function name -> line of its `raise NotImplementedError`."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef):
                for statement in child.body:
                    if isinstance(statement, ast.Raise) and "NotImplementedError" in ast.unparse(statement):
                        found[prefix + child.name] = statement.lineno

    visit(tree, "")
    return found

#!/usr/bin/env python3
"""Derives and checks, in exact fractions, the Toom-Cook matrices of the one-dimensional Winograd F(m, r) that
src/SharpFlow/Kernels/Convolution/WinogradLine.cs uses: F(2, 7) with the points 0, 1, -1, 2, -2, 1/2, -1/2 and infinity,
and F(4, 7) with 3/2 and -3/2 besides.

    python3 tools/kernels/winograd-line.py

For the product h(x)*g(x) of an m-term and an r-term polynomial, Toom-Cook evaluates both at n = m + r - 1 points
(the last at infinity: the leading coefficient), multiplies, and interpolates with the inverse Vandermonde matrix:
p = Vn^-1 [(Vh h) * (Vg g)]. The correlation y_i = sum_k g_k d_(i+k) is that bilinear map transposed in h, so
y = AT [(G g) * (BT d)] with AT = Vh^T, G = Vg, BT = (Vn^-1)^T; row x of BT is scaled by f_x = prod_(l != x)(a_x - a_l)
and row x of G divided by it (as Lavin's wincnn does), which leaves BT's entries small. Prints the three matrices
after checking y against the direct correlation on random rational inputs (standard library only).
"""
import random
from fractions import Fraction as F


def inverse(matrix):
    n = len(matrix)
    rows = [row[:] + [F(int(i == j)) for j in range(n)] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [row[n:] for row in rows]


def vandermonde(points, columns):
    rows = [[p ** j for j in range(columns)] for p in points]
    rows.append([F(0)] * (columns - 1) + [F(1)])  # the point at infinity: the leading coefficient
    return rows


def toom_cook(m, r, points):
    n = m + r - 1
    assert len(points) == n - 1
    vh, vg, vinv = vandermonde(points, m), vandermonde(points, r), inverse(vandermonde(points, n))
    at = [[vh[x][i] for x in range(n)] for i in range(m)]
    g = [row[:] for row in vg]
    bt = [[vinv[t][x] for t in range(n)] for x in range(n)]
    for x in range(n - 1):
        f = F(1)
        for l in range(n - 1):
            if l != x:
                f *= points[x] - points[l]
        bt[x] = [v * f for v in bt[x]]
        g[x] = [v / f for v in g[x]]
    return at, g, bt


def check(m, r, at, g, bt, trials=50):
    n = m + r - 1
    rng = random.Random(1)
    for _ in range(trials):
        d = [F(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(n)]
        w = [F(rng.randint(-9, 9), rng.randint(1, 5)) for _ in range(r)]
        u = [sum(g[x][k] * w[k] for k in range(r)) for x in range(n)]
        v = [sum(bt[x][t] * d[t] for t in range(n)) for x in range(n)]
        y = [sum(at[i][x] * u[x] * v[x] for x in range(n)) for i in range(m)]
        assert y == [sum(w[k] * d[i + k] for k in range(r)) for i in range(m)]


def main():
    half, three_halves = F(1, 2), F(3, 2)
    points = [F(0), F(1), F(-1), F(2), F(-2), half, -half]
    for m, extra in ((2, []), (4, [three_halves, -three_halves])):
        r = 7
        at, g, bt = toom_cook(m, r, points + extra)
        check(m, r, at, g, bt)
        # The kernel stores AT and BT as floats: every entry must be one exactly (a dyadic fraction of few bits).
        assert all(F(float(v)) == v for matrix in (at, bt) for row in matrix for v in row)
        print(f"F({m}, {r}): checked against the direct correlation")
        for name, matrix in (("AT", at), ("G", g), ("BT", bt)):
            print(name)
            for row in matrix:
                print("  " + ", ".join(str(v) for v in row))


if __name__ == "__main__":
    main()

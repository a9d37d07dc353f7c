"""Pure physics of a thin-seam shearer face.

Functions of floats or numpy arrays, in SI units (m, s, W, J, kg, V, A, Ω), named after
what they return. No simpy, pydantic or pandas here, and nothing of seamsim but
:mod:`seamsim.units`. Equation tags (G1, E2, P3, …) refer to the tables of docs/model.md
(§2 geometry, §3 electrical supply, §4 cutting speed); source tags to docs/references.md.
"""

"""Exports: formula-safe CSV / XLSX (safe), and the plan / portfolio documents (PPTX, PDF, Markdown).

``content`` builds the language-resolved content of a plan or of the portfolio once from
kam_core.plans; ``deck``, ``pdf`` and ``markdown`` only lay it out; ``images`` renders charts to
PNG with one Chromium session (or says why it cannot, so the writers show a table instead).
"""

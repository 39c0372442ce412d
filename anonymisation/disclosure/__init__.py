"""Disclosure control of aggregate statistics before they leave the node.

Public API (what the node's release code and the DPO preview call), by module:

- ``cells.count_cells(records, rule, period, *, now, categories=None, areas=None) -> CellCounts``
- ``protect.protect(counts, rule, *, ledger, recipient, now, reports_pending=0, release_id=None)
  -> ProtectedTable`` with ``to_release_cells()``, ``lineage()``, ``explain()``,
  ``to_preview_cells()``
- ``budget.BudgetLedger`` (Protocol the node persists), ``InMemoryBudgetLedger``, ``DryRunLedger``
- errors: ``DisclosureError`` and its subclasses (``errors.py``)

Import from the submodules (``anonymisation.disclosure.protect`` ...): this package imports
nothing itself, so code that only needs ``rules`` does not load OpenDP and scipy.
"""

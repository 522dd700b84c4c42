"""Per-feature translation strings; see kam_core.i18n."""

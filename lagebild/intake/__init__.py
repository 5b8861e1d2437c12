"""Reading import files: formats, GENESIS exports, validation, templates and the review around an import."""

"""What a reader sees: German formats and wording, colours, classes, escaping, charts and maps."""

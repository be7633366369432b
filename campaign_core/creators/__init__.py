"""Creator workflow: pipeline stages and due dates, segments and suggestions."""

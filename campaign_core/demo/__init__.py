"""Demo data: a realistic mega campaign written as TikTok-format export files."""

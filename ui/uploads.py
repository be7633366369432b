"""Uploaded files: kept on disk for the session so previews and imports read the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

_FOLDER_KEY = "upload_folder"


def saved_path(upload) -> Path:
    """Write an ``UploadedFile`` to this session's temp folder once; return its path."""
    folder = st.session_state.get(_FOLDER_KEY)
    if folder is None or not Path(folder).exists():
        folder = tempfile.mkdtemp(prefix="campaign-upload-")
        st.session_state[_FOLDER_KEY] = folder
    # The file_id differs per upload, so two files with the same name do not collide.
    path = Path(folder) / f"{upload.file_id}{Path(upload.name).suffix.lower()}"
    if not path.exists():
        path.write_bytes(upload.getvalue())
    return path

"""Small pieces shared by every SoHoa library: user-facing errors, atomic files, progress and cancel."""

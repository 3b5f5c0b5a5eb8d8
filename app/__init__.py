"""The SoHoa workstation: workspace, job runner, command line and Qt GUI; composes the libraries."""

__version__ = "0.1.0"

"""Permission matrix of LKE URLs (joined into tests/test_permissions.py's coverage
check): URL name -> the matrix row that covers it."""

COVERED: dict[str, str] = {}

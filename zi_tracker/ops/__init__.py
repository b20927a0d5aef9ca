"""Operations that ship to production: backup and restore, the storage check, the health
check and the 503 page, and the helpers that run the app under gunicorn the way
production does. Nothing in the product apps imports this package."""
